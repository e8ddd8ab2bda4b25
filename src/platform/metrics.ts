import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobRunnerObserver } from './jobs/job-runner.js';

/** One registry per process (or per test app), exposed on /metrics in Prometheus text format. */
export interface Metrics {
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  jobRuns: Counter<'job' | 'status'>;
  jobObserver: JobRunnerObserver;
}

export function createMetrics(options: { defaultMetrics: boolean }): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'videophone_' });
  const httpRequestDuration = new Histogram({
    name: 'videophone_http_request_duration_seconds',
    help: 'HTTP request duration by route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: 'videophone_job_runs_total',
    help: 'Scheduled job runs by outcome',
    labelNames: ['job', 'status'] as const,
    registers: [registry],
  });
  return {
    registry,
    httpRequestDuration,
    jobRuns,
    jobObserver: { onRun: (job, outcome) => jobRuns.inc({ job, status: outcome.status }) },
  };
}
