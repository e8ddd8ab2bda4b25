import type { InputHTMLAttributes, ReactNode, Ref } from 'react';

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'> & {
  /** Also the test id: one name finds the field in markup, in tests and for its label. */
  id: string;
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  /** Shown under the input and announced with it. */
  hint?: ReactNode;
  /** For fields focused from elsewhere (a keyboard shortcut). */
  ref?: Ref<HTMLInputElement>;
};

/** A labelled text input: the one shape every form in the app uses. */
export function TextField({ id, label, value, onValueChange, hint, ...input }: TextFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-testid={id}
        aria-describedby={hintId}
        value={value}
        onChange={(event) => onValueChange(event.target.value)}
        {...input}
      />
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
    </div>
  );
}
