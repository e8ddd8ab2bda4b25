import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobRunnerObserver } from './jobs/index.js';

/** One registry per process (or per test app), exposed on /metrics in Prometheus text format. */
export interface Metrics {
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  jobRuns: Counter<'job' | 'status'>;
  jobObserver: JobRunnerObserver;
  /** Connections closed as soon as they were accepted because a cap was reached. */
  connectionsRefused: Counter<'transport' | 'reason'>;
  /** SIP messages and connections the transport dropped (malformed, too large, caps, timeouts, refused by the edge guard). */
  sipDropped: Counter<'protocol' | 'reason'>;
  /** Failed digest authentications that count toward bans, by reason. */
  sipAuthFailures: Counter<'reason'>;
  /** Bans imposed, by kind (source address or username). */
  sipBans: Counter<'kind'>;
  /** Messages and connections the edge guard refused before parsing, by reason (banned, rate-limited). */
  sipRefused: Counter<'reason'>;
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
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    httpRequestDuration,
    jobRuns,
    connectionsRefused: counter(
      'videophone_connections_refused_total',
      'Connections closed on arrival because a cap (total or per source address) was reached',
      ['transport', 'reason'],
    ),
    sipDropped: counter('videophone_sip_dropped_total', 'SIP messages and connections dropped by the transport, by reason', [
      'protocol',
      'reason',
    ]),
    sipAuthFailures: counter('videophone_sip_auth_failures_total', 'Failed SIP digest authentications, by reason', ['reason']),
    sipBans: counter('videophone_sip_bans_total', 'SIP bans imposed, by kind', ['kind']),
    sipRefused: counter('videophone_sip_refused_total', 'SIP messages and connections refused at the edge, by reason', ['reason']),
    jobObserver: { onRun: (job, outcome) => jobRuns.inc({ job, status: outcome.status }) },
  };
}
