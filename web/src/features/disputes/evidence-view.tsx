import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { formatFen } from '../../lib/money';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { CallEvidence, Evidence, Finding, QualityReportEvidence, RatingEvidence } from './disputes-api';

/** A per-minute rate in 1/10000 fen (30_0000 → "¥0.30"), by string so no float rounding shows. */
export function formatPreciseRate(precise: number): string {
  const digits = String(Math.trunc(Math.abs(precise))).padStart(7, '0');
  const yuan = digits.slice(0, -6).replace(/^0+(?=\d)/, '');
  const fraction = digits.slice(-6).replace(/0+$/, '').padEnd(2, '0');
  return `${precise < 0 ? '-' : ''}¥${yuan}.${fraction}`;
}

function seconds(ms: number | null): string {
  if (ms === null) return '';
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** A finding of the proposed judgement as a sentence in the reader's language. */
export function findingSentence(t: TFunction, finding: Finding): string {
  switch (finding.code) {
    case 'end-unseen':
    case 'no-report':
      return t(`disputesConsole.findings.${finding.code}`);
    case 'ended-by-platform':
      return t('disputesConsole.findings.ended-by-platform', { reason: finding.endReason ?? t('disputesConsole.unknownReason') });
    case 'server-error':
      return t('disputesConsole.findings.server-error', { status: finding.status });
    default:
      return t(`disputesConsole.findings.${finding.code}`, {
        side: t(`disputesConsole.sides.${finding.side}`),
        value: finding.value,
        threshold: finding.threshold,
      });
  }
}

/**
 * The evidence beside a dispute, side by side: the call record, what each party measured with its
 * estimated MOS, how the call was rated, the proposed judgement, and for a bill the bill itself
 * (drawn by `bill`, which the app gives from billing's card).
 */
export function EvidenceView({ evidence, bill }: { evidence: Evidence; bill: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="stack" aria-labelledby="dispute-evidence" data-testid="dispute-evidence">
      <h2 id="dispute-evidence">{t('disputesConsole.evidenceTitle')}</h2>
      <div className="evidence-grid">
        {evidence.call && <CallRecord call={evidence.call} />}
        {evidence.judgement && <JudgementView judgement={evidence.judgement} />}
      </div>
      {evidence.call && <QualityReports reports={evidence.qualityReports} mos={evidence.judgement?.mos ?? []} />}
      {evidence.call && (evidence.rating ? <Rating rating={evidence.rating} /> : <p className="muted">{t('disputesConsole.notRated')}</p>)}
      {evidence.bill !== null && evidence.bill !== undefined && bill}
    </section>
  );
}

function CallRecord({ call }: { call: CallEvidence }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const rows: [string, ReactNode, string][] = [
    [t('disputesConsole.caller'), call.caller, 'caller'],
    [t('disputesConsole.callee'), call.callee, 'callee'],
    [t('disputesConsole.invitedAt'), formatDateTime(call.invitedAt), 'invited'],
    [t('disputesConsole.answeredAt'), call.answeredAt ? formatDateTime(call.answeredAt) : t('app.none'), 'answered'],
    [t('disputesConsole.endedAt'), call.endedAt ? formatDateTime(call.endedAt) : t('app.none'), 'ended'],
    [t('disputesConsole.duration'), seconds(call.durationMs) || t('app.none'), 'duration'],
    [t('disputesConsole.hungUpBy'), call.hungUpBy ? t(`disputesConsole.hungUpByValues.${call.hungUpBy}`) : t('app.none'), 'hung-up-by'],
    [t('disputesConsole.endReason'), call.endReason ?? t('app.none'), 'end-reason'],
    [t('disputesConsole.finalStatus'), call.finalStatus ?? t('app.none'), 'final-status'],
  ];
  return (
    <div className="card stack" data-testid="evidence-call">
      <h3>{t('disputesConsole.callTitle')}</h3>
      <dl className="billing-figures">
        {rows.map(([label, value, id]) => (
          <div key={id}>
            <dt>{label}</dt>
            <dd data-testid={`call-${id}`}>{value}</dd>
          </div>
        ))}
      </dl>
      {call.endUnseen && <p className="text-danger">{t('disputesConsole.endUnseen')}</p>}
    </div>
  );
}

function QualityReports({ reports, mos }: { reports: QualityReportEvidence[]; mos: { reporter: string; mos: number }[] }) {
  const { t } = useTranslation();
  const ms = (value: number | null) => (value === null ? t('app.none') : t('disputesConsole.ms', { value }));
  return (
    <div className="card stack" data-testid="evidence-quality">
      <h3>{t('disputesConsole.qualityTitle')}</h3>
      <DataTable
        testId="quality-reports"
        headings={[
          t('disputesConsole.side'),
          t('disputesConsole.reporter'),
          t('disputesConsole.loss'),
          t('disputesConsole.jitter'),
          t('disputesConsole.rtt'),
          t('disputesConsole.codecs'),
          t('disputesConsole.candidates'),
          t('disputesConsole.mos'),
        ]}
        emptyMessage={t('disputesConsole.noReports')}
        isEmpty={reports.length === 0}
      >
        {reports.map((report) => {
          const estimate = mos.find((m) => m.reporter === report.reporter)?.mos;
          return (
            <tr key={report.id} data-testid={`quality-report-${report.side}`}>
              <td>{t(`disputesConsole.sides.${report.side}`)}</td>
              <td className="nowrap">{report.reporter}</td>
              <td className="numeric" data-testid="quality-loss">
                {report.lossPercent === null ? t('app.none') : `${report.lossPercent}%`}
              </td>
              <td className="numeric">{ms(report.jitterMs)}</td>
              <td className="numeric">{ms(report.rttMs)}</td>
              <td>{[report.audioCodec, report.videoCodec].filter(Boolean).join(' / ') || t('app.none')}</td>
              <td>
                {report.localCandidateType ?? t('app.none')} / {report.remoteCandidateType ?? t('app.none')}
                {report.relayProtocol ? ` (${report.relayProtocol})` : ''}
              </td>
              <td className="numeric" data-testid="quality-mos">
                {estimate === undefined ? t('app.none') : estimate.toFixed(1)}
              </td>
            </tr>
          );
        })}
      </DataTable>
    </div>
  );
}

function Rating({ rating }: { rating: RatingEvidence }) {
  const { t } = useTranslation();
  const s = (value: number) => t('disputesConsole.seconds', { value });
  return (
    <div className="card stack" data-testid="evidence-rating">
      <h3>{t('disputesConsole.ratingTitle')}</h3>
      <dl className="billing-figures">
        <div>
          <dt>{t('disputesConsole.plan')}</dt>
          <dd>{rating.plan.code}</dd>
        </div>
        <div>
          <dt>{t('disputesConsole.rate')}</dt>
          <dd className="numeric">{formatPreciseRate(rating.plan.perMinuteRatePrecise)}</dd>
        </div>
        <div>
          <dt>{t('disputesConsole.increment')}</dt>
          <dd>{t('disputesConsole.incrementSeconds', { seconds: rating.plan.billingIncrementSeconds })}</dd>
        </div>
        <div>
          <dt>{t('disputesConsole.includedMinutes')}</dt>
          <dd>{t('disputesConsole.minutes', { value: rating.plan.includedMinutes })}</dd>
        </div>
      </dl>
      <DataTable
        testId="rating-charges"
        headings={[
          t('disputesConsole.chargeKind'),
          t('disputesConsole.usagePeriod'),
          t('disputesConsole.billPeriod'),
          t('disputesConsole.billableSeconds'),
          t('disputesConsole.includedSeconds'),
          t('disputesConsole.chargedSeconds'),
          t('disputesConsole.charge'),
        ]}
        emptyMessage={t('disputesConsole.notRated')}
        isEmpty={rating.charges.length === 0}
      >
        {rating.charges.map((charge, index) => (
          <tr key={index}>
            <td>{t(`disputesConsole.chargeKinds.${charge.kind}`)}</td>
            <td className="nowrap">{charge.usagePeriod.slice(0, 7)}</td>
            <td className="nowrap">{charge.billPeriod.slice(0, 7)}</td>
            <td className="numeric">{s(charge.billableSeconds)}</td>
            <td className="numeric">{s(charge.includedSeconds)}</td>
            <td className="numeric">{s(charge.chargedSeconds)}</td>
            <td className="numeric">{formatFen(charge.chargeFen)}</td>
          </tr>
        ))}
        <tr className="total-row">
          <th scope="row" colSpan={6}>
            {t('bills.total')}
          </th>
          <td className="numeric" data-testid="rating-total">
            {formatFen(rating.chargeFen)}
          </td>
        </tr>
      </DataTable>
    </div>
  );
}

function JudgementView({ judgement }: { judgement: NonNullable<Evidence['judgement']> }) {
  const { t } = useTranslation();
  const danger = judgement.classification === 'platform-side';
  return (
    <div className="card stack" data-testid="evidence-judgement" data-classification={judgement.classification}>
      <h3>{t('disputesConsole.judgementTitle')}</h3>
      <p>
        <span className={`badge${danger ? ' badge-danger' : ''}`} data-testid="judgement-class">
          {t(`disputesConsole.classes.${judgement.classification}`)}
        </span>{' '}
        {t(`disputesConsole.classExplain.${judgement.classification}`)}
      </p>
      <ul data-testid="judgement-findings">
        {judgement.findings.map((finding, index) => (
          <li key={index}>{findingSentence(t, finding)}</li>
        ))}
      </ul>
      <p className="muted small">{t('disputesConsole.judgementIntro')}</p>
    </div>
  );
}
