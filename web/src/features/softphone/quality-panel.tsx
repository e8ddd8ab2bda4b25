import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { QualitySample } from './quality';
import { gradeConnection, type ConnectionGrade } from './quality-bars';

/** The grade of the latest sample against the one before (the engine publishes one a second). */
export function useConnectionGrade(sample: QualitySample | null): ConnectionGrade | null {
  const samples = useRef<{ previous: QualitySample | null; current: QualitySample | null; grade: ConnectionGrade | null }>({
    previous: null,
    current: null,
    grade: null,
  });
  const memo = samples.current;
  if (sample !== memo.current) {
    memo.previous = sample === null ? null : memo.current;
    memo.current = sample;
    memo.grade = sample === null ? null : gradeConnection(memo.previous, sample);
  }
  return memo.grade;
}

/** Signal bars at a glance; the live getStats figures on demand, for the subscriber and for support on the phone with them. */
export function QualityPanel({ sample, grade }: { sample: QualitySample | null; grade: ConnectionGrade | null }) {
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
      <div className="quality-heading">
        <h2 className="small">{t('softphone.quality.title')}</h2>
        {grade && <QualityBars bars={grade.bars} />}
      </div>
      <details className="quality-details" data-testid="quality-details">
        <summary className="small">{t('phoneUx.bars.details')}</summary>
        <dl className="quality-grid">
          {rows.map(([key, label, value]) => (
            <div key={key}>
              <dt>{label}</dt>
              <dd data-testid={`quality-${key}`}>{value}</dd>
            </div>
          ))}
        </dl>
      </details>
    </section>
  );
}

function QualityBars({ bars }: { bars: number }) {
  const { t } = useTranslation();
  const label = t('phoneUx.bars.label', { bars });
  return (
    <span
      className={`quality-bars quality-bars-${bars}`}
      role="img"
      aria-label={label}
      title={label}
      data-testid="quality-bars"
      data-bars={bars}
    >
      {[1, 2, 3, 4].map((level) => (
        <span key={level} className={`quality-bar quality-bar-${level}${level <= bars ? ' quality-bar-on' : ''}`} />
      ))}
    </span>
  );
}
