import { useTranslation } from 'react-i18next';
import { useDescribeError } from '../lib/use-describe-error';
import { fieldErrorsOf, useFieldErrorText, useFormProblemLabels } from './form-errors';

/**
 * A failed request in words. Field errors are listed translated, named by their field's label when
 * the form registered one (and shown next to the field itself); never by the server's field names.
 */
export function ProblemAlert({ error, testId }: { error: unknown; testId?: string }) {
  const { t } = useTranslation();
  const describe = useDescribeError();
  const describeField = useFieldErrorText();
  const labels = useFormProblemLabels();
  const fieldErrors = fieldErrorsOf(error);
  // Forms render their alert with the last action's error, which is null until something failed.
  if (error === null || error === undefined) return null;
  return (
    <div className="alert alert-error" role="alert" data-testid={testId}>
      <p>{fieldErrors.length > 0 ? t('fieldErrors.summary') : describe(error)}</p>
      {fieldErrors.length > 0 && (
        <ul>
          {fieldErrors.map((fieldError) => {
            const label = labels?.get(fieldError.field);
            const message = describeField(fieldError);
            return <li key={fieldError.pointer}>{label ? t('fieldErrors.fieldLabel', { label, message }) : message}</li>;
          })}
        </ul>
      )}
    </div>
  );
}
