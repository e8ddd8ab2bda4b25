import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** Formats ISO timestamps for the current language, in the viewer's time zone. */
export function useDateTimeFormat(): (iso: string) => string {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' });
    return (iso: string) => {
      const date = new Date(iso);
      // Show what the server sent rather than "Invalid Date" if it is not a timestamp.
      return Number.isNaN(date.getTime()) ? iso : format.format(date);
    };
  }, [i18n.language]);
}
