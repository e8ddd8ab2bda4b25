import type { InputHTMLAttributes, ReactNode, Ref } from 'react';
import { useFieldError } from './form-errors';

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'> & {
  /** Also the test id: one name finds the field in markup, in tests and for its label. */
  id: string;
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  /** Shown under the input and announced with it. */
  hint?: ReactNode;
  /**
   * The field's name in the request body, when it differs from `name`: the server's field errors
   * for it are shown under this input (inside a <FormProblem>).
   */
  field?: string;
  /** For fields focused from elsewhere (a keyboard shortcut). */
  ref?: Ref<HTMLInputElement>;
};

/** A labelled text input: the one shape every form in the app uses. */
export function TextField({ id, label, value, onValueChange, hint, field, ...input }: TextFieldProps) {
  const error = useFieldError(field ?? input.name, label);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-testid={id}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        value={value}
        onChange={(event) => onValueChange(event.target.value)}
        {...input}
      />
      {error && (
        <p id={errorId} className="field-error" data-testid={`${id}-error`}>
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
    </div>
  );
}
