import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { Link } from '../../lib/router';
import { disputeProblemKey } from './disputes-api';

/**
 * A refusal of a dispute action in the reader's language: the dispute's own sentence when its code
 * and fields name one (already disputed, not charged, …), else the general one for the code.
 */
export function DisputeProblem({ error, action, testId }: { error: unknown; action: 'open' | 'respond' | 'handle'; testId?: string }) {
  const { t } = useTranslation();
  const key = disputeProblemKey(error, action);
  if (key === null) return <ProblemAlert error={error} {...(testId ? { testId } : {})} />;
  return (
    <div className="alert alert-error" role="alert" data-testid={testId} data-problem={key}>
      <p>{t(`disputes.problems.${key}`)}</p>
      {key === 'alreadyDisputed' && <Link to="/portal/disputes">{t('disputes.portalLink')}</Link>}
    </div>
  );
}
