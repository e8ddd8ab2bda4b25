import { createContext, useCallback, useContext, useMemo, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblemError, type ProblemFieldError } from '../lib/api-client';
import { fieldErrorMessagesZhCN } from './field-error-messages';

/**
 * Field errors next to their fields. A form wraps its fields in <FormProblem error={action.error}>;
 * each TextField (or <FieldErrorText name=…/> under a select) finds the server's error for its name
 * and shows it translated, marking the input invalid. The server's English `message` and its field
 * names never reach a person: only codes, translated here (one mapping, `fieldErrors.*`).
 */
interface FormProblemState {
  errors: readonly ProblemFieldError[];
  /** Labels registered by the fields inside, so the summary can name a field in words. */
  labels: Map<string, string>;
}

const FormProblemContext = createContext<FormProblemState | null>(null);

export function fieldErrorsOf(error: unknown): readonly ProblemFieldError[] {
  return error instanceof ApiProblemError ? (error.problem.errors ?? []) : [];
}

export function FormProblem({ error, children }: { error: unknown; children: ReactNode }) {
  const labels = useRef(new Map<string, string>()).current;
  const value = useMemo(() => ({ errors: fieldErrorsOf(error), labels }), [error, labels]);
  return <FormProblemContext.Provider value={value}>{children}</FormProblemContext.Provider>;
}

/** The words for one field error, in the current language. */
export function useFieldErrorText(): (fieldError: ProblemFieldError) => string {
  const { t } = useTranslation();
  return useCallback(
    (fieldError: ProblemFieldError) => {
      const params = fieldError.params ?? {};
      if (fieldError.code === 'format') {
        const format = String(params.format ?? '');
        if (format in formatKeys) return t(formatKeys[format as keyof typeof formatKeys]);
      }
      const key = `fieldErrors.${fieldError.code}`;
      // An unknown code (a newer server) still reads as a sentence, never as the code itself.
      return knownCodes.has(fieldError.code) ? t(key as 'fieldErrors.invalid', params) : t('fieldErrors.invalid');
    },
    [t],
  );
}

const formatKeys = {
  date: 'fieldErrors.formats.date',
  'date-time': 'fieldErrors.formats.date-time',
  email: 'fieldErrors.formats.email',
  uuid: 'fieldErrors.formats.uuid',
  uri: 'fieldErrors.formats.uri',
} as const;

// The codes the app has words for (a test keeps them equal to the server's catalogue).
const notCodes = new Set(['formats', 'summary', 'fieldLabel']);
const knownCodes = new Set(Object.keys(fieldErrorMessagesZhCN.fieldErrors).filter((key) => !notCodes.has(key)));

/** A field's error, if the form's last answer blamed it (by its name in the request), translated. */
export function useFieldError(name: string | undefined, label?: string): string | undefined {
  const state = useContext(FormProblemContext);
  const describe = useFieldErrorText();
  if (!state || !name) return undefined;
  if (label) state.labels.set(name, label);
  const fieldError = state.errors.find((candidate) => candidate.field === name);
  return fieldError ? describe(fieldError) : undefined;
}

/** The error line under an input the form renders itself (a select, a textarea). */
export function FieldErrorText({ name, label, id }: { name: string; label?: string; id?: string }) {
  const message = useFieldError(name, label);
  if (!message) return null;
  return (
    <p className="field-error" id={id} data-testid={`field-error-${name}`}>
      {message}
    </p>
  );
}

/** Whether the surrounding form placed a field's error next to that field (so a summary need not repeat it). */
export function useFormProblemLabels(): Map<string, string> | null {
  return useContext(FormProblemContext)?.labels ?? null;
}
