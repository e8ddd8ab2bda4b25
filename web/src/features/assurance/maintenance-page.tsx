import { FormProblem } from '../../components/form-errors';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { ApiProblemError, postJson } from '../../lib/api-client';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiBody, ApiResponse, Staff } from '../../types/api';

type Register = ApiResponse<'/api/console/maintenance-windows'>;
type Window = Register['windows'][number];
type NewWindow = ApiBody<'/api/console/maintenance-windows', 'post'>;
type Effect = NewWindow['effect'];

const effects: Effect[] = ['interruption', 'degraded', 'number-change'];

/** `2026-01-05T08:00` in the browser's zone → an ISO instant. */
const fromInput = (value: string) => (value ? new Date(value).toISOString() : '');
const toInput = (date: Date) => new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

function stateOf(w: Window, now: Date): 'scheduled' | 'in-progress' | 'over' | 'cancelled' {
  if (w.cancelledAt) return 'cancelled';
  if (new Date(w.startsAt) > now) return 'scheduled';
  return new Date(w.endsAt) > now ? 'in-progress' : 'over';
}

/**
 * Maintenance windows (clause 7): every window with its state, a form to publish one (with the notice
 * lead time shown, and the late reason asked for when the start is closer), and cancelling one that has
 * not begun. Publishing and cancelling need `notices.publish`; `outages.read` reads.
 */
export function MaintenancePage({ staff }: { staff: Staff }) {
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  const mayPublish = staff.permissions.includes('notices.publish');
  const { state, reload } = useApiQuery<Register>('/api/console/maintenance-windows');
  const [cancelling, setCancelling] = useState<string | null>(null);
  return (
    <div className="page stack" data-testid="maintenance-page">
      <h1>{t('maintenance.console.title')}</h1>
      <QueryView state={state} onRetry={reload}>
        {({ windows, noticeLeadHours, now: serverNow }) => {
          // The server's clock judges the lead time, whatever this browser's clock says.
          const now = new Date(serverNow);
          return (
            <>
              <p className="muted">{t('maintenance.console.intro', { hours: noticeLeadHours })}</p>
              {mayPublish ? (
                <WindowForm leadHours={noticeLeadHours} now={now} onSaved={reload} />
              ) : (
                <p className="small muted">{t('maintenance.console.mayNotPublish')}</p>
              )}
              <DataTable
                testId="maintenance-table"
                headings={[
                  t('maintenance.console.reference'),
                  t('maintenance.console.effect'),
                  t('maintenance.console.startsAt'),
                  t('maintenance.console.endsAt'),
                  t('maintenance.console.subscribers'),
                  t('maintenance.console.state'),
                  '',
                ]}
                emptyMessage={t('maintenance.console.empty')}
                isEmpty={windows.length === 0}
              >
                {windows.map((w) => {
                  const current = stateOf(w, now);
                  return (
                    <tr key={w.id} data-testid={`maintenance-${w.reference}`}>
                      <td>
                        {w.reference}
                        <div className="small">{w.titleZh}</div>
                        <div className="small muted">{w.titleEn}</div>
                      </td>
                      <td>{t(`maintenance.effects.${w.effect}`)}</td>
                      <td className="nowrap">{when(w.startsAt)}</td>
                      <td className="nowrap">{when(w.endsAt)}</td>
                      <td className="numeric">
                        {w.subscribers} · {t(`maintenance.scopes.${w.scope.kind}`)}
                      </td>
                      <td>
                        <span className={current === 'in-progress' ? 'badge badge-danger' : 'badge'}>
                          {t(`maintenance.states.${current}`)}
                        </span>
                        <div className="small muted">
                          {w.lateReason ? t('maintenance.console.late', { reason: w.lateReason }) : t('maintenance.console.onTime')}
                        </div>
                        {w.cancelReason && <div className="small muted">{w.cancelReason}</div>}
                      </td>
                      <td>
                        {mayPublish && current === 'scheduled' && (
                          <button type="button" onClick={() => setCancelling(w.id)} data-testid="maintenance-cancel">
                            {t('maintenance.console.cancel')}
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </DataTable>
            </>
          );
        }}
      </QueryView>
      {cancelling && (
        <CancelForm
          id={cancelling}
          onDone={() => {
            setCancelling(null);
            reload();
          }}
        />
      )}
    </div>
  );
}

function CancelForm({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [reason, setReason] = useState('');
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await action.run(() => postJson(`/api/console/maintenance-windows/${id}/cancel`, { reason }))) onDone();
  }
  return (
    <form className="form card" onSubmit={(e) => void submit(e)} data-testid="maintenance-cancel-form">
      <label>
        {t('maintenance.console.cancelReason')}
        <input required value={reason} onChange={(e) => setReason(e.target.value)} data-testid="maintenance-cancel-reason" />
      </label>
      <MaintenanceProblem error={action.error} />
      <button type="submit" disabled={action.busy} data-testid="maintenance-cancel-submit">
        {action.busy ? t('maintenance.console.cancelling') : t('maintenance.console.cancel')}
      </button>
    </form>
  );
}

function WindowForm({ leadHours, now, onSaved }: { leadHours: number; now: Date; onSaved: () => void }) {
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  const action = useAction();
  const [effect, setEffect] = useState<Effect>('interruption');
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [scopeKind, setScopeKind] = useState<'all' | 'numbers'>('all');
  const [numbers, setNumbers] = useState('');
  const [changes, setChanges] = useState('');
  const [titleZh, setTitleZh] = useState('');
  const [titleEn, setTitleEn] = useState('');
  const [descriptionZh, setDescriptionZh] = useState('');
  const [descriptionEn, setDescriptionEn] = useState('');
  const [lateReason, setLateReason] = useState('');
  const earliest = new Date(now.getTime() + leadHours * 3_600_000);
  const late = startsAt !== '' && new Date(startsAt) < earliest;
  const numberChange = effect === 'number-change';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const pairs = lines(changes).map((line) => {
      const [oldNumber = '', newNumber = ''] = line.split(/\s+/);
      return { oldNumber, newNumber };
    });
    const body: NewWindow = {
      startsAt: fromInput(startsAt),
      endsAt: fromInput(endsAt),
      effect,
      // A number change's scope is the old numbers it names.
      scope: numberChange
        ? { kind: 'numbers', numbers: pairs.map((p) => p.oldNumber) }
        : scopeKind === 'all'
          ? { kind: 'all' }
          : { kind: 'numbers', numbers: lines(numbers) },
      ...(numberChange ? { numberChanges: pairs } : {}),
      titleZh,
      titleEn,
      descriptionZh,
      descriptionEn,
      lateReason: late ? lateReason : null,
    };
    if (await action.run(() => postJson('/api/console/maintenance-windows', body))) {
      setTitleZh('');
      setTitleEn('');
      setDescriptionZh('');
      setDescriptionEn('');
      setLateReason('');
      setStartsAt('');
      setEndsAt('');
      onSaved();
    }
  }

  return (
    <FormProblem error={action.error}>
      <form className="form card" onSubmit={(e) => void submit(e)} data-testid="maintenance-form">
        <label>
          {t('maintenance.console.effect')}
          <select value={effect} onChange={(e) => setEffect(e.target.value as Effect)} data-testid="maintenance-effect">
            {effects.map((e) => (
              <option key={e} value={e}>
                {t(`maintenance.effects.${e}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('maintenance.console.startsAt')}
          <input
            type="datetime-local"
            required
            min={toInput(now)}
            value={startsAt}
            onChange={(e) => setStartsAt(e.target.value)}
            data-testid="maintenance-starts"
          />
        </label>
        <p className="small muted" data-testid="maintenance-lead-hint">
          {t('maintenance.console.leadHint', { hours: leadHours, earliest: when(earliest.toISOString()) })}
        </p>
        <label>
          {t('maintenance.console.endsAt')}
          <input type="datetime-local" required value={endsAt} onChange={(e) => setEndsAt(e.target.value)} data-testid="maintenance-ends" />
        </label>
        {numberChange ? (
          <label>
            {t('maintenance.console.numberChanges')}
            <textarea required value={changes} onChange={(e) => setChanges(e.target.value)} data-testid="maintenance-number-changes" />
          </label>
        ) : (
          <>
            <label>
              {t('maintenance.console.scope')}
              <select value={scopeKind} onChange={(e) => setScopeKind(e.target.value as 'all' | 'numbers')} data-testid="maintenance-scope">
                <option value="all">{t('maintenance.scopes.all')}</option>
                <option value="numbers">{t('maintenance.scopes.numbers')}</option>
              </select>
            </label>
            {scopeKind === 'numbers' && (
              <label>
                {t('maintenance.console.numbers')}
                <textarea required value={numbers} onChange={(e) => setNumbers(e.target.value)} data-testid="maintenance-numbers" />
              </label>
            )}
          </>
        )}
        <label>
          {t('maintenance.console.titleZh')}
          <input required value={titleZh} onChange={(e) => setTitleZh(e.target.value)} data-testid="maintenance-title-zh" />
        </label>
        <label>
          {t('maintenance.console.titleEn')}
          <input required value={titleEn} onChange={(e) => setTitleEn(e.target.value)} data-testid="maintenance-title-en" />
        </label>
        <label>
          {t('maintenance.console.descriptionZh')}
          <textarea required value={descriptionZh} onChange={(e) => setDescriptionZh(e.target.value)} data-testid="maintenance-zh" />
        </label>
        <label>
          {t('maintenance.console.descriptionEn')}
          <textarea required value={descriptionEn} onChange={(e) => setDescriptionEn(e.target.value)} data-testid="maintenance-en" />
        </label>
        {late && (
          <>
            <p className="alert" role="status" data-testid="maintenance-late-hint">
              {t('maintenance.console.lateHint', { hours: leadHours })}
            </p>
            <label>
              {t('maintenance.console.lateReason')}
              <input required value={lateReason} onChange={(e) => setLateReason(e.target.value)} data-testid="maintenance-late-reason" />
            </label>
          </>
        )}
        <MaintenanceProblem error={action.error} />
        <button type="submit" disabled={action.busy} data-testid="maintenance-submit">
          {action.busy ? t('maintenance.console.publishing') : t('maintenance.console.publish')}
        </button>
      </form>
    </FormProblem>
  );
}

/** The server's field messages in the reader's language when it sent both (`messages`), else as sent. */
function MaintenanceProblem({ error }: { error: unknown }) {
  const { i18n } = useTranslation();
  if (!error) return null;
  const messages =
    error instanceof ApiProblemError
      ? (error.problem as { messages?: { field: string; en: string; 'zh-CN': string }[] }).messages
      : undefined;
  if (!messages) return <ProblemAlert error={error} />;
  return (
    <div className="alert alert-error" role="alert" data-testid="maintenance-problem">
      <ul>
        {messages.map((m) => (
          <li key={`${m.field}:${m.en}`}>
            <code>{m.field}</code>: {i18n.language === 'en' ? m.en : m['zh-CN']}
          </li>
        ))}
      </ul>
    </div>
  );
}
