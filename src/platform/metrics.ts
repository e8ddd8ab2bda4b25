import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
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
  /** New SIP requests refused with 503 by local overload control, by method. */
  sipOverloadRefused: Counter<'method'>;
  /** The fraction of new SIP requests overload control admits now (1: no overload). */
  sipOverloadAdmitted: Gauge;
  /** Calls the proxy has seen start and not yet end (ringing or answered). */
  callsInProgress: Gauge;
  /** INVITEs that started a call record. */
  callAttempts: Counter;
  /** How call attempts ended: the final SIP status (200 when answered, 486, 487, 480...). */
  callOutcomes: Counter<'status'>;
  /** How long each scheduled job run took, by job and outcome. */
  jobDuration: Histogram<'job' | 'status'>;
  /** Tells the metrics where to read the live registrations (the registrar's location service). */
  watchRegistrations(count: () => number): void;
  /** Tells the metrics where to read the newest bill run's progress (billing). */
  watchBillRun(progress: () => Promise<{ total: number; billed: number; finished: boolean } | null>): void;
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
  const jobDuration = new Histogram({
    name: 'videophone_job_duration_seconds',
    help: 'Scheduled job run duration by job and outcome',
    labelNames: ['job', 'status'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [registry],
  });
  const admittedRatio = new Gauge({
    name: 'videophone_sip_overload_admitted_ratio',
    help: 'Fraction of new SIP requests local overload control admits (1 when not overloaded, and when the control is off)',
    registers: [registry],
  });
  admittedRatio.set(1);
  let registrations: () => number = () => 0;
  new Gauge({
    name: 'videophone_sip_registrations',
    help: 'Live SIP registrations (contact bindings) in the registrar',
    registers: [registry],
    collect() {
      this.set(registrations());
    },
  });
  let billRun: () => Promise<{ total: number; billed: number; finished: boolean } | null> = () => Promise.resolve(null);
  new Gauge({
    name: 'videophone_bill_run_subscribers',
    help: 'The newest bill run: subscribers to bill (total) and billed so far (billed); finished is 1 once it is done',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const progress = await billRun();
      this.reset();
      if (!progress) return;
      this.set({ state: 'total' }, progress.total);
      this.set({ state: 'billed' }, progress.billed);
      this.set({ state: 'finished' }, progress.finished ? 1 : 0);
    },
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
    sipOverloadRefused: counter(
      'videophone_sip_overload_refused_total',
      'New SIP requests refused with 503 while requests waited too long in the UDP receive queue (local overload control), by method',
      ['method'],
    ),
    sipOverloadAdmitted: admittedRatio,
    callsInProgress: new Gauge({
      name: 'videophone_calls_in_progress',
      help: 'Calls started and not yet ended (ringing or answered)',
      registers: [registry],
    }),
    callAttempts: new Counter({
      name: 'videophone_call_attempts_total',
      help: 'Call attempts (INVITEs that started a call)',
      registers: [registry],
    }),
    callOutcomes: counter('videophone_call_outcomes_total', 'Call attempts by final SIP status (200 when answered)', ['status']),
    jobDuration,
    jobObserver: {
      onRun: (job, outcome) => {
        jobRuns.inc({ job, status: outcome.status });
        if (outcome.status !== 'skipped') jobDuration.observe({ job, status: outcome.status }, outcome.durationMs / 1000);
      },
    },
    watchRegistrations(count) {
      registrations = count;
    },
    watchBillRun(progress) {
      billRun = progress;
    },
  };
}
