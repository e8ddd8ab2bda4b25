import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inviter, SessionState, UserAgent } from 'sip.js';
import { eventually, startSipJsParty, type SipJsParty } from '../support/sip-clients.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';

/**
 * The figures operators watch on /metrics move with what happens: Alice and Bob register, Alice
 * calls Bob twice (he is busy, then he answers and hangs up), a scheduled job runs.
 */
describe('/metrics after registrations, calls and a job run', () => {
  let service: SipTestService;
  let alice: SipJsParty | undefined;
  let bob: SipJsParty | undefined;

  beforeAll(async () => {
    service = await startSipTestService({ numbers: ['3000', '3001'] });
  });
  afterAll(async () => {
    await alice?.stop();
    await bob?.stop();
    await service?.close();
  });

  const scrape = async () => (await service.app.inject('/metrics')).body;
  /** The sample's value, 0 when the series has none yet. */
  const value = (metrics: string, series: string): number => {
    const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };

  it('counts live registrations', async () => {
    expect(value(await scrape(), 'videophone_sip_registrations')).toBe(0);
    alice = await startSipJsParty(service.wsUrl, service.domain, '3000');
    bob = await startSipJsParty(service.wsUrl, service.domain, '3001');
    expect(value(await scrape(), 'videophone_sip_registrations')).toBe(2);
  });

  it('counts attempts, outcomes by SIP status, and the calls in progress', async () => {
    const call = () => new Inviter(alice!.ua, UserAgent.makeURI(`sip:3001@${service.domain}`)!);

    const refused = call();
    await refused.invite();
    await eventually(() => bob!.invitations.length === 1, 'Bob to ring');
    let metrics = await scrape();
    expect(value(metrics, 'videophone_calls_in_progress')).toBe(1);
    expect(value(metrics, 'videophone_call_attempts_total')).toBe(1);
    await bob!.invitations[0]!.reject({ statusCode: 486 });
    await eventually(() => refused.state === SessionState.Terminated, 'the refused call to end');
    metrics = await scrape();
    expect(value(metrics, 'videophone_call_outcomes_total{status="486"}')).toBe(1);
    expect(value(metrics, 'videophone_calls_in_progress')).toBe(0);

    const answered = call();
    await answered.invite();
    await eventually(() => bob!.invitations.length === 2, 'Bob to ring again');
    await bob!.invitations[1]!.accept();
    await eventually(() => answered.state === SessionState.Established, 'the call to be established');
    metrics = await scrape();
    expect(value(metrics, 'videophone_call_attempts_total')).toBe(2);
    expect(value(metrics, 'videophone_call_outcomes_total{status="200"}')).toBe(1);
    expect(value(metrics, 'videophone_calls_in_progress')).toBe(1);
    await answered.bye();
    await eventually(() => bob!.invitations[1]!.state === SessionState.Terminated, "Bob's side to end");
    // The proxy saw the BYE before Bob did: the record is written on the way through.
    expect(value(await scrape(), 'videophone_calls_in_progress')).toBe(0);
  });

  it('times scheduled job runs', async () => {
    const series = 'videophone_job_duration_seconds_count{job="staff.expire-sessions",status="ran"}';
    const before = value(await scrape(), series);
    const outcome = await service.jobs.runOnce('staff.expire-sessions');
    expect(outcome.status).toBe('ran');
    expect(value(await scrape(), series)).toBe(before + 1);
  });

  it('declares the bill-run progress series (filled once a run exists)', async () => {
    expect(await scrape()).toContain('# TYPE videophone_bill_run_subscribers gauge');
  });
});
