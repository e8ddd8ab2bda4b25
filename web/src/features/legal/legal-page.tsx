import { FormProblem } from '../../components/form-errors';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { TextField } from '../../components/text-field';
import { postJson } from '../../lib/api-client';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiBody, ApiResponse } from '../../types/api';

type Orders = ApiResponse<'/api/console/legal/judicial-orders'>;
type Order = Orders['items'][number];
type OrderBody = ApiBody<'/api/console/legal/judicial-orders', 'post'>;
type Reports = ApiResponse<'/api/console/legal/abuse-reports'>;
type Report = Reports['items'][number];

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A subscriber named by id, or by one of their numbers. */
const subscriberField = (text: string) => {
  const value = text.trim();
  return uuid.test(value) ? { subscriberId: value } : { number: value.replace(/\D/g, '') };
};
const fromInput = (value: string) => (value ? new Date(value).toISOString() : null);

/** A file's bytes as base64, the way the legal routes take documents and evidence. */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsDataURL(file);
  });
}

/**
 * The legal officer's page (`legal.orders`): judicial and state-security orders (clause 10) and
 * reports of unlawful use (clause 3). The server audits every list, view, download and change.
 */
export function LegalPage() {
  const { t } = useTranslation();
  return (
    <div className="page stack" data-testid="legal-page">
      <h1>{t('legal.title')}</h1>
      <p className="muted">{t('legal.intro')}</p>
      <OrdersSection />
      <AbuseSection />
    </div>
  );
}

function OrdersSection() {
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  const { state, reload } = useApiQuery<Orders>('/api/console/legal/judicial-orders');
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <section className="stack" aria-labelledby="legal-orders">
      <h2 id="legal-orders">{t('legal.orders.title')}</h2>
      <OrderForm onPlaced={reload} />
      <QueryView state={state} onRetry={reload}>
        {({ items }) => (
          <DataTable
            testId="legal-orders-table"
            headings={[
              t('legal.orders.caseNumber'),
              t('legal.orders.authority'),
              t('legal.orders.subscriber'),
              t('legal.orders.scope'),
              t('legal.orders.effectiveFrom'),
              t('legal.orders.effectiveUntil'),
              t('legal.orders.status'),
              '',
            ]}
            emptyMessage={t('legal.orders.empty')}
            isEmpty={items.length === 0}
          >
            {items.map((order) => (
              <tr key={order.id} data-testid={`legal-order-${order.id}`}>
                <td>{order.caseNumber}</td>
                <td>{order.authority}</td>
                <td className="small">{order.subscriberId}</td>
                <td>{t(`legal.orders.scopes.${order.scope}`)}</td>
                <td className="nowrap">{when(order.from)}</td>
                <td className="nowrap">{order.until ? when(order.until) : t('legal.orders.untilLifted')}</td>
                <td>{t(`legal.orders.statuses.${order.status}`)}</td>
                <td>
                  <button type="button" onClick={() => setOpenId(order.id)} data-testid="legal-order-open">
                    {t('legal.orders.open')}
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
      {openId && <OrderDetail id={openId} onClose={() => setOpenId(null)} onChanged={reload} />}
    </section>
  );
}

function OrderForm({ onPlaced }: { onPlaced: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [subscriber, setSubscriber] = useState('');
  const [authority, setAuthority] = useState('');
  const [caseNumber, setCaseNumber] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const [scope, setScope] = useState<OrderBody['scope']>('all');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [endCalls, setEndCalls] = useState(true);
  const [disclose, setDisclose] = useState(false);
  const [file, setFile] = useState<File | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    const placed = await action.run(async () =>
      postJson('/api/console/legal/judicial-orders', {
        ...subscriberField(subscriber),
        authority,
        caseNumber,
        legalBasis,
        scope,
        from: fromInput(from),
        until: fromInput(until),
        endCallsInProgress: endCalls,
        discloseToSubscriber: disclose,
        document: { contentType: file.type, base64: await readBase64(file) },
      } satisfies OrderBody),
    );
    if (placed) {
      setCaseNumber('');
      setFile(null);
      onPlaced();
    }
  }

  return (
    <FormProblem error={action.error}>
      <form className="form card" onSubmit={(e) => void submit(e)} data-testid="legal-order-form">
        <TextField
          id="legal-order-subscriber"
          label={t('legal.orders.subscriber')}
          value={subscriber}
          onValueChange={setSubscriber}
          required
        />
        <TextField id="legal-order-authority" label={t('legal.orders.authority')} value={authority} onValueChange={setAuthority} required />
        <TextField id="legal-order-case" label={t('legal.orders.caseNumber')} value={caseNumber} onValueChange={setCaseNumber} required />
        <TextField id="legal-order-basis" label={t('legal.orders.legalBasis')} value={legalBasis} onValueChange={setLegalBasis} required />
        <label>
          {t('legal.orders.scope')}
          <select value={scope} onChange={(e) => setScope(e.target.value as OrderBody['scope'])} data-testid="legal-order-scope">
            <option value="all">{t('legal.orders.scopes.all')}</option>
            <option value="outgoing">{t('legal.orders.scopes.outgoing')}</option>
          </select>
        </label>
        <label>
          {t('legal.orders.from')}
          <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="legal-order-from" />
        </label>
        <label>
          {t('legal.orders.until')}
          <input type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} data-testid="legal-order-until" />
        </label>
        <label>
          <input type="checkbox" checked={endCalls} onChange={(e) => setEndCalls(e.target.checked)} data-testid="legal-order-end-calls" />{' '}
          {t('legal.orders.endCalls')}
        </label>
        <label>
          <input type="checkbox" checked={disclose} onChange={(e) => setDisclose(e.target.checked)} data-testid="legal-order-disclose" />{' '}
          {t('legal.orders.disclose')}
        </label>
        <label>
          {t('legal.orders.document')}
          <input
            type="file"
            required
            accept="application/pdf,image/jpeg,image/png"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            data-testid="legal-order-document"
          />
        </label>
        {action.error !== null && <ProblemAlert error={action.error} />}
        <p>
          <button type="submit" className="button" disabled={action.busy || !file} data-testid="legal-order-place">
            {action.busy ? t('legal.orders.placing') : t('legal.orders.place')}
          </button>
        </p>
      </form>
    </FormProblem>
  );
}

function OrderDetail({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  const { state, reload } = useApiQuery<Order>(`/api/console/legal/judicial-orders/${id}`);
  const lift = useAction();
  const [reason, setReason] = useState('');
  return (
    <section className="card stack" data-testid="legal-order-detail">
      <QueryView state={state} onRetry={reload}>
        {(order) => (
          <>
            <h3>
              {order.caseNumber} · {t(`legal.orders.statuses.${order.status}`)}
            </h3>
            <dl>
              <dt>{t('legal.orders.authority')}</dt>
              <dd>{order.authority}</dd>
              <dt>{t('legal.orders.legalBasis')}</dt>
              <dd>{order.legalBasis}</dd>
              <dt>{t('legal.orders.scope')}</dt>
              <dd>{t(`legal.orders.scopes.${order.scope}`)}</dd>
              <dt>{t('legal.orders.createdBy')}</dt>
              <dd>
                {order.createdBy} · {when(order.createdAt)}
              </dd>
              {order.liftReason && (
                <>
                  <dt>{t('legal.orders.liftReason')}</dt>
                  <dd>
                    {order.liftReason} · {order.liftedBy}
                  </dd>
                </>
              )}
            </dl>
            <p>
              <a className="button" href={`/api/console/legal/judicial-orders/${id}/document`} data-testid="legal-order-download">
                {t('legal.orders.download')}
              </a>
            </p>
            {(order.status === 'in-force' || order.status === 'scheduled') && (
              <FormProblem error={lift.error}>
                <form
                  className="toolbar"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void lift
                      .run(() => postJson(`/api/console/legal/judicial-orders/${id}/lift`, { reason }))
                      .then((done) => {
                        if (!done) return;
                        reload();
                        onChanged();
                      });
                  }}
                >
                  <TextField
                    id="legal-order-lift-reason"
                    label={t('legal.orders.liftReason')}
                    value={reason}
                    onValueChange={setReason}
                    required
                  />
                  <button type="submit" className="button" disabled={lift.busy} data-testid="legal-order-lift">
                    {lift.busy ? t('legal.orders.lifting') : t('legal.orders.lift')}
                  </button>
                </form>
              </FormProblem>
            )}
            {lift.error !== null && <ProblemAlert error={lift.error} />}
            <p>
              <button type="button" onClick={onClose}>
                {t('legal.orders.close')}
              </button>
            </p>
          </>
        )}
      </QueryView>
    </section>
  );
}

function AbuseSection() {
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  const { state, reload } = useApiQuery<Reports>('/api/console/legal/abuse-reports');
  return (
    <section className="stack" aria-labelledby="legal-abuse">
      <h2 id="legal-abuse">{t('legal.abuse.title')}</h2>
      <AbuseForm onReported={reload} />
      <QueryView state={state} onRetry={reload}>
        {({ items }) => (
          <DataTable
            testId="legal-abuse-table"
            headings={[
              t('legal.abuse.reportedAt'),
              t('legal.orders.subscriber'),
              t('legal.abuse.description'),
              t('legal.abuse.decision'),
              '',
            ]}
            emptyMessage={t('legal.abuse.empty')}
            isEmpty={items.length === 0}
          >
            {items.map((report) => (
              <tr key={report.id} data-testid={`legal-abuse-${report.id}`}>
                <td className="nowrap">{when(report.reportedAt)}</td>
                <td className="small">{report.subscriberId}</td>
                <td>
                  {report.description}
                  {report.evidence.map((file) => (
                    <div key={file.id}>
                      <a href={`/api/console/legal/abuse-reports/${report.id}/evidence/${file.id}`}>{file.fileName}</a>
                    </div>
                  ))}
                </td>
                <td>
                  {report.liftedAt ? t('legal.abuse.lifted') : t(`legal.abuse.decisions.${report.decision}`)}
                  {report.decisionNote ? ` · ${report.decisionNote}` : ''}
                </td>
                <td>
                  <AbuseActions report={report} onChanged={reload} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
    </section>
  );
}

function AbuseActions({ report, onChanged }: { report: Report; onChanged: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [note, setNote] = useState('');
  const post = (path: string, body: unknown) => void action.run(() => postJson(path, body)).then((done) => done && onChanged());
  if (report.decision === 'dismiss' || report.liftedAt) return null;
  return (
    <div className="stack">
      <TextField id={`legal-abuse-note-${report.id}`} label={t('legal.abuse.note')} value={note} onValueChange={setNote} />
      {report.decision === 'pending' ? (
        <div className="toolbar">
          <button
            type="button"
            disabled={action.busy}
            onClick={() => post(`/api/console/legal/abuse-reports/${report.id}/decision`, { decision: 'suspend', note })}
          >
            {t('legal.abuse.suspend')}
          </button>
          <button
            type="button"
            disabled={action.busy}
            onClick={() => post(`/api/console/legal/abuse-reports/${report.id}/decision`, { decision: 'dismiss', note })}
          >
            {t('legal.abuse.dismiss')}
          </button>
        </div>
      ) : (
        <button
          type="button"
          disabled={action.busy}
          onClick={() => post(`/api/console/legal/abuse-reports/${report.id}/lift`, { reason: note })}
        >
          {t('legal.abuse.lift')}
        </button>
      )}
      {action.error !== null && <ProblemAlert error={action.error} />}
    </div>
  );
}

function AbuseForm({ onReported }: { onReported: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [subscriber, setSubscriber] = useState('');
  const [description, setDescription] = useState('');
  const [files, setFiles] = useState<File[]>([]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const reported = await action.run(async () =>
      postJson('/api/console/legal/abuse-reports', {
        ...subscriberField(subscriber),
        description,
        evidence: await Promise.all(
          files.map(async (file) => ({ fileName: file.name, contentType: file.type, base64: await readBase64(file) })),
        ),
      }),
    );
    if (reported) {
      setDescription('');
      setFiles([]);
      onReported();
    }
  }

  return (
    <FormProblem error={action.error}>
      <form className="form card" onSubmit={(e) => void submit(e)} data-testid="legal-abuse-form">
        <TextField
          id="legal-abuse-subscriber"
          label={t('legal.orders.subscriber')}
          value={subscriber}
          onValueChange={setSubscriber}
          required
        />
        <label>
          {t('legal.abuse.description')}
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} required data-testid="legal-abuse-description" />
        </label>
        <label>
          {t('legal.abuse.evidence')}
          <input
            type="file"
            multiple
            accept="application/pdf,image/jpeg,image/png"
            onChange={(e) => setFiles([...(e.target.files ?? [])].slice(0, 5))}
            data-testid="legal-abuse-evidence"
          />
        </label>
        {action.error !== null && <ProblemAlert error={action.error} />}
        <p>
          <button type="submit" className="button" disabled={action.busy} data-testid="legal-abuse-report">
            {action.busy ? t('legal.abuse.reporting') : t('legal.abuse.report')}
          </button>
        </p>
      </form>
    </FormProblem>
  );
}
