import { useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useNotificationSetting } from './attention';
import { ringer } from './ringer';

function useSoundState() {
  return useSyncExternalStore(ringer.subscribe, () => ringer.soundState);
}

/** Sound on/off and call notifications, under the device settings. */
export function SoundSettings() {
  const { t } = useTranslation();
  const sound = useSoundState();
  const notifications = useNotificationSetting();
  return (
    <section className="card sound-settings" aria-labelledby="sound-title" data-testid="sound-settings" data-sound={sound}>
      <h2 id="sound-title">{t('phoneUx.sound.title')}</h2>
      {sound === 'running' && <p className="small muted">{t('phoneUx.sound.enabledHint')}</p>}
      {sound === 'unavailable' && <p className="small muted">{t('phoneUx.sound.unavailable')}</p>}
      {sound === 'suspended' && (
        <div>
          <p className="small">{t('phoneUx.sound.disabledHint')}</p>
          <button type="button" className="button button-small" data-testid="enable-sound" onClick={() => ringer.unlock()}>
            {t('phoneUx.sound.enable')}
          </button>
        </div>
      )}
      {notifications.availability === 'unsupported' ? (
        <p className="small muted">{t('phoneUx.sound.notificationsUnsupported')}</p>
      ) : (
        <label className="checkbox">
          <input
            type="checkbox"
            data-testid="notifications-toggle"
            checked={notifications.enabled}
            disabled={notifications.availability === 'denied'}
            onChange={(event) => (event.target.checked ? void notifications.enable() : notifications.disable())}
          />
          {t('phoneUx.sound.notifications')}
        </label>
      )}
      {notifications.availability === 'denied' && <p className="small muted">{t('phoneUx.sound.notificationsDenied')}</p>}
    </section>
  );
}

/**
 * After the first call (a moment the person knows what the phone is for), once: would they like to be
 * notified of calls in the background? The browser's prompt comes only from the button.
 */
export function NotificationOffer({ afterFirstCall }: { afterFirstCall: boolean }) {
  const { t } = useTranslation();
  const notifications = useNotificationSetting();
  const [dismissed, setDismissed] = useState(false);
  if (!afterFirstCall || dismissed || !notifications.undecided) return null;
  return (
    <div className="notice notification-offer" role="status" data-testid="notification-offer">
      <p>{t('phoneUx.sound.offerNotifications')}</p>
      <div className="toolbar">
        <button
          type="button"
          className="button button-small button-primary"
          data-testid="notification-offer-accept"
          onClick={() => void notifications.enable()}
        >
          {t('phoneUx.sound.offerAccept')}
        </button>
        <button
          type="button"
          className="button button-small button-quiet"
          onClick={() => {
            notifications.disable();
            setDismissed(true);
          }}
        >
          {t('phoneUx.sound.offerDismiss')}
        </button>
      </div>
    </div>
  );
}
