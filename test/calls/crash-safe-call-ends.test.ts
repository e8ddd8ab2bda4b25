import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { closeStaleCallsJob } from '../../src/calls/index.js';
import { openPGlite } from '../../src/platform/db/database.js';
import { header } from '../support/raw-sip.js';
import { RawPhone } from '../support/raw-phone.js';
import { collectOutput, exited, freePort, runCli, waitForOk } from '../support/process.js';

/**
 * Issue #10 "crash-safe call ends": every answered call proves it is alive at a known interval
 * (RFC 4028 refreshes, or the proxy's own in-dialog keep-alives when neither phone refreshes), so
 * after `kill -9` a call is closed at its last proof of life — not billed 0 s, not 4 h later.
 */
describe('calls survive a crash of the proxy with an honest end time', () => {
  const children: ChildProcess[] = [];
  const phones: RawPhone[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    for (const phone of phones.splice(0)) phone.close();
  });

  it('Alice refreshes her call (RFC 4028); Carol’s phones support no timer and are kept alive by the proxy; kill -9; each call closes at its last proof of life', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vp-crash-'));
    const httpPort = await freePort();
    const sipPort = await freePort();
    const env = {
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(httpPort),
      SIP_PORT: String(sipPort),
      SIP_HOST: '127.0.0.1',
      SIP_ADVERTISED_ADDRESS: '127.0.0.1',
      SIP_SESSION_EXPIRES_SECONDS: '90',
      SIP_SECRET: 'crash-test-secret-not-for-production',
    };
    expect(await exited(runCli(['sip', 'provision', '--from', '6100', '--to', '6103'], env))).toBe(0);
    const start = async () => {
      const server = runCli(['serve'], env);
      children.push(server);
      collectOutput(server);
      await waitForOk(`http://127.0.0.1:${httpPort}/readyz`, 60_000);
      return server;
    };
    const server = await start();
    const open = async (number: string) => {
      const phone = await RawPhone.open({ number, domain: 'vp.test', proxyPort: sipPort });
      phones.push(phone);
      await phone.register();
      return phone;
    };
    const [alice, bob, carol, dave] = (await Promise.all(['6100', '6101', '6102', '6103'].map(open))) as [
      RawPhone,
      RawPhone,
      RawPhone,
      RawPhone,
    ];

    // Alice's phone supports session timers; Bob's does not. The proxy asks for 90 s on Alice's
    // behalf (§8.1) and, since Bob will not refresh, makes Alice the refresher in the 200 (§8.2).
    const aliceCall = await alice.call('6101', ['Supported: timer']);
    const bobInvite = await bob.nextRequest(/^INVITE /);
    expect(header(bobInvite, 'Session-Expires')).toBe('90');
    expect(header(bobInvite, 'Min-SE')).toBe('90');
    expect(header(aliceCall.answer, 'Session-Expires')).toBe('90;refresher=uac');
    expect(header(aliceCall.answer, 'Require')).toBe('timer');

    // Neither Carol's nor Dave's phone knows RFC 4028: the proxy keeps their call alive itself.
    const carolCall = await carol.call('6103');
    expect(header(carolCall.answer, 'Session-Expires')).toBeUndefined();

    // Alice refreshes a few seconds in (an UPDATE); Bob accepts it: that is proof of life.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const refreshedAt = Date.now();
    alice.send(alice.inDialog('UPDATE', aliceCall));
    await bob.nextRequest(/^UPDATE /);
    await alice.nextResponse(/^SIP\/2\.0 200[\s\S]*CSeq: \d+ UPDATE/);

    // Half an interval later the proxy asks Carol and Dave whether their call is still on.
    const carolOptions = await carol.nextRequest(/^OPTIONS /, 60_000);
    const daveOptions = await dave.nextRequest(/^OPTIONS /, 5_000);
    expect(header(carolOptions, 'Call-ID')).toBe(carolCall.callId);
    expect(header(daveOptions, 'Call-ID')).toBe(carolCall.callId);
    const probedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 500)); // the proof is written after both answered

    server.kill('SIGKILL');
    await exited(server);
    const killedAt = Date.now();
    // The phones would now hang up; their BYEs reach nobody, so the ends are never seen.

    // The restarted service does not close the calls early: they are still answered.
    const again = await start();
    again.kill('SIGTERM');
    await exited(again);

    const database = await openPGlite(path.join(dataDir, 'pglite'));
    try {
      const read = (callId: string) =>
        database.db.selectFrom('call_records').selectAll().where('call_id', '=', callId).executeTakeFirstOrThrow();
      expect((await read(aliceCall.callId)).status).toBe('answered');
      expect((await read(carolCall.callId)).status).toBe('answered');

      // The stale-call rule, advanced past one interval after the crash.
      const job = closeStaleCallsJob(database.db, { maxRingingSeconds: 120, maxCallSeconds: 4 * 3600 });
      await job.advanceTo(new Date(killedAt + 91_000));

      for (const [callId, lastProof] of [
        [aliceCall.callId, refreshedAt],
        [carolCall.callId, probedAt],
      ] as const) {
        const row = await read(callId);
        expect(row).toMatchObject({ status: 'completed', end_unseen: true, hung_up_by: 'system', session_expires_s: 90 });
        // Closed at the last proof of life (within the time the proof took to be made)...
        expect(Math.abs(row.ended_at!.getTime() - lastProof)).toBeLessThan(1_500);
        // ...which is within one session interval of the real end (the crash), and billed as such.
        expect(killedAt - row.ended_at!.getTime()).toBeLessThanOrEqual(90_000);
        expect(row.duration_ms).toBe(row.ended_at!.getTime() - row.answered_at!.getTime());
        expect(row.duration_ms).toBeGreaterThan(0);
      }
    } finally {
      await database.close();
    }
  }, 180_000);
});
