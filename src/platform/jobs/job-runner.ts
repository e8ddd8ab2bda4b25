import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { isDatabaseUnavailable, type DatabaseHandle } from '../db/index.js';

/**
 * Something that happens because time passes (late fees, dunning, deemed acceptance, session expiry).
 * `advanceTo(T)` brings the job's state up to instant T and must be idempotent: running it twice for
 * the same T changes nothing the second time, and running it for T after a crash finishes the work.
 *
 * `stopping` is aborted when the runner stops (the service is shutting down). A job whose work waits
 * on others (a device that may never answer) stops waiting then and leaves what it had not finished
 * to the next run, which idempotence makes safe; a job that ignores it is waited for.
 */
export interface TimeDrivenJob {
  name: string;
  intervalSeconds: number;
  advanceTo(instant: Date, stopping?: AbortSignal): Promise<unknown>;
}

export type JobRunOutcome =
  | { status: 'ran'; result: unknown; durationMs: number }
  | { status: 'skipped'; reason: 'locked-elsewhere' | 'already-running' }
  | { status: 'failed'; error: Error; durationMs: number };

export interface JobStatus {
  name: string;
  intervalSeconds: number;
  advancedTo: string | null;
  lastRunAt: string | null;
  lastDurationMs: number | null;
  lastError: string | null;
}

export interface JobRunnerObserver {
  onRun(job: string, outcome: JobRunOutcome): void;
}

export interface JobRunnerOptions {
  /** First wait after a run failed because the database was unavailable; it doubles per failure. */
  firstBackoffMs?: number;
  /** The longest wait between attempts while the database stays unavailable. */
  maxBackoffMs?: number;
}

/**
 * Calls each job on its interval with the clock's current time. Each run holds the PostgreSQL
 * advisory lock named after the job, so when many nodes run the same schedule only one does the work.
 * While the database is unavailable a job backs off (exponentially, capped) instead of failing
 * every tick, and the outage is logged once, not once per job and tick.
 */
export class JobRunner {
  readonly #jobs = new Map<string, TimeDrivenJob>();
  readonly #running = new Map<string, Promise<JobRunOutcome>>();
  readonly #timers: NodeJS.Timeout[] = [];
  /** Per job: consecutive runs that failed for want of a database, and when the next may start (wall time). */
  readonly #backoff = new Map<string, { failures: number; retryAt: number }>();
  #outage = false;
  /** Aborted by stop(): tells running jobs to leave their remaining work to the next run. */
  #stopping = new AbortController();
  readonly #firstBackoffMs: number;
  readonly #maxBackoffMs: number;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly observer?: JobRunnerObserver,
    options: JobRunnerOptions = {},
  ) {
    this.#firstBackoffMs = options.firstBackoffMs ?? 1_000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  register(job: TimeDrivenJob): void {
    if (this.#jobs.has(job.name)) throw new Error(`job ${job.name} is registered twice`);
    this.#jobs.set(job.name, job);
  }

  get jobNames(): string[] {
    return [...this.#jobs.keys()];
  }

  /** Runs one job now for instant `at` (default: the clock's now). */
  async runOnce(name: string, at: Date = this.clock.now()): Promise<JobRunOutcome> {
    const job = this.#jobs.get(name);
    if (!job) throw new Error(`unknown job ${name}`);
    if (this.#running.has(name)) return { status: 'skipped', reason: 'already-running' };
    const run = this.#run(job, at).finally(() => this.#running.delete(name));
    this.#running.set(name, run);
    return run;
  }

  /**
   * Each running job holds one pooled connection for its session-level advisory lock and needs
   * another for its work; running every job at once would take the whole pool and starve them all.
   * So at most `maxConcurrentJobs` run at a time; the others wait their turn.
   */
  readonly #maxConcurrentJobs = 2;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  async #run(job: TimeDrivenJob, at: Date): Promise<JobRunOutcome> {
    if (this.#active >= this.#maxConcurrentJobs) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#active++;
    try {
      return await this.#runLocked(job, at);
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }

  async #runLocked(job: TimeDrivenJob, at: Date): Promise<JobRunOutcome> {
    const started = performance.now();
    let outcome: JobRunOutcome;
    try {
      const locked = await this.database.withAdvisoryLock(`job:${job.name}`, async (): Promise<JobRunOutcome> => {
        const workStarted = performance.now();
        try {
          const result = await job.advanceTo(at, this.#stopping.signal);
          const durationMs = Math.round(performance.now() - workStarted);
          await this.#record(job.name, at, durationMs, null);
          return { status: 'ran', result, durationMs };
        } catch (caught) {
          const error = caught instanceof Error ? caught : new Error(String(caught));
          const durationMs = Math.round(performance.now() - workStarted);
          await this.#record(job.name, null, durationMs, error.message).catch(() => undefined);
          return { status: 'failed', error, durationMs };
        }
      });
      outcome = locked.acquired ? locked.value : { status: 'skipped', reason: 'locked-elsewhere' };
    } catch (caught) {
      // Taking or giving back the lock failed: the database is gone. A scheduled run must never reject.
      outcome = {
        status: 'failed',
        error: caught instanceof Error ? caught : new Error(String(caught)),
        durationMs: Math.round(performance.now() - started),
      };
    }
    this.#noteOutcome(job, outcome);
    this.observer?.onRun(job.name, outcome);
    return outcome;
  }

  #noteOutcome(job: TimeDrivenJob, outcome: JobRunOutcome): void {
    if (outcome.status === 'failed' && isDatabaseUnavailable(outcome.error)) {
      const failures = (this.#backoff.get(job.name)?.failures ?? 0) + 1;
      const waitMs = Math.min(this.#maxBackoffMs, this.#firstBackoffMs * 2 ** (failures - 1));
      this.#backoff.set(job.name, { failures, retryAt: Date.now() + waitMs });
      if (!this.#outage) {
        this.#outage = true;
        this.logger.warn({ job: job.name, err: outcome.error }, 'database unavailable: scheduled jobs back off until it answers');
      }
      return;
    }
    this.#backoff.delete(job.name);
    if (outcome.status === 'failed') this.logger.error({ job: job.name, err: outcome.error }, 'job failed');
    if (this.#outage) {
      this.#outage = false;
      this.logger.info({ job: job.name }, 'database answers again: scheduled jobs resume');
    }
  }

  /** A scheduled tick: skipped while the job backs off from a database outage. */
  #tick(name: string): void {
    const backoff = this.#backoff.get(name);
    if (backoff && Date.now() < backoff.retryAt) return;
    void this.runOnce(name);
  }

  /** `advanced_to` only moves forward: a run for an earlier instant does not rewind the record. */
  async #record(name: string, advancedTo: Date | null, durationMs: number, error: string | null): Promise<void> {
    const now = this.clock.now();
    await this.database.db
      .insertInto('job_progress')
      .values({ job_name: name, advanced_to: advancedTo, last_run_at: now, last_duration_ms: durationMs, last_error: error })
      .onConflict((oc) =>
        oc.column('job_name').doUpdateSet((eb) => ({
          advanced_to: eb.fn('greatest', ['job_progress.advanced_to', eb.ref('excluded.advanced_to')]),
          last_run_at: eb.ref('excluded.last_run_at'),
          last_duration_ms: eb.ref('excluded.last_duration_ms'),
          last_error: eb.ref('excluded.last_error'),
        })),
      )
      .execute();
  }

  /** Runs every job once now (catching up after downtime), then on its interval. */
  start(): void {
    for (const job of this.#jobs.values()) {
      this.#tick(job.name);
      const timer = setInterval(() => this.#tick(job.name), job.intervalSeconds * 1000);
      timer.unref();
      this.#timers.push(timer);
    }
  }

  /**
   * Stops the schedule, tells running jobs to stop (see TimeDrivenJob) and waits for them. A run
   * asked for after this (runOnce) is not told to stop.
   */
  async stop(): Promise<void> {
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
    const stopping = this.#stopping;
    this.#stopping = new AbortController();
    stopping.abort();
    await Promise.allSettled([...this.#running.values()]);
  }

  async status(): Promise<JobStatus[]> {
    const rows = await this.database.db.selectFrom('job_progress').selectAll().execute();
    const byName = new Map(rows.map((row) => [row.job_name, row]));
    return [...this.#jobs.values()].map((job) => {
      const row = byName.get(job.name);
      return {
        name: job.name,
        intervalSeconds: job.intervalSeconds,
        advancedTo: row?.advanced_to?.toISOString() ?? null,
        lastRunAt: row?.last_run_at?.toISOString() ?? null,
        lastDurationMs: row?.last_duration_ms ?? null,
        lastError: row?.last_error ?? null,
      };
    });
  }
}
