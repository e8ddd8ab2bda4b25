import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { TextField } from '../../components/text-field';
import { postJson } from '../../lib/api-client';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import { CaseHistory, caseTitle, type NegotiationCase } from '../../components/case-history';
import { Link } from '../../lib/router';
import type { PendingTermsChange } from './portal-api';
import { TermsChangeReader } from './terms-change-reader';
import { useAction } from '../../lib/use-action';

/**
 * New agreement versions waiting for the subscriber's answer (clause 15): object (which opens a
 * negotiation, clause 16) or accept before the last day; silence is acceptance at the deadline.
 */
export function TermsChangesSection() {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const notices = useApiQuery<{ termsChanges: PendingTermsChange[] }>('/api/portal/terms-changes');
  const cases = useApiQuery<{ cases: NegotiationCase[] }>('/api/portal/negotiation-cases');
  const [reason, setReason] = useState('');
  const [reply, setReply] = useState('');
  const action = useAction();

  async function send(path: string, body: unknown): Promise<void> {
    await action.run(async () => {
      await postJson(path, body);
      setReason('');
      setReply('');
      notices.reload();
      cases.reload();
    });
  }

  const pending = notices.state.status === 'success' ? notices.state.data.termsChanges : [];
  const ownCases = cases.state.status === 'success' ? cases.state.data.cases : [];
  if (pending.length === 0 && ownCases.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby="portal-terms" data-testid="portal-terms">
      <h2 id="portal-terms">{t('portal.termsTitle')}</h2>
      {pending.map((change) => (
        <div key={change.version} className="notice stack" data-testid="portal-terms-change">
          <p>{t('portal.termsChange', { version: change.version, effective: formatDateTime(change.effectiveAt) })}</p>
          <p>{change.summary}</p>
          <p className="small">{t('portal.termsDeadline', { day: change.lastDayToObject })}</p>
          <TermsChangeReader version={change.version} />
          <TextField id="portal-terms-reason" label={t('portal.objectionReason')} value={reason} onValueChange={setReason} />
          <div className="row-actions">
            <button
              type="button"
              className="button button-danger"
              disabled={!reason.trim() || action.busy}
              onClick={() => void send(`/api/portal/agreement-versions/${change.version}/objection`, { reason })}
              data-testid="portal-terms-object"
            >
              {t('portal.object')}
            </button>
            <button
              type="button"
              className="button"
              disabled={action.busy}
              onClick={() => void send(`/api/portal/agreement-versions/${change.version}/acceptance`, {})}
              data-testid="portal-terms-accept"
            >
              {t('portal.accept')}
            </button>
          </div>
        </div>
      ))}
      {ownCases.map((item) => (
        <div key={item.id} id={`case-${item.id}`} className="stack" data-testid="portal-case">
          <h3>{caseTitle(t, item)}</h3>
          {item.subject === 'fee-dispute' && (
            <p>
              <Link to="/portal/disputes">{t('casesConsole.disputeLink')}</Link>
            </p>
          )}
          <CaseHistory item={item} />
          {item.status === 'open' && (
            <div className="row-actions">
              <TextField id={`portal-case-reply-${item.id}`} label={t('casesConsole.reply')} value={reply} onValueChange={setReply} />
              <button
                type="button"
                className="button"
                disabled={!reply.trim() || action.busy}
                onClick={() => void send(`/api/portal/negotiation-cases/${item.id}/entries`, { text: reply })}
              >
                {t('casesConsole.send')}
              </button>
            </div>
          )}
        </div>
      ))}
      {action.error !== null && <ProblemAlert error={action.error} />}
    </section>
  );
}
