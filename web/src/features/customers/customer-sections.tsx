import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { QueryView } from '../../components/query-view';
import { formatFen } from '../../lib/money';
import { Link } from '../../lib/router';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse } from '../../types/api';

export type CustomerHeader = ApiResponse<'/api/console/customers/{id}'>;
type CustomerService = ApiResponse<'/api/console/customers/{id}/service'>;
type NumberState = ApiResponse<'/api/console/numbers/{number}'>;
type CustomerDisputes = ApiResponse<'/api/console/customers/{id}/disputes'>;
type CustomerTerminals = ApiResponse<'/api/console/customers/{id}/terminals'>;
type NegotiationCases = ApiResponse<'/api/console/negotiation-cases'>;
type AuditPage = ApiResponse<'/api/console/audit'>;

/** Who, which numbers, and whether the service runs: every open suspension with its cause. */
export function CustomerHeaderView({ header }: { header: CustomerHeader }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  return (
    <section className="card stack" data-testid="customer-header" aria-labelledby="customer-name">
      <div className="toolbar">
        <h1 id="customer-name" data-testid="customer-name">
          {header.maskedName ?? t('customer.unnamed')}
        </h1>
        <span className={header.status === 'active' ? 'badge badge-success' : 'badge badge-danger'} data-testid="customer-status">
          {t(`portal.statuses.${header.status as 'active'}`, { defaultValue: header.status })}
        </span>
      </div>
      <p>
        {t(`customer.kinds.${header.kind as 'individual'}`, { defaultValue: header.kind })} · {t('customer.numbers')}:{' '}
        <span data-testid="customer-numbers">{header.numbers.length > 0 ? header.numbers.join(', ') : t('customer.noNumber')}</span> ·{' '}
        <span className="muted small">{t('customer.since', { time: formatDateTime(header.createdAt) })}</span>
      </p>
      <h2>{t('customer.suspensionsTitle')}</h2>
      {header.suspensions.length === 0 ? (
        <p className="muted">{t('customer.noSuspensions')}</p>
      ) : (
        <ul data-testid="customer-suspensions">
          {header.suspensions.map((suspension) => (
            <li key={suspension.id} data-testid={`suspension-${suspension.cause}`}>
              <strong>{t(`customer.causes.${suspension.cause as 'overdue'}`, { defaultValue: suspension.cause })}</strong> ·{' '}
              {t(`customer.blocks.${suspension.blocks as 'all'}`, { defaultValue: suspension.blocks })} ·{' '}
              {formatDateTime(suspension.startedAt)}
              {suspension.reference && <> · {t('customer.reference', { reference: suspension.reference })}</>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The order and plan version, devices, agreements signed and terms changes still open to objection. */
export function ServiceSection({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<CustomerService>(`/api/console/customers/${id}/service`);
  return (
    <QueryView state={state} onRetry={reload}>
      {({ order, devices, agreements, pendingTermsChanges }) => (
        <div className="stack" data-testid="customer-service">
          {order ? (
            <dl className="billing-figures" data-testid="customer-order">
              <div>
                <dt>{t('customer.plan')}</dt>
                <dd>
                  {i18n.language === 'en' ? order.planNameEn : order.planNameZh}
                  <div className="muted small">{t('customer.planVersion', { date: formatDateTime(order.planVersionFrom) })}</div>
                </dd>
              </div>
              <div>
                <dt>{t('customer.rent')}</dt>
                <dd className="numeric">{formatFen(order.monthlyRentFen)}</dd>
              </div>
              <div>
                <dt>{t('customer.creditLimit')}</dt>
                <dd className="numeric">{formatFen(order.creditLimitFen)}</dd>
              </div>
              <div>
                <dt>{t('customer.terminal')}</dt>
                <dd>{order.terminalCode ?? t('app.none')}</dd>
              </div>
              <div>
                <dt>{t('customer.orderStatus')}</dt>
                <dd>{t(`customer.orderStatuses.${order.status as 'active'}`, { defaultValue: order.status })}</dd>
              </div>
            </dl>
          ) : (
            <p className="muted">{t('customer.noOrder')}</p>
          )}
          <h3>{t('customer.devicesTitle')}</h3>
          <DataTable
            testId="customer-devices"
            headings={[t('customer.device'), t('customer.numbers'), t('customer.issued'), t('customer.rotated')]}
            emptyMessage={t('customer.devicesEmpty')}
            isEmpty={devices.length === 0}
          >
            {devices.map((device) => (
              <tr key={device.deviceId}>
                <td>{device.name}</td>
                <td>{device.number}</td>
                <td className="nowrap">{formatDateTime(device.createdAt)}</td>
                <td className="nowrap">{formatDateTime(device.rotatedAt)}</td>
              </tr>
            ))}
          </DataTable>
          <h3>{t('customer.agreementsTitle')}</h3>
          <DataTable
            testId="customer-agreements"
            headings={[t('customer.version'), t('customer.language'), t('customer.signedAt')]}
            emptyMessage={t('customer.agreementsEmpty')}
            isEmpty={agreements.length === 0}
          >
            {agreements.map((signature) => (
              <tr key={signature.id}>
                <td>{signature.version}</td>
                <td>{signature.language}</td>
                <td className="nowrap">{formatDateTime(signature.signedAt)}</td>
              </tr>
            ))}
          </DataTable>
          <h3>{t('customer.pendingTitle')}</h3>
          {pendingTermsChanges.length === 0 ? (
            <p className="muted">{t('customer.pendingEmpty')}</p>
          ) : (
            <ul data-testid="customer-pending-terms">
              {pendingTermsChanges.map((change) => (
                <li key={change.version}>
                  {t('customer.version')} {change.version}: {change.summary} · {t('customer.objectBy', { date: change.lastDayToObject })}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </QueryView>
  );
}

/** Where a number is registered right now, and whether its SIP account may register and call. */
export function RegistrationsSection({ number }: { number: string }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<NumberState>(`/api/console/numbers/${encodeURIComponent(number)}`);
  return (
    <QueryView state={state} onRetry={reload}>
      {(account) => (
        <div className="stack" data-testid={`customer-registrations-${number}`}>
          <p className="small">
            {number} ·{' '}
            {t('customer.sipStatus', { status: t(`customer.sipStatuses.${account.status as 'active'}`, { defaultValue: account.status }) })}
            {account.statusReason ? ` (${account.statusReason})` : ''}
          </p>
          <DataTable
            testId={`registrations-${number}`}
            headings={['Contact', t('customer.transport'), t('customer.userAgent'), t('customer.expires')]}
            emptyMessage={t('customer.registrationsEmpty', { number })}
            isEmpty={account.registrations.length === 0}
          >
            {account.registrations.map((binding) => (
              <tr key={binding.contact}>
                <td className="small">{binding.contact}</td>
                <td>{binding.transport}</td>
                <td>{binding.userAgent ?? t('app.none')}</td>
                <td className="nowrap">{formatDateTime(binding.expiresAt)}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}
    </QueryView>
  );
}

/** The customer's fee disputes, each linking to the disputes queue and to its negotiation case when escalated. */
export function DisputesSection({ id, mayOpenCases }: { id: string; mayOpenCases: boolean }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<CustomerDisputes>(`/api/console/customers/${id}/disputes`);
  return (
    <QueryView state={state} onRetry={reload}>
      {({ disputes }) => (
        <DataTable
          testId="customer-disputes"
          headings={[t('customer.opened'), t('customer.subject'), t('customer.amount'), t('customer.status'), t('customer.due'), '']}
          emptyMessage={t('customer.disputesEmpty')}
          isEmpty={disputes.length === 0}
        >
          {disputes.map((dispute) => (
            <tr key={dispute.id}>
              <td className="nowrap">{formatDateTime(dispute.openedAt)}</td>
              <td>{t(`customer.subjects.${dispute.subject as 'bill'}`, { defaultValue: dispute.subject })}</td>
              <td className="numeric">{formatFen(dispute.amountFen)}</td>
              <td>{t(`customer.disputeStatuses.${dispute.status as 'open'}`, { defaultValue: dispute.status })}</td>
              <td className="nowrap">{dispute.dueOn}</td>
              <td className="row-actions">
                <Link to={`/console/disputes?id=${dispute.id}`} className="button button-small">
                  {t('customer.openDispute')}
                </Link>
                {mayOpenCases && dispute.negotiationCaseId && (
                  <Link to={`/console/negotiation-cases?id=${dispute.negotiationCaseId}`} className="button button-small button-quiet">
                    {t('customer.openCase')}
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </QueryView>
  );
}

/** Negotiation cases (clause 16) of this customer, from the cases API filtered to them. */
export function CasesSection({ id }: { id: string }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<NegotiationCases>(`/api/console/negotiation-cases?subscriberId=${id}`);
  return (
    <QueryView state={state} onRetry={reload}>
      {({ cases }) => (
        <DataTable
          testId="customer-cases"
          headings={[t('customer.opened'), t('customer.subject'), t('customer.status'), '']}
          emptyMessage={t('customer.casesEmpty')}
          isEmpty={cases.length === 0}
        >
          {cases.map((negotiation) => (
            <tr key={negotiation.id}>
              <td className="nowrap">{formatDateTime(negotiation.openedAt)}</td>
              <td>{t(`customer.caseSubjects.${negotiation.subject}`)}</td>
              <td>{t(`customer.caseStatuses.${negotiation.status}`)}</td>
              <td>
                <Link to={`/console/negotiation-cases?id=${negotiation.id}`} className="button button-small">
                  {t('customer.openCase')}
                </Link>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </QueryView>
  );
}

/** Terminals delivered to the customer with their warranty, and warranty claims (clause 4). */
export function TerminalsSection({ id }: { id: string }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<CustomerTerminals>(`/api/console/customers/${id}/terminals`);
  return (
    <QueryView state={state} onRetry={reload}>
      {({ units, claims }) => (
        <div className="stack">
          <DataTable
            testId="customer-terminals"
            headings={[t('customer.model'), t('customer.serial'), 'MAC', t('customer.status'), t('customer.warrantyEnds')]}
            emptyMessage={t('customer.terminalsEmpty')}
            isEmpty={units.length === 0}
          >
            {units.map((unit) => (
              <tr key={unit.id}>
                <td>{unit.modelCode}</td>
                <td>{unit.serialNumber}</td>
                <td className="small">{unit.mac}</td>
                <td>{unit.state}</td>
                <td className="nowrap">{unit.warrantyEndsOn ?? t('app.none')}</td>
              </tr>
            ))}
          </DataTable>
          <h3>{t('customer.claimsTitle')}</h3>
          <DataTable
            testId="customer-claims"
            headings={[t('customer.filed'), t('customer.serial'), t('customer.subject'), t('customer.status')]}
            emptyMessage={t('customer.claimsEmpty')}
            isEmpty={claims.length === 0}
          >
            {claims.map((claim) => (
              <tr key={claim.id}>
                <td className="nowrap">{formatDateTime(claim.filedAt)}</td>
                <td>{claim.unitSerial}</td>
                <td>{claim.cause}</td>
                <td>{claim.status}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}
    </QueryView>
  );
}

/** Everything staff did to this customer: the audit log filtered to them as a target, newest first. */
export function AuditSection({ id }: { id: string }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<AuditPage>(`/api/console/audit?targetType=subscriber&targetId=${id}&limit=100`);
  return (
    <QueryView state={state} onRetry={reload}>
      {({ items }) => (
        <DataTable
          testId="customer-audit"
          headings={[t('customer.at'), t('customer.actor'), t('customer.action'), t('customer.outcome')]}
          emptyMessage={t('customer.auditEmpty')}
          isEmpty={items.length === 0}
        >
          {items.map((entry) => (
            <tr key={entry.id}>
              <td className="nowrap">{formatDateTime(entry.at)}</td>
              <td>{entry.actorName ?? entry.actorType}</td>
              <td>
                <code>{entry.action}</code>
              </td>
              <td>{entry.outcome}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </QueryView>
  );
}
