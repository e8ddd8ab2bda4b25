import { useTranslation } from 'react-i18next';
import type { QualitySample } from './quality';

/** Live figures from getStats, for the subscriber and for support on the phone with them. */
export function QualityPanel({ sample }: { sample: QualitySample | null }) {
  const { t } = useTranslation();
  const none = t('app.none');
  const route =
    sample?.localCandidateType === 'relay' || sample?.remoteCandidateType === 'relay'
      ? t('softphone.quality.relayed', { protocol: sample.relayProtocol ?? 'udp' })
      : sample?.localCandidateType
        ? t('softphone.quality.direct')
        : none;
  const rows: [string, string, string][] = [
    [
      'bitrate',
      t('softphone.quality.bitrate'),
      sample ? t('softphone.quality.kbps', { send: sample.sendKbps, receive: sample.receiveKbps }) : none,
    ],
    ['loss', t('softphone.quality.loss'), sample ? `${sample.lossPercent}%` : none],
    ['rtt', t('softphone.quality.rtt'), sample?.rttMs != null ? `${sample.rttMs} ms` : none],
    ['fps', t('softphone.quality.fps'), sample?.fps != null ? String(Math.round(sample.fps)) : none],
    ['resolution', t('softphone.quality.resolution'), sample?.width ? `${sample.width}×${sample.height}` : none],
    ['codec', t('softphone.quality.codec'), sample ? [sample.videoCodec, sample.audioCodec].filter(Boolean).join(' / ') || none : none],
    ['route', t('softphone.quality.route'), route],
  ];
  return (
    <section
      className="quality-panel"
      aria-label={t('softphone.quality.title')}
      data-testid="quality-panel"
      data-frames-decoded={sample?.framesDecoded ?? 0}
      data-audio-packets={sample?.audioPacketsReceived ?? 0}
      data-video-packets={sample?.videoPacketsReceived ?? 0}
      data-local-candidate={sample?.localCandidateType ?? ''}
      data-relay-protocol={sample?.relayProtocol ?? ''}
    >
      <h2 className="small">{t('softphone.quality.title')}</h2>
      <dl className="quality-grid">
        {rows.map(([key, label, value]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd data-testid={`quality-${key}`}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
