import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart } from '../../components/chart';
import { QueryView } from '../../components/query-view';
import { formatFen } from '../../lib/money';
import { useApiQuery } from '../../lib/use-api-query';
import type { ApiResponse } from '../../types/api';

type Business = ApiResponse<'/api/console/dashboard/business'>;
type Operations = ApiResponse<'/api/console/dashboard/operations'>;
// Statuses are the server's words; a status not in the messages shows as it is.
type StatusName = 'active';

const yuan = (fen: number) => Math.round(fen) / 100;

/** Managers (billing.read): subscribers and money. */
export function BusinessDashboard() {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<Business>('/api/console/dashboard/business');
  return (
    <section className="card stack" data-testid="dashboard-business">
      <h2>{t('dashboard.managers')}</h2>
      <QueryView state={state} onRetry={reload}>
        {(figures) => <BusinessFigures figures={figures} />}
      </QueryView>
    </section>
  );
}

function BusinessFigures({ figures }: { figures: Business }) {
  const { t } = useTranslation();
  const { money } = figures;
  const statusData = useMemo(
    () => ({
      labels: figures.subscribersByStatus.map((row) => t(`dashboard.statuses.${row.status as StatusName}`, row.status)),
      datasets: [
        {
          label: t('dashboard.subscribersByStatus'),
          data: figures.subscribersByStatus.map((row) => row.count),
          backgroundColor: '#1f5fa8',
        },
      ],
    }),
    [figures, t],
  );
  const flowData = useMemo(
    () => ({
      labels: figures.subscriberFlow.map((row) => row.month),
      datasets: [
        { label: t('dashboard.newSubscribers'), data: figures.subscriberFlow.map((row) => row.joined), backgroundColor: '#2e8b57' },
        {
          label: t('dashboard.terminatedSubscribers'),
          data: figures.subscriberFlow.map((row) => row.terminated),
          backgroundColor: '#c0392b',
        },
      ],
    }),
    [figures, t],
  );
  const moneyData = useMemo(
    () => ({
      labels: money.months.map((row) => row.month),
      datasets: [
        { label: t('dashboard.billed'), data: money.months.map((row) => yuan(row.billedFen)), backgroundColor: '#1f5fa8' },
        { label: t('dashboard.collected'), data: money.months.map((row) => yuan(row.collectedFen)), backgroundColor: '#2e8b57' },
      ],
    }),
    [money, t],
  );
  return (
    <>
      <div className="figure-row">
        <Figure testId="figure-receivables" label={t('dashboard.receivables')} value={formatFen(money.receivablesFen)} />
        <Figure testId="figure-overdue-accounts" label={t('dashboard.overdueAccounts')} value={String(money.overdueAccounts)} />
        <Figure testId="figure-collections" label={t('dashboard.collections')} value={formatFen(money.collectionsFen)} />
        <Figure
          testId="figure-arpu"
          label={t('dashboard.arpu')}
          value={money.arpuFen === null ? t('app.none') : formatFen(money.arpuFen)}
        />
      </div>
      <div className="chart-grid">
        <ChartCard title={t('dashboard.subscribersByStatus')}>
          <Chart testId="chart-subscribers-by-status" kind="bar" label={t('dashboard.subscribersByStatus')} data={statusData} />
        </ChartCard>
        <ChartCard title={t('dashboard.newAndTerminated')}>
          <Chart testId="chart-subscriber-flow" kind="bar" label={t('dashboard.newAndTerminated')} data={flowData} />
        </ChartCard>
        <ChartCard title={t('dashboard.revenue')}>
          <Chart testId="chart-revenue" kind="bar" label={t('dashboard.revenue')} data={moneyData} />
        </ChartCard>
      </div>
    </>
  );
}

/** Support and technicians (calls.read): the network now and calls over the last 30 days. */
export function OperationsDashboard() {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<Operations>('/api/console/dashboard/operations');
  return (
    <section className="card stack" data-testid="dashboard-operations">
      <h2>{t('dashboard.operations')}</h2>
      <QueryView state={state} onRetry={reload}>
        {(figures) => <OperationsFigures figures={figures} />}
      </QueryView>
    </section>
  );
}

function OperationsFigures({ figures }: { figures: Operations }) {
  const { t } = useTranslation();
  const successData = useMemo(
    () => ({
      labels: figures.days.map((row) => row.day),
      datasets: [
        {
          label: t('dashboard.callSuccess'),
          data: figures.days.map((row) => (row.attempts === 0 ? null : Math.round((1000 * row.answered) / row.attempts) / 10)),
          borderColor: '#1f5fa8',
        },
      ],
    }),
    [figures, t],
  );
  const qualityData = useMemo(
    () => ({
      labels: figures.days.map((row) => row.day),
      datasets: [
        { label: t('dashboard.loss'), data: figures.days.map((row) => row.lossPercent), borderColor: '#c0392b' },
        { label: t('dashboard.jitter'), data: figures.days.map((row) => row.jitterMs), borderColor: '#8e44ad' },
      ],
    }),
    [figures, t],
  );
  return (
    <>
      <div className="figure-row">
        <Figure testId="figure-registrations" label={t('dashboard.registrations')} value={String(figures.registrations)} />
        <Figure testId="figure-calls-in-progress" label={t('dashboard.callsInProgress')} value={String(figures.callsInProgress)} />
      </div>
      <div className="chart-grid">
        <ChartCard title={t('dashboard.callSuccess')}>
          <Chart testId="chart-call-success" kind="line" label={t('dashboard.callSuccess')} data={successData} />
        </ChartCard>
        <ChartCard title={t('dashboard.callQuality')}>
          <Chart testId="chart-call-quality" kind="line" label={t('dashboard.callQuality')} data={qualityData} />
        </ChartCard>
      </div>
    </>
  );
}

function Figure({ testId, label, value }: { testId: string; label: string; value: string }) {
  return (
    <div className="figure">
      <span className="muted">{label}</span>
      <strong data-testid={testId}>{value}</strong>
    </div>
  );
}

function ChartCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <figure>
      <figcaption>{title}</figcaption>
      {children}
    </figure>
  );
}
