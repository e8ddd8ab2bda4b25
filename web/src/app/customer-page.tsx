import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryView } from '../components/query-view';
import { SubscriberAccountView } from '../features/billing/billing-console-page';
import { CallDetail, CallList } from '../features/calls/calls-page';
import {
  AuditSection,
  CasesSection,
  CustomerHeaderView,
  DisputesSection,
  RegistrationsSection,
  ServiceSection,
  TerminalsSection,
  type CustomerHeader,
} from '../features/customers/customer-sections';
import { SubscriberCreditSection } from '../features/subscribers/credit-section';
import { IdentitySection } from '../features/subscribers/identity-section';
import { usePathname } from '../lib/router';
import { useApiQuery } from '../lib/use-api-query';
import type { Staff } from '../types/api';

/**
 * One page per customer (issue #14), at /console/customers/:id. The header comes from the one aggregate;
 * every section loads its own owner's API and shows only to roles with that API's permission, so a role
 * sees what it may and a failing section leaves the rest of the page standing.
 */
export function CustomerPage({ staff }: { staff: Staff }) {
  const { t } = useTranslation();
  const id = usePathname().split('/').pop() ?? '';
  const may = (permission: string) => staff.permissions.includes(permission);
  const readsSubscribers = may('subscribers.read');
  const sections = [
    readsSubscribers,
    may('billing.read'),
    may('calls.read'),
    may('disputes.handle'),
    may('negotiations.handle'),
    may('devices.manage'),
    may('audit.read'),
  ];

  return (
    <div className="page stack" data-testid="customer-page">
      {readsSubscribers ? <HeaderWithNumbers id={id} staff={staff} /> : <h1>{t('customer.title')}</h1>}
      {!sections.some(Boolean) && <p className="notice">{t('customer.nothingVisible')}</p>}
      {readsSubscribers && (
        <Section testId="customer-identity" title={t('customer.identityTitle')}>
          <IdentitySection id={id} staff={staff} />
        </Section>
      )}
      {readsSubscribers && (
        <Section testId="customer-service-section" title={t('customer.serviceTitle')}>
          <ServiceSection id={id} />
        </Section>
      )}
      {may('billing.read') && (
        <Section testId="customer-billing" title={t('customer.billingTitle')}>
          <SubscriberAccountView subscriberId={id} may={{ record: may('payments.record'), manage: may('billing.manage') }} />
        </Section>
      )}
      {may('billing.read') && (
        <Section testId="customer-credit" title={t('customer.creditTitle')}>
          <SubscriberCreditSection id={id} staff={staff} />
        </Section>
      )}
      {may('disputes.handle') && (
        <Section testId="customer-disputes-section" title={t('customer.disputesTitle')}>
          <DisputesSection id={id} mayOpenCases={may('negotiations.handle')} />
        </Section>
      )}
      {may('negotiations.handle') && (
        <Section testId="customer-cases-section" title={t('customer.casesTitle')}>
          <CasesSection id={id} />
        </Section>
      )}
      {may('devices.manage') && (
        <Section testId="customer-terminals-section" title={t('customer.terminalsTitle')}>
          <TerminalsSection id={id} />
        </Section>
      )}
      {may('audit.read') && (
        <Section testId="customer-audit-section" title={t('customer.auditTitle')}>
          <AuditSection id={id} />
        </Section>
      )}
    </div>
  );
}

/** The header, and the sections that need the customer's numbers: registrations now, and calls. */
function HeaderWithNumbers({ id, staff }: { id: string; staff: Staff }) {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<CustomerHeader>(`/api/console/customers/${id}`);
  return (
    <QueryView state={state} onRetry={reload}>
      {(header) => (
        <>
          <CustomerHeaderView header={header} />
          {/* Registrations are network data, read with calls.read (src/calls/routes.ts), like the calls. */}
          {staff.permissions.includes('calls.read') && header.numbers.length > 0 && (
            <Section testId="customer-registrations" title={t('customer.registrationsTitle')}>
              {header.numbers.map((number) => (
                <RegistrationsSection key={number} number={number} />
              ))}
            </Section>
          )}
          {staff.permissions.includes('calls.read') && header.numbers.length > 0 && (
            <Section testId="customer-calls" title={t('customer.callsTitle')}>
              <CallsOfNumbers numbers={header.numbers} />
            </Section>
          )}
        </>
      )}
    </QueryView>
  );
}

/** Each number's recent calls with how many quality reports came in; opening one shows what both ends measured. */
function CallsOfNumbers({ numbers }: { numbers: string[] }) {
  const [callId, setCallId] = useState<string | null>(null);
  return (
    <div className="stack">
      {numbers.map((number) => (
        <CallList key={number} number={number} onOpen={setCallId} />
      ))}
      {callId && <CallDetail callId={callId} />}
    </div>
  );
}

function Section({ testId, title, children }: { testId: string; title: string; children: ReactNode }) {
  return (
    <section className="card stack" data-testid={testId} aria-labelledby={`${testId}-title`}>
      <h2 id={`${testId}-title`}>{title}</h2>
      {children}
    </section>
  );
}
