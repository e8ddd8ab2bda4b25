import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { QueryView } from '../../components/query-view';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import { Link } from '../../lib/router';
import type { ApiResponse, Staff } from '../../types/api';

type CallsOfNumber = ApiResponse<'/api/console/calls'>;

type CallDetail = ApiResponse<'/api/console/calls/{callId}'>;

const seconds = (ms: number | null) => (ms === null ? null : (ms / 1000).toFixed(1));

/** Support looks up a number's calls and reads what both ends measured (clause 12: network or platform?). */
export function CallsPage({ staff }: { staff: Staff }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const [number, setNumber] = useState<string | null>(null);
  const [callId, setCallId] = useState<string | null>(null);
  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCallId(null);
    setNumber(draft.replace(/\D/g, '') || null);
  }
  return (
    <div className="page">
      <h1>{t('calls.title')}</h1>
      <p className="muted">{t('calls.intro')}</p>
      <form className="toolbar" role="search" onSubmit={search}>
        <label htmlFor="calls-number">{t('calls.number')}</label>
        <input
          id="calls-number"
          data-testid="calls-number"
          inputMode="tel"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" className="button" data-testid="calls-search">
          {t('calls.search')}
        </button>
      </form>
      {number && staff.permissions.includes('subscribers.read') && <CustomerOfNumberLink number={number} />}
      {number && <CallList number={number} onOpen={setCallId} />}
      {callId && <CallDetail callId={callId} />}
    </div>
  );
}

/** Whose number it is: a link to the customer's page, when the number is assigned. */
function CustomerOfNumberLink({ number }: { number: string }) {
  const { t } = useTranslation();
  const { state } = useApiQuery<{ id: string }>(`/api/console/customers/by-number/${encodeURIComponent(number)}`);
  if (state.status !== 'success') return null;
  return (
    <p>
      <Link to={`/console/customers/${state.data.id}`} data-testid="calls-customer">
        {t('customer.open')}
      </Link>
    </p>
  );
}

export function CallList({ number, onOpen }: { number: string; onOpen: (callId: string) => void }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<CallsOfNumber>(`/api/console/calls?number=${encodeURIComponent(number)}`);
  return (
    <QueryView state={state} onRetry={reload}>
      {({ calls }) => (
        <DataTable
          testId="calls-table"
          headings={[t('calls.time'), t('calls.caller'), t('calls.callee'), t('calls.status'), t('calls.duration'), t('calls.reports')]}
          emptyMessage={t('calls.none')}
          isEmpty={calls.length === 0}
        >
          {calls.map((call) => (
            <tr key={call.callId}>
              <td>
                <button
                  type="button"
                  className="button button-quiet button-small"
                  data-testid="calls-open"
                  onClick={() => onOpen(call.callId)}
                >
                  {formatDateTime(call.invitedAt)}
                </button>
              </td>
              <td>{call.caller}</td>
              <td>{call.callee}</td>
              <td>
                {t(`calls.statuses.${call.status}`)}
                {call.finalStatus ? ` (${call.finalStatus})` : ''}
              </td>
              <td className="numeric">{seconds(call.durationMs) ?? t('app.none')}</td>
              <td className="numeric">{call.qualityReports}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </QueryView>
  );
}

export function CallDetail({ callId }: { callId: string }) {
  const { t } = useTranslation();
  const none = t('app.none');
  const { state, reload } = useApiQuery<CallDetail>(`/api/console/calls/${encodeURIComponent(callId)}`);
  const show = (value: string | number | null) => (value === null || value === '' ? none : String(value));
  return (
    <section className="card" aria-labelledby="call-detail-title">
      <h2 id="call-detail-title">{t('calls.qualityTitle')}</h2>
      <p className="small muted">
        {t('calls.callId')}: <code>{callId}</code>
      </p>
      <QueryView state={state} onRetry={reload}>
        {({ qualityReports }) => (
          <DataTable
            testId="quality-reports-table"
            headings={[
              t('calls.reporter'),
              t('calls.duration'),
              t('calls.rtt'),
              t('calls.jitter'),
              t('calls.loss'),
              t('calls.frames'),
              t('calls.bitrate'),
              t('calls.codecs'),
              t('calls.path'),
            ]}
            emptyMessage={t('calls.noReports')}
            isEmpty={qualityReports.length === 0}
          >
            {qualityReports.map((report) => (
              <tr key={report.id} data-testid="quality-report-row">
                <td>
                  {report.reporter} ({t(report.direction === 'outgoing' ? 'calls.outgoing' : 'calls.incoming')})
                </td>
                <td className="numeric">{seconds(report.durationMs)}</td>
                <td className="numeric">{show(report.rttMs)}</td>
                <td className="numeric">{show(report.jitterMs)}</td>
                <td className="numeric">{report.lossPercent === null ? none : `${report.lossPercent}%`}</td>
                <td className="numeric">{show(report.framesDecoded)}</td>
                <td className="numeric">
                  {show(report.sendKbps)} / {show(report.receiveKbps)}
                </td>
                <td>{[report.videoCodec, report.audioCodec].filter(Boolean).join(' / ') || none}</td>
                <td>
                  {show(report.localCandidateType)} → {show(report.remoteCandidateType)}
                  {report.relayProtocol ? ` (${report.relayProtocol})` : ''}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
    </section>
  );
}
