import { FormProblem } from '../../components/form-errors';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { postJson } from '../../lib/api-client';
import { formatFen } from '../../lib/money';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiBody, ApiResponse, Staff } from '../../types/api';

type Register = ApiResponse<'/api/console/outages'>;
type Outage = Register['outages'][number];
type Detail = ApiResponse<'/api/console/outages/{id}'>;
type Facts = ApiBody<'/api/console/outages', 'post'>;
type Cause = Facts['cause'];

const causes: Cause[] = ['platform', 'third-party', 'force-majeure', 'government-action', 'announced-maintenance'];

/** `2026-01-05T08:00` in the browser's zone ↔ an ISO instant. */
const toInput = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromInput = (value: string) => (value ? new Date(value).toISOString() : null);
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * The outage register (clauses 7, 12–14): every outage as it stands, a form to record one (or to
 * announce maintenance), and for each its versions, its end and corrections, and the credit documents
 * each affected subscriber received. Writing needs `outages.manage`.
 */
export function OutagesPage({ staff }: { staff: Staff }) {
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  const mayManage = staff.permissions.includes('outages.manage');
  const { state, reload } = useApiQuery<Register>('/api/console/outages');
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <div className="page stack" data-testid="outages-page">
      <h1>{t('outages.console.title')}</h1>
      <p className="muted">{t('outages.console.intro')}</p>
      {mayManage && <OutageForm onSaved={reload} />}
      <QueryView state={state} onRetry={reload}>
        {({ outages }) => (
          <DataTable
            testId="outages-table"
            headings={[
              t('outages.console.reference'),
              t('outages.console.cause'),
              t('outages.console.scope'),
              t('outages.console.startsAt'),
              t('outages.console.endsAt'),
              t('outages.console.version'),
              '',
            ]}
            emptyMessage={t('outages.console.empty')}
            isEmpty={outages.length === 0}
          >
            {outages.map((o) => (
              <tr key={o.id} data-testid={`outage-${o.reference}`}>
                <td>{o.reference}</td>
                <td>{t(`outages.causes.${o.cause}`)}</td>
                <td>{t(`outages.scopes.${o.scope.kind}`)}</td>
                <td className="nowrap">{when(o.startsAt)}</td>
                <td className="nowrap">{o.endsAt ? when(o.endsAt) : t('outages.status.ongoingEnd')}</td>
                <td className="numeric">
                  {o.version} · {o.creditedAt ? t('outages.console.credited') : t('outages.console.notCredited')}
                </td>
                <td>
                  <button type="button" onClick={() => setOpenId(o.id)} data-testid="outage-open">
                    {t('outages.console.open')}
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
      {openId && <OutageDetail id={openId} mayManage={mayManage} onClose={() => setOpenId(null)} onChanged={reload} />}
    </div>
  );
}

function OutageDetail({
  id,
  mayManage,
  onClose,
  onChanged,
}: {
  id: string;
  mayManage: boolean;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  const { state, reload } = useApiQuery<Detail>(`/api/console/outages/${id}`);
  const end = useAction();
  const changed = () => {
    reload();
    onChanged();
  };
  return (
    <section className="card stack" data-testid="outage-detail">
      <QueryView state={state} onRetry={reload}>
        {({ outage, versions, credits }) => (
          <>
            <h2>
              {outage.reference} · {t(`outages.causes.${outage.cause}`)}
            </h2>
            <p>{outage.descriptionZh}</p>
            <p>{outage.descriptionEn}</p>
            {mayManage && outage.endsAt === null && (
              <p>
                <button
                  type="button"
                  disabled={end.busy}
                  data-testid="outage-end"
                  onClick={() =>
                    void end
                      .run(() => postJson(`/api/console/outages/${id}/end`, { endsAt: endOfThisMinute() }))
                      .then((r) => r && changed())
                  }
                >
                  {end.busy ? t('outages.console.ending') : t('outages.console.end')}
                </button>
              </p>
            )}
            <ProblemAlert error={end.error} />
            {mayManage && <OutageForm current={outage} onSaved={changed} />}
            <h3>{t('outages.console.versions')}</h3>
            <ol data-testid="outage-versions">
              {versions.map((v) => (
                <li key={v.version}>
                  v{v.version}: {when(v.startsAt)} — {v.endsAt ? when(v.endsAt) : t('outages.status.ongoingEnd')} ·{' '}
                  {t(`outages.causes.${v.cause}`)} · {v.recordedBy} {when(v.recordedAt)}
                  {v.note ? ` · ${v.note}` : ''}
                </li>
              ))}
            </ol>
            <h3>{t('outages.console.credits')}</h3>
            <DataTable
              testId="outage-credits"
              headings={[
                t('outages.console.subscriber'),
                t('outages.console.version'),
                t('outages.console.minutes'),
                t('outages.console.amount'),
                t('outages.console.posted'),
              ]}
              emptyMessage={t('outages.console.noCredits')}
              isEmpty={credits.length === 0}
            >
              {credits.map((c) => (
                <tr key={`${c.subscriberId}-${c.seq}`} title={c.reason}>
                  <td className="small">{c.subscriberId}</td>
                  <td className="numeric">v{c.version}</td>
                  <td className="numeric">{c.affectedMinutes}</td>
                  <td className="numeric">{formatFen(-c.amountFen)}</td>
                  <td>{c.posted ? t('outages.console.posted') : t('outages.console.pending')}</td>
                </tr>
              ))}
            </DataTable>
            <p>
              <button type="button" onClick={onClose}>
                {t('outages.console.close')}
              </button>
            </p>
          </>
        )}
      </QueryView>
    </section>
  );
}

/** Outages are recorded by the whole minute: "now" for an end is the start of the current minute. */
function endOfThisMinute(): string {
  const now = new Date();
  now.setSeconds(0, 0);
  return now.toISOString();
}

/** Records a new outage, or (with `current`) corrects one as a new version with a reason. */
function OutageForm({ current, onSaved }: { current?: Outage; onSaved: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [cause, setCause] = useState<Cause>(current?.cause ?? 'platform');
  const [scopeKind, setScopeKind] = useState<Outage['scope']['kind']>(current?.scope.kind ?? 'everyone');
  const [startsAt, setStartsAt] = useState(toInput(current?.startsAt ?? null));
  const [endsAt, setEndsAt] = useState(toInput(current?.endsAt ?? null));
  const [ranges, setRanges] = useState(current?.scope.kind === 'numbers' ? current.scope.ranges.join('\n') : '');
  const [subscriberIds, setSubscriberIds] = useState(current?.scope.kind === 'subscribers' ? current.scope.subscriberIds.join('\n') : '');
  const [descriptionZh, setDescriptionZh] = useState(current?.descriptionZh ?? '');
  const [descriptionEn, setDescriptionEn] = useState(current?.descriptionEn ?? '');
  const [note, setNote] = useState('');
  const prefix = current ? 'outage-correct' : 'outage-record';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const scope: Facts['scope'] =
      scopeKind === 'numbers'
        ? { kind: 'numbers', ranges: lines(ranges) }
        : scopeKind === 'subscribers'
          ? { kind: 'subscribers', subscriberIds: lines(subscriberIds) }
          : { kind: 'everyone' };
    const facts = { startsAt: fromInput(startsAt) ?? '', endsAt: fromInput(endsAt), cause, scope, descriptionZh, descriptionEn };
    const saved = await action.run(() =>
      current
        ? postJson(`/api/console/outages/${current.id}/corrections`, { ...facts, note, expectedVersion: current.version })
        : postJson('/api/console/outages', facts),
    );
    if (saved) {
      if (!current) {
        setDescriptionZh('');
        setDescriptionEn('');
      }
      setNote('');
      onSaved();
    }
  }

  return (
    <FormProblem error={action.error}>
      <form className="form card" onSubmit={(e) => void submit(e)} data-testid={`${prefix}-form`}>
        <label>
          {t('outages.console.cause')}
          <select value={cause} onChange={(e) => setCause(e.target.value as Cause)} data-testid={`${prefix}-cause`}>
            {causes.map((c) => (
              <option key={c} value={c}>
                {t(`outages.causes.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('outages.console.startsAt')}
          <input
            type="datetime-local"
            required
            value={startsAt}
            onChange={(e) => setStartsAt(e.target.value)}
            data-testid={`${prefix}-starts`}
          />
        </label>
        <label>
          {t('outages.console.endsAt')}
          <input type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} data-testid={`${prefix}-ends`} />
        </label>
        <label>
          {t('outages.console.scope')}
          <select
            value={scopeKind}
            onChange={(e) => setScopeKind(e.target.value as Outage['scope']['kind'])}
            data-testid={`${prefix}-scope`}
          >
            <option value="everyone">{t('outages.scopes.everyone')}</option>
            <option value="numbers">{t('outages.scopes.numbers')}</option>
            <option value="subscribers">{t('outages.scopes.subscribers')}</option>
          </select>
        </label>
        {scopeKind === 'numbers' && (
          <label>
            {t('outages.console.ranges')}
            <textarea value={ranges} onChange={(e) => setRanges(e.target.value)} data-testid={`${prefix}-ranges`} />
          </label>
        )}
        {scopeKind === 'subscribers' && (
          <label>
            {t('outages.console.subscriberIds')}
            <textarea value={subscriberIds} onChange={(e) => setSubscriberIds(e.target.value)} />
          </label>
        )}
        <label>
          {t('outages.console.descriptionZh')}
          <textarea required value={descriptionZh} onChange={(e) => setDescriptionZh(e.target.value)} data-testid={`${prefix}-zh`} />
        </label>
        <label>
          {t('outages.console.descriptionEn')}
          <textarea required value={descriptionEn} onChange={(e) => setDescriptionEn(e.target.value)} data-testid={`${prefix}-en`} />
        </label>
        {current && (
          <label>
            {t('outages.console.note')}
            <input required value={note} onChange={(e) => setNote(e.target.value)} data-testid={`${prefix}-note`} />
          </label>
        )}
        <ProblemAlert error={action.error} />
        <button type="submit" disabled={action.busy} data-testid={`${prefix}-submit`}>
          {current
            ? action.busy
              ? t('outages.console.correcting')
              : t('outages.console.correct')
            : action.busy
              ? t('outages.console.recording')
              : t('outages.console.record')}
        </button>
      </form>
    </FormProblem>
  );
}
