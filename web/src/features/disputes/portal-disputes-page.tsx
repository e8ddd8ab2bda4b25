import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PublicLayout } from '../../components/public-layout';
import { QueryView } from '../../components/query-view';
import { TextField } from '../../components/text-field';
import { ApiProblemError, postJson } from '../../lib/api-client';
import { formatFen } from '../../lib/money';
import { Link, navigate } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import { DisputeProblem } from './dispute-problem';
import type { Dispute, DisputeStatus } from './disputes-api';

export function disputeStatusClass(status: DisputeStatus): string {
  return status === 'answered' ? 'badge badge-success' : 'badge';
}

/** "My disputes" (clause 6): each with its status and due date, the answer when there is one, and accepting or escalating it. */
export function PortalDisputesPage() {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<{ disputes: Dispute[] }>('/api/portal/disputes');
  const opened = new URLSearchParams(window.location.search).get('opened');

  useEffect(() => {
    if (state.status === 'error' && state.error instanceof ApiProblemError && state.error.problem.status === 401) {
      navigate(`/portal/login?next=${encodeURIComponent(window.location.pathname)}`, { replace: true });
    }
  }, [state]);

  return (
    <PublicLayout>
      <div className="portal stack" data-testid="portal-disputes-page">
        <div className="toolbar">
          <h1>{t('disputes.title')}</h1>
          <Link to="/portal/bills" className="button button-quiet">
            {t('disputes.backToBills')}
          </Link>
          <Link to="/portal" className="button button-quiet">
            {t('disputes.backToPortal')}
          </Link>
        </div>
        <p className="muted">{t('disputes.intro')}</p>
        <QueryView state={state} onRetry={reload}>
          {({ disputes }) => (
            <>
              {opened &&
                disputes
                  .filter((d) => d.id === opened)
                  .map((d) => (
                    <p key={d.id} className="notice" role="status" data-testid="dispute-submitted">
                      {t('disputes.submitted', { due: d.dueOn })}
                    </p>
                  ))}
              {disputes.length === 0 ? (
                <p className="muted">{t('disputes.empty')}</p>
              ) : (
                disputes.map((dispute) => <DisputeCard key={dispute.id} dispute={dispute} onChanged={reload} />)
              )}
            </>
          )}
        </QueryView>
      </div>
    </PublicLayout>
  );
}

function DisputeCard({ dispute, onChanged }: { dispute: Dispute; onChanged: () => void }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  return (
    <section className="card stack" data-testid="portal-dispute" data-status={dispute.status}>
      <div className="toolbar">
        <h2>
          {t(`disputes.subjects.${dispute.subject}`)} · {formatFen(dispute.amountFen)}
        </h2>
        <span className={disputeStatusClass(dispute.status)} data-testid="dispute-status">
          {t(`disputes.statuses.${dispute.status}`)}
        </span>
      </div>
      <dl className="billing-figures">
        <div>
          <dt>{t('disputes.disputedAmount')}</dt>
          <dd className="numeric">{formatFen(dispute.amountFen)}</dd>
        </div>
        <div>
          <dt>{t('disputes.opened')}</dt>
          <dd>{formatDateTime(dispute.openedAt)}</dd>
        </div>
        <div>
          <dt>{t('disputes.dueOn')}</dt>
          <dd data-testid="dispute-due">{dispute.dueOn}</dd>
        </div>
      </dl>
      <p className="small">{t('disputes.yourReason', { reason: dispute.reason })}</p>
      {dispute.attachment && (
        <p className="small">
          {t('disputes.attached')}
          <a href={`/api/portal/disputes/${dispute.id}/attachment`} download>
            {dispute.attachment.name}
          </a>
        </p>
      )}
      {dispute.answer && dispute.outcome && <DisputeAnswerView dispute={dispute} />}
      {dispute.status === 'answered' && <Respond dispute={dispute} onChanged={onChanged} />}
      {dispute.response === 'accepted' && <p className="muted">{t('disputes.acceptedNote')}</p>}
      {dispute.response === 'escalated' && (
        <p className="notice" data-testid="dispute-escalated">
          {t('disputes.escalatedNote')}{' '}
          {dispute.negotiationCaseId && (
            <Link to={`/portal#case-${dispute.negotiationCaseId}`} data-testid="dispute-case-link">
              {t('disputes.caseLink')}
            </Link>
          )}
        </p>
      )}
    </section>
  );
}

/** The answer: the outcome, what was given back, the reason as a sentence in the reader's language, and the agent's own words. */
export function DisputeAnswerView({ dispute }: { dispute: Dispute }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  if (!dispute.answer || !dispute.outcome) return null;
  return (
    <div className="notice stack" data-testid="dispute-answer">
      <h3>{t('disputes.answerTitle')}</h3>
      <p>
        <strong data-testid="dispute-outcome">{t(`disputes.outcomes.${dispute.outcome}`)}</strong>{' '}
        <span className="small muted">{t('disputes.answeredAt', { time: formatDateTime(dispute.answer.at) })}</span>
      </p>
      {(dispute.creditedFen ?? 0) > 0 && (
        <p data-testid="dispute-credited">{t('disputes.credited', { amount: formatFen(dispute.creditedFen ?? 0) })}</p>
      )}
      <p data-testid="dispute-answer-code">{t(`disputes.answerCodes.${dispute.answer.code}`)}</p>
      <p data-testid="dispute-answer-text">
        {t('disputes.agentSays')}
        {dispute.answer.text}
      </p>
    </div>
  );
}

function Respond({ dispute, onChanged }: { dispute: Dispute; onChanged: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const action = useAction();

  async function send(path: string, body: unknown): Promise<void> {
    const done = await action.run(() => postJson<Dispute>(path, body));
    if (done) onChanged();
  }

  return (
    <div className="stack">
      <div className="row-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={action.busy}
          onClick={() => void send(`/api/portal/disputes/${dispute.id}/accept`, {})}
          data-testid="dispute-accept"
        >
          {t('disputes.accept')}
        </button>
      </div>
      <TextField
        id={`dispute-escalate-reason-${dispute.id}`}
        label={t('disputes.escalateReason')}
        value={reason}
        onValueChange={setReason}
        hint={t('disputes.escalateHint')}
        maxLength={4000}
      />
      <div className="row-actions">
        <button
          type="button"
          className="button button-danger"
          disabled={action.busy || !reason.trim()}
          onClick={() => void send(`/api/portal/disputes/${dispute.id}/escalate`, { reason: reason.trim() })}
          data-testid="dispute-escalate"
        >
          {t('disputes.escalate')}
        </button>
      </div>
      {action.error !== null && <DisputeProblem error={action.error} action="respond" />}
    </div>
  );
}
