import { useCallback, useState } from 'react';

export interface Action {
  /** The work is running: buttons that start it again are disabled. */
  busy: boolean;
  /** What the last run failed with (shown by ProblemAlert), or null. */
  error: unknown;
  /** Runs `work` after clearing the last error; resolves to its result, or to undefined when it failed. */
  run: <T>(work: () => Promise<T>) => Promise<T | undefined>;
  /** Shows an error that did not come from `run` (a check before sending), or clears it with null. */
  setError: (error: unknown) => void;
}

/** One person's action against the API (a form submit, a button): its busy flag and its error, in one place. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (caught) {
      setError(caught);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, setError };
}
