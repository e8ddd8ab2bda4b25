import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../lib/api-client';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse } from '../../types/api';

type Window = ApiResponse<'/api/portal/maintenance'>['windows'][number];

/** How often the softphone asks whether a window has begun or ended. */
const REFRESH_MS = 60_000;

/**
 * Clause 7: while a maintenance window that reaches the subscriber is in progress, a banner says so
 * (calls may fail for a known reason, not the subscriber's line). Nothing shows otherwise, nor when
 * the question cannot be answered: the phone works on without it.
 */
export function MaintenanceBanner() {
  const { t, i18n } = useTranslation();
  const when = useDateTimeFormat();
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [windows, setWindows] = useState<Window[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    const load = () =>
      getJson<{ windows: Window[] }>(`/api/portal/maintenance?lang=${lang}`, controller.signal).then(
        (data) => setWindows(data.windows.filter((w) => w.inProgress)),
        () => undefined,
      );
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    return () => {
      controller.abort();
      window.clearInterval(timer);
    };
  }, [lang]);
  if (windows.length === 0) return null;
  return (
    <div className="alert notice-banner" role="status" data-testid="maintenance-banner">
      {windows.map((w) => (
        <div key={w.id}>
          <p>{t('maintenance.banner.inProgress', { until: when(w.endsAt), title: w.title })}</p>
          {w.oldNumber && w.newNumber && (
            <p className="small">{t('maintenance.banner.numberChange', { oldNumber: w.oldNumber, newNumber: w.newNumber })}</p>
          )}
        </div>
      ))}
    </div>
  );
}
