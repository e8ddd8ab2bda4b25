import { useTranslation } from 'react-i18next';
import { TextField } from '../../components/text-field';

/**
 * An amount a clerk types in yuan ("41.16"), parsed by the form with `parseYuanToFen`: the field shows
 * an example, or `error` in its place when the amount cannot be taken.
 */
export function YuanField({
  id,
  label,
  value,
  onValueChange,
  error,
}: {
  id: string;
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  error: string | null;
}) {
  const { t } = useTranslation();
  return (
    <TextField
      id={id}
      label={label}
      value={value}
      onValueChange={onValueChange}
      inputMode="decimal"
      hint={error === null ? t('billingConsole.amountHint') : <span className="text-danger">{error}</span>}
      required
    />
  );
}
