import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueryState } from '../lib/use-api-query';
import { ProblemAlert } from './problem-alert';

/** Loading and error states for a `useApiQuery` result; renders `children` once data is there. */
export function QueryView<T>({
  state,
  onRetry,
  children,
}: {
  state: QueryState<T>;
  onRetry: () => void;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (state.status === 'loading') {
    return (
      <p className="muted" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="stack">
        <ProblemAlert error={state.error} />
        <div>
          <button type="button" className="button" onClick={onRetry}>
            {t('app.retry')}
          </button>
        </div>
      </div>
    );
  }
  return children(state.data);
}
