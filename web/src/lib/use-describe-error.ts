import { useTranslation } from 'react-i18next';
import { isProblemCode } from '../types/api';
import { ApiProblemError } from './api-client';
import { useDateTimeFormat } from './use-date-time-format';

/** Turns a failed request into a sentence in the current language. */
export function useDescribeError(): (error: unknown) => string {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  return (error) => {
    // Anything that is not an answer from the server means the request never completed (offline, server down).
    if (!(error instanceof ApiProblemError)) return t('problems.network');
    const { problem } = error;
    if (problem.code === 'account-locked' && problem.lockedUntil) {
      return t('problems.account-locked-until', { until: formatDateTime(problem.lockedUntil) });
    }
    if (isProblemCode(problem.code)) return t(`problems.${problem.code}`);
    return problem.detail ?? problem.title;
  };
}
