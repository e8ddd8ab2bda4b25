import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { TextField } from '../../components/text-field';
import { postForBlob, postJson } from '../../lib/api-client';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse, Staff } from '../../types/api';
import { useAction } from '../../lib/use-action';
import { Link } from '../../lib/router';
import { SubscriberCreditSection } from './credit-section';
import { IdentityFields, PurposeForm } from './identity-section';
import { LicenceAcceptancesSection } from './licence-acceptances-section';

type MaskedSubscriber = ApiResponse<'/api/console/subscribers/{id}'>;
type SubscriberStatus = MaskedSubscriber['status'];
type StoredDocument = ApiResponse<'/api/console/subscribers/{id}/documents'>['items'][number];
type Decision = 'approve' | 'reject' | 'request-documents' | 'suspend-false-data';

const decisionButtons = [
  { decision: 'approve', testId: 'approve', className: 'button button-primary', labelKey: 'subscribersConsole.approve' },
  { decision: 'request-documents', testId: 'request-documents', className: 'button', labelKey: 'subscribersConsole.requestDocuments' },
  { decision: 'reject', testId: 'reject', className: 'button button-danger', labelKey: 'subscribersConsole.reject' },
  { decision: 'suspend-false-data', testId: 'suspend', className: 'button button-danger', labelKey: 'subscribersConsole.suspendFalseData' },
] as const satisfies readonly { decision: Decision; testId: string; className: string; labelKey: string }[];

/** The reviewers' queue (clause 1): applications waiting, oldest first. */
export function VerificationPage({ staff }: { staff: Staff }) {
  return <SubscriberList staff={staff} path="/api/console/verification-queue?limit=100" titleKey="subscribersConsole.queueTitle" />;
}

/** Every subscriber, masked. */
export function SubscribersPage({ staff }: { staff: Staff }) {
  return <SubscriberList staff={staff} path="/api/console/subscribers?limit=100" titleKey="subscribersConsole.listTitle" />;
}

function SubscriberList({
  staff,
  path,
  titleKey,
}: {
  staff: Staff;
  path: string;
  titleKey: 'subscribersConsole.queueTitle' | 'subscribersConsole.listTitle';
}) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<ApiResponse<'/api/console/subscribers'>>(path);
  // `?id=<subscriber>` opens that subscriber: other pages (the near-limit list) link here.
  const [linkedId] = useState(() => new URLSearchParams(window.location.search).get('id'));
  const [openId, setOpenId] = useState<string | null>(linkedId);
  // Opening a subscriber again (after the applicant acted) must load afresh, not show the old panel.
  const [openCount, setOpenCount] = useState(0);
  const detail = openId && (
    <SubscriberDetail key={`${openId}:${openCount}`} id={openId} staff={staff} onChanged={reload} onClose={() => setOpenId(null)} />
  );
  // The subscriber a link named comes first; one opened from the list comes after it.
  const linkedFirst = openId !== null && openId === linkedId && openCount === 0;
  const open = (id: string) => {
    setOpenId(id);
    setOpenCount((count) => count + 1);
    reload();
  };

  return (
    <div className="page stack">
      <h1>{t(titleKey)}</h1>
      {linkedFirst && detail}
      <QueryView state={state} onRetry={reload}>
        {({ items }) => (
          <DataTable
            testId="subscriber-table"
            headings={[t('subscribersConsole.kind'), t('subscribersConsole.status'), t('subscribersConsole.created'), '']}
            emptyMessage={t('subscribersConsole.empty')}
            isEmpty={items.length === 0}
          >
            {items.map((row) => (
              <tr key={row.id}>
                <td>{t(`apply.${row.kind as 'individual'}`)}</td>
                <td>{t(`portal.statuses.${row.status}`)}</td>
                <td className="nowrap">{formatDateTime(row.createdAt)}</td>
                <td className="row-actions">
                  <Link to={`/console/customers/${row.id}`} className="button button-small" data-testid={`customer-link-${row.id}`}>
                    {t('customer.open')}
                  </Link>
                  <button
                    type="button"
                    className="button button-small button-quiet"
                    onClick={() => open(row.id)}
                    data-testid={`subscriber-open-${row.id}`}
                  >
                    {t('subscribersConsole.open')}
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
      {!linkedFirst && detail}
    </div>
  );
}

function SubscriberDetail({ id, staff, onChanged, onClose }: { id: string; staff: Staff; onChanged: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<MaskedSubscriber>(`/api/console/subscribers/${id}`);
  const mayReveal = staff.permissions.includes('identity.reveal');
  const mayVerify = staff.permissions.includes('subscribers.verify');
  const mayReadCredit = staff.permissions.includes('billing.read');
  const [reason, setReason] = useState('');
  const action = useAction();
  const [decided, setDecided] = useState<string | null>(null);
  const documents = useApiQuery<{ items: StoredDocument[] }>(`/api/console/subscribers/${id}/documents`);
  const [documentToView, setDocumentToView] = useState<StoredDocument | null>(null);
  const [viewed, setViewed] = useState<{ url: string; contentType: string } | null>(null);

  async function viewDocument(purpose: string): Promise<void> {
    if (!documentToView) return;
    await action.run(async () => {
      const blob = await postForBlob(`/api/console/subscribers/${id}/documents/${documentToView.id}/view`, { purpose });
      setViewed({ url: URL.createObjectURL(blob), contentType: documentToView.contentType });
      setDocumentToView(null);
    });
  }

  async function decide(decision: Decision): Promise<void> {
    await action.run(async () => {
      const result = await postJson<ApiResponse<'/api/console/subscribers/{id}/verification', 'post'>>(
        `/api/console/subscribers/${id}/verification`,
        {
          decision,
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        },
      );
      setDecided(result.status);
      setReason('');
      reload();
      onChanged();
    });
  }

  return (
    <section className="card stack" aria-labelledby="subscriber-detail-title" data-testid="subscriber-detail">
      <div className="toolbar">
        <h2 id="subscriber-detail-title">{t('subscribersConsole.detailTitle')}</h2>
        <button type="button" className="button button-quiet" onClick={onClose}>
          {t('subscribersConsole.close')}
        </button>
      </div>
      <QueryView state={state} onRetry={reload}>
        {(subscriber) => (
          <>
            <p>
              <span className="badge" data-testid="subscriber-status">
                {t(`portal.statuses.${subscriber.status}`)}
              </span>
            </p>
            <IdentityFields subscriberId={id} identity={subscriber.identity} staff={staff} />
            {documents.state.status === 'success' && documents.state.data.items.length > 0 && (
              <div className="stack">
                <h3>{t('subscribersConsole.documents')}</h3>
                <ul data-testid="subscriber-documents">
                  {documents.state.data.items.map((document) => (
                    <li key={document.id}>
                      {t(`portal.documentKinds.${document.kind as 'other'}`, { defaultValue: document.kind })}, {document.contentType},{' '}
                      {document.sizeBytes} B{' '}
                      {mayReveal && (
                        <button type="button" className="button button-small button-quiet" onClick={() => setDocumentToView(document)}>
                          {t('subscribersConsole.reveal')}
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
                {documentToView && <PurposeForm id="document-purpose" label={t('subscribersConsole.purpose')} onSubmit={viewDocument} />}
                {viewed &&
                  (viewed.contentType.startsWith('image/') ? (
                    <img src={viewed.url} alt={t('subscribersConsole.documents')} className="document-preview" />
                  ) : (
                    <a href={viewed.url} target="_blank" rel="noreferrer">
                      {t('subscribersConsole.openDocument')}
                    </a>
                  ))}
              </div>
            )}
            {mayReadCredit && <SubscriberCreditSection id={subscriber.id} staff={staff} />}
            <LicenceAcceptancesSection id={subscriber.id} />
            {mayVerify && (
              <div className="stack">
                <h3>{t('subscribersConsole.decision')}</h3>
                <TextField id="decision-reason" label={t('subscribersConsole.reason')} value={reason} onValueChange={setReason} />
                <div className="row-actions">
                  {decisionButtons.map((button) => (
                    <button
                      key={button.decision}
                      type="button"
                      className={button.className}
                      onClick={() => void decide(button.decision)}
                      data-testid={`decide-${button.testId}`}
                    >
                      {t(button.labelKey)}
                    </button>
                  ))}
                </div>
              </div>
            )}
            {decided && (
              <p className="text-success" data-testid="decision-result">
                {t('subscribersConsole.decided', { status: t(`portal.statuses.${decided as SubscriberStatus}`) })}
              </p>
            )}
            {action.error !== null && <ProblemAlert error={action.error} testId="subscriber-error" />}
          </>
        )}
      </QueryView>
    </section>
  );
}
