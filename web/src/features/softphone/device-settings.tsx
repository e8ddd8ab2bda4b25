import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listDevices, type DeviceChoice } from './media';

/** Camera, microphone and speaker choice, and the relay-only privacy option. */
export function DeviceSettings({ choice, onChange }: { choice: DeviceChoice; onChange: (next: DeviceChoice) => void }) {
  const { t } = useTranslation();
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    const refresh = () => void listDevices().then(setDevices, () => setDevices([]));
    refresh();
    navigator.mediaDevices?.addEventListener('devicechange', refresh);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', refresh);
  }, []);
  const select = (kind: MediaDeviceKind, key: 'cameraId' | 'microphoneId' | 'speakerId', label: string) => {
    const options = devices.filter((device) => device.kind === kind && device.deviceId);
    return (
      <div className="field">
        <label htmlFor={`device-${key}`}>{label}</label>
        <select
          id={`device-${key}`}
          data-testid={`device-${key}`}
          value={choice[key] ?? ''}
          onChange={(event) => onChange({ ...choice, [key]: event.target.value || null })}
        >
          <option value="">{t('softphone.defaultDevice')}</option>
          {options.map((device, index) => (
            <option key={device.deviceId} value={device.deviceId}>
              {device.label || `${label} ${index + 1}`}
            </option>
          ))}
        </select>
      </div>
    );
  };
  return (
    <section className="card device-settings" aria-labelledby="devices-title">
      <h2 id="devices-title">{t('softphone.devices')}</h2>
      {select('videoinput', 'cameraId', t('softphone.camera'))}
      {select('audioinput', 'microphoneId', t('softphone.microphone'))}
      {select('audiooutput', 'speakerId', t('softphone.speaker'))}
      <label className="checkbox">
        <input
          type="checkbox"
          data-testid="relay-only"
          checked={choice.relayOnly}
          onChange={(event) => onChange({ ...choice, relayOnly: event.target.checked })}
        />
        {t('softphone.relayOnly')}
      </label>
      <p className="hint">{t('softphone.relayOnlyHint')}</p>
    </section>
  );
}
