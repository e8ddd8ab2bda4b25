import JsSIP from 'jssip';
import { Inviter, SessionState, UserAgent, type Invitation } from 'sip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  installJsSipPeerConnection,
  startJsSipParty,
  startSipJsParty,
  type JsSipParty,
  type JsSipSession,
  type SdpLog,
  type SipJsParty,
} from '../support/sip-clients.js';
import { clusterAvailable, NodeCluster, type ServiceNode } from '../support/sip-nodes.js';

/**
 * Issue #17, "Done when" (first two bullets): three nodes — separate `videophone serve` processes,
 * each on its own address (A 127.0.0.2, B 127.0.0.3, C 127.0.0.4) — on one PostgreSQL database and
 * one Redis. X is a browser (JsSIP) registered over WebSocket to B; Y is a SIP.js client registered
 * on C. Y's calls go out over another WebSocket connection of Y's, to A: a load balancer in front of
 * the nodes hands each new connection to any node, so the connection a device calls on need not be
 * the one it registered on, and the call must find X's connection on B from A. Only signalling is
 * asserted (media is peer to peer and the libraries run in Node with SDP stand-ins).
 */
const ci = process.env.CI === 'true';
const available = ci || (await clusterAvailable());
const domain = 'vp.test';
/** The proxy's own keep-alives (neither JsSIP nor SIP.js refreshes here) prove a call alive every 45 s. */
const sessionExpiresSeconds = 90;
/** What the SIP.js and JsSIP UAs ask for; a binding lost with Redis must be back well within it. */
const registrationIntervalMs = 300_000;
const X = '2101';
const Y = '2102';
/** Z and W: a phone on A and one on C, for the calls that show A and C keep serving without B. */
const Z = '2103';
const W = '2104';

type CallRecord = {
  call_id: string;
  caller: string;
  callee: string;
  status: string;
  hung_up_by: string | null;
  end_unseen: boolean;
  answered_at: Date | null;
  ended_at: Date | null;
};

/** A call placed by a SIP.js UA, and every status it heard (100 Trying aside), in order. */
interface PlacedCall {
  inviter: Inviter;
  callId: string;
  statuses: number[];
  /** Each response's status line, as the caller heard it ("480 Temporarily Unavailable"). */
  heard: string[];
  final(): number | undefined;
}

async function place(from: SipJsParty, to: string): Promise<PlacedCall> {
  const inviter = new Inviter(from.ua, UserAgent.makeURI(`sip:${to}@${domain}`)!);
  const statuses: number[] = [];
  const lines: string[] = [];
  const heard = (response: { message: { statusCode?: number; reasonPhrase?: string } }) => {
    statuses.push(response.message.statusCode!);
    lines.push(`${response.message.statusCode} ${response.message.reasonPhrase ?? ''}`.trim());
  };
  await inviter.invite({ requestDelegate: { onProgress: heard, onAccept: heard, onReject: heard } });
  return { inviter, callId: inviter.request.callId, statuses, heard: lines, final: () => statuses.find((status) => status >= 200) };
}

/** Whether `party` received a response with this status to a request of this method. */
function receivedResponse(party: JsSipParty, status: number, method: string): boolean {
  return party.received.some(
    (message) => message.startsWith(`SIP/2.0 ${status} `) && new RegExp(`^CSeq: \\d+ ${method}\\r?$`, 'm').test(message),
  );
}

function receivedRequest(party: JsSipParty, method: string, callId: string): boolean {
  return party.received.some((message) => message.startsWith(`${method} `) && new RegExp(`^Call-ID: ${callId}\\r?$`, 'mi').test(message));
}

/** The request as it arrived at the party. */
function requestReceived(party: JsSipParty, method: string, callId: string): string {
  return (
    party.received.find((message) => message.startsWith(`${method} `) && new RegExp(`^Call-ID: ${callId}\\r?$`, 'mi').test(message)) ?? ''
  );
}

const escaped = (address: string) => address.replace(/\./g, '\\.');

describe.skipIf(!available)(
  'three nodes on PostgreSQL and Redis: a browser on B called by a SIP.js client of C through A (issue #17)',
  () => {
    const cluster = new NodeCluster();
    const xSdp: SdpLog = { sent: [], received: [] };
    let x: JsSipParty;
    let y: SipJsParty;
    /** Y's second UA: connected to A, not registered there; Y's calls go out through it. */
    let yAtA: SipJsParty;
    const parties: SipJsParty[] = [];

    const a = () => cluster.node('node-a');
    const b = () => cluster.node('node-b');
    const c = () => cluster.node('node-c');

    beforeAll(async () => {
      await cluster.setUp({
        nodes: [
          // The stale-call job runs on A, which the failure case below leaves running.
          { name: 'node-a', address: '127.0.0.2', jobs: true },
          { name: 'node-b', address: '127.0.0.3', jobs: false },
          { name: 'node-c', address: '127.0.0.4', jobs: false },
        ],
        numbers: { from: '2100', to: '2106' },
        domain,
        env: { SIP_SESSION_EXPIRES_SECONDS: String(sessionExpiresSeconds) },
      });
      installJsSipPeerConnection(X, xSdp);
      JsSIP.debug.disable();
      // X's browser prefers B; when B's connection breaks, JsSIP recovers to C and registers there.
      x = await startJsSipParty([b().wsUrl, c().wsUrl], domain, X);
      expect(x.connectedTo()).toBe(b().wsUrl);
      y = await startSipJsParty(c().wsUrl, domain, Y);
      yAtA = await startSipJsParty(a().wsUrl, domain, Y, { instance: '-on-a', register: false });
      parties.push(y, yAtA);
    }, 300_000);

    afterAll(async () => {
      x?.stop();
      for (const party of parties) await party.abandon().catch(() => undefined);
      await cluster.close();
    }, 60_000);

    /** The call's rows in the database, polled until `done` holds for them (or the time is up). */
    async function recordsOf(callId: string, done: (rows: CallRecord[]) => boolean, timeoutMs = 15_000): Promise<CallRecord[]> {
      const started = Date.now();
      for (;;) {
        const { rows } = await cluster.db.query<CallRecord>('select * from call_records where call_id = $1', [callId]);
        if (done(rows) || Date.now() - started > timeoutMs) return rows;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const completed = (rows: CallRecord[]) => rows.length > 0 && rows.every((row) => row.status === 'completed');

    /** The next call X's UA rings with (JsSIP answers an INVITE with 180 by itself). */
    async function nextIncoming(party: JsSipParty, before: number, what: string, call: PlacedCall): Promise<JsSipSession> {
      await eventually(() => party.incoming.length > before, what, 15_000).catch((error: Error) => {
        throw new Error(`${error.message}; the caller heard ${call.heard.join(', ') || 'nothing'}\n${cluster.logs()}`);
      });
      return party.incoming[before]!;
    }

    /**
     * Y calls X from A; X rings on `holder` (the node holding its connection: B, or C once B is
     * gone), answers; Y hears 180 then 200; the ACK reaches X.
     */
    async function answeredCallFromYToX(
      holder: ServiceNode,
    ): Promise<{ call: PlacedCall; session: JsSipSession; ended: () => string | undefined }> {
      const before = x.incoming.length;
      const call = await place(yAtA, X);
      const session = await nextIncoming(x, before, "X's UA to ring", call);
      // It came the way of the issue: A forwarded it (its Via) and the holder record-routed it toward X.
      const invite = requestReceived(x, 'INVITE', call.callId);
      expect(invite).toMatch(new RegExp(`^Via: SIP/2\\.0/\\S+ ${escaped(a().address)}:`, 'mi'));
      expect(invite).toMatch(new RegExp(`^Record-Route: .*@${escaped(holder.address)}[:;]`, 'mi'));
      let confirmed = false;
      let endedBy: string | undefined;
      session.on('confirmed', () => (confirmed = true));
      session.on('ended', (event) => (endedBy = event.originator));
      await eventually(() => call.statuses.includes(180), 'Y to hear 180 Ringing');
      session.answer({ mediaConstraints: { audio: false, video: false } });
      await eventually(() => call.inviter.state === SessionState.Established, 'the call to be established at Y');
      expect(call.statuses.filter((status) => status >= 180)).toEqual([180, 200]);
      await eventually(() => confirmed, 'the ACK to reach X');
      expect(receivedRequest(x, 'ACK', call.callId)).toBe(true);
      expect(xSdp.received.at(-1)).toBe(yAtA.sdp.sent.at(-1));
      expect(yAtA.sdp.received.at(-1)).toBe(xSdp.sent.at(-1));
      return { call, session, ended: () => endedBy };
    }

    it('Y calls X through A; X rings on B and answers; X hangs up; the BYE reaches Y and is answered 200; one record, ended by the callee', async () => {
      const { call, session } = await answeredCallFromYToX(b());
      const byes200 = x.received.filter((message) => /^CSeq: \d+ BYE\r?$/m.test(message) && message.startsWith('SIP/2.0 200 ')).length;

      session.terminate();
      await eventually(() => call.inviter.state === SessionState.Terminated, "the BYE to end Y's side");
      await eventually(
        () => x.received.filter((message) => /^CSeq: \d+ BYE\r?$/m.test(message) && message.startsWith('SIP/2.0 200 ')).length > byes200,
        "the 200 to X's BYE",
      );

      const rows = await recordsOf(call.callId, completed);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ caller: Y, callee: X, status: 'completed', hung_up_by: 'callee', end_unseen: false });
    });

    it('Y calls X through A; X answers; Y hangs up; the BYE reaches X and is answered 200; one record, ended by the caller', async () => {
      const { call, session, ended } = await answeredCallFromYToX(b());
      let byeStatus: number | undefined;
      await call.inviter.bye({ requestDelegate: { onAccept: (response) => (byeStatus = response.message.statusCode) } });
      await eventually(() => session.isEnded(), "the BYE to end X's side");
      expect(ended()).toBe('remote');
      expect(receivedRequest(x, 'BYE', call.callId)).toBe(true);
      await eventually(() => byeStatus !== undefined, "the answer to Y's BYE");
      expect(byeStatus).toBe(200);

      const rows = await recordsOf(call.callId, completed);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ caller: Y, callee: X, status: 'completed', hung_up_by: 'caller', end_unseen: false });
    });

    it('X (on B) calls Y, whose only registration is its SIP.js UA on C: it rings there (not on A); Y answers; X hangs up; one record', async () => {
      const before = y.invitations.length;
      const statuses: number[] = [];
      let confirmed = false;
      const session = x.ua.call(`sip:${Y}@${domain}`, { mediaConstraints: { audio: false, video: false } }) as unknown as JsSipSession;
      session.on('progress', (event) => void (event.response && statuses.push(event.response.status_code)));
      session.on('accepted', (event) => void (event.response && statuses.push(event.response.status_code)));
      session.on('confirmed', () => (confirmed = true));
      await eventually(() => y.invitations.length > before, "Y's UA on C to ring", 15_000).catch((error: Error) => {
        throw new Error(`${error.message}\n${cluster.logs()}`);
      });
      expect(yAtA.invitations).toHaveLength(0);
      const invitation: Invitation = y.invitations[before]!;
      // B, where X's INVITE entered, forwarded it to C (its Via), and C record-routed it toward Y.
      expect(invitation.request.getHeaders('via').some((via) => via.includes(` ${b().address}:`))).toBe(true);
      expect(invitation.request.getHeaders('record-route').some((route) => route.includes(`@${c().address}`))).toBe(true);
      // SIP.js sends its 180 Ringing by itself (sendInitialProvisionalResponse).
      await eventually(() => statuses.includes(180), 'X to hear 180 Ringing');
      await invitation.accept();
      await eventually(() => session.isEstablished() && confirmed, 'the call to be established at X');
      expect(statuses.filter((status) => status >= 180)).toEqual([180, 200]);
      await eventually(() => invitation.state === SessionState.Established, 'the ACK to reach Y');

      session.terminate();
      await eventually(() => invitation.state === SessionState.Terminated, "the BYE to end Y's side");
      await eventually(() => receivedResponse(x, 200, 'BYE'), "the 200 to X's BYE");

      const rows = await recordsOf(invitation.request.callId, completed);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ caller: X, callee: Y, status: 'completed', hung_up_by: 'caller', end_unseen: false });
    });

    it('kill -9 of B during an answered call: A and C keep serving, X re-registers on C and is called there, and the broken call is closed once by the stale-call rule', async () => {
      const z = await startSipJsParty(a().wsUrl, domain, Z);
      const w = await startSipJsParty(c().wsUrl, domain, W);
      parties.push(z, w);
      const broken = await answeredCallFromYToX(b());
      const registrationsBefore = x.registrations();

      await cluster.kill(b());
      const killedAt = Date.now();

      // A and C keep serving: Z on A calls W on C.
      const fromZ = await place(z, W);
      await eventually(() => w.invitations.length === 1, "W's UA on C to ring", 15_000);
      await w.invitations[0]!.accept();
      await eventually(() => fromZ.inviter.state === SessionState.Established, 'the call from Z to W to be established');
      await fromZ.inviter.bye();
      await eventually(() => w.invitations[0]!.state === SessionState.Terminated, "W's side to end");
      const zRows = await recordsOf(fromZ.callId, completed);
      expect(zRows).toHaveLength(1);
      expect(zRows[0]).toMatchObject({ caller: Z, callee: W, status: 'completed', hung_up_by: 'caller' });

      // X's browser lost B; JsSIP recovers to C and registers again there, and is called there.
      await eventually(() => x.connectedTo() === c().wsUrl && x.registrations() > registrationsBefore, 'X to re-register on C', 30_000);
      const again = await answeredCallFromYToX(c());
      await again.call.inviter.bye();
      await eventually(() => again.session.isEnded(), "X's side of the new call to end");
      const againRows = await recordsOf(again.call.callId, completed);
      expect(againRows).toHaveLength(1);
      expect(againRows[0]).toMatchObject({ caller: Y, callee: X, status: 'completed', hung_up_by: 'caller' });

      // The broken call's end was never seen. Its last proof of life is the answer or the last
      // keep-alive round (every 45 s); the stale-call job (every 30 s, on A) closes it once it has
      // been silent for a whole session interval (90 s), at that last proof.
      const rows = await recordsOf(broken.call.callId, completed, (sessionExpiresSeconds + 30 + 30) * 1000);
      expect(rows, cluster.logs()).toHaveLength(1);
      const row = rows[0]!;
      expect(row).toMatchObject({ caller: Y, callee: X, status: 'completed', hung_up_by: 'system', end_unseen: true });
      expect(row.ended_at!.getTime()).toBeLessThanOrEqual(killedAt);
      expect(row.ended_at!.getTime()).toBeGreaterThanOrEqual(row.answered_at!.getTime());
      console.log(
        `broken call closed by the stale-call job: ${JSON.stringify(row)}, killed at ${new Date(killedAt).toISOString()}, seen closed ${Date.now() - killedAt} ms after the kill`,
      );
      // Nothing duplicated: no call of this file has more than one record.
      const { rows: duplicated } = await cluster.db.query('select call_id from call_records group by call_id having count(*) > 1');
      expect(duplicated).toEqual([]);
    }, 300_000);

    it('Redis restarted empty: a call meanwhile gets a final answer; each node writes its own bindings back, and X is called again without registering again', async () => {
      const before = x.incoming.length;
      await cluster.redis.kill();

      // Redis is away. The call either goes through (the nodes keep their copies) or is refused: a
      // final status either way, not a hang. If X rings, it answers.
      const during = await place(yAtA, X);
      await eventually(
        () => {
          if (x.incoming.length > before && !x.incoming[before]!.isEstablished() && !x.incoming[before]!.isEnded())
            x.incoming[before]!.answer({ mediaConstraints: { audio: false, video: false } });
          return during.final() !== undefined;
        },
        'a final status for the call made while Redis is down',
        40_000,
      );
      console.log(`call while Redis was down: ${during.statuses.join(', ')}`);
      if (during.final() === 200) await during.inviter.bye();

      const registrations = x.registrations();
      await cluster.redis.start();
      const restartedAt = Date.now();
      // Bindings come back by re-publication: C, which holds X's connection, writes X's binding again
      // as soon as its Redis connection is ready (LocationReplication.resynchronise); X registers no more.
      for (;;) {
        if ((await cluster.probe.hlen(`videophone:location:${X}`).catch(() => 0)) > 0) break;
        if (Date.now() - restartedAt > registrationIntervalMs) throw new Error(`X's binding was not back in Redis\n${cluster.logs()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      console.log(`X's binding back in Redis ${Date.now() - restartedAt} ms after it restarted`);
      expect(x.registrations()).toBe(registrations);
      // A learns it from C's announcement, or from its own reload if it subscribed again after
      // that: a moment after Redis has it. A call placed in that moment ends with a final answer
      // (480), as one placed while Redis was down does, and the next finds X; a stale copy would
      // not catch up within this bound at all (X does not register again for minutes).
      const heardMeanwhile: string[] = [];
      for (const caughtUpBy = Date.now() + 20_000; ;) {
        const rung = x.incoming.length;
        const probe = await place(yAtA, X);
        await eventually(
          () => x.incoming.length > rung || probe.final() !== undefined,
          'X to ring or the caller to hear a final answer',
          15_000,
        );
        if (x.incoming.length > rung) {
          await probe.inviter.cancel();
          await eventually(() => x.incoming[rung]!.isEnded(), 'the probing call to end at X');
          break;
        }
        heardMeanwhile.push(...probe.heard);
        if (Date.now() > caughtUpBy) throw new Error(`A never reached X again: ${heardMeanwhile.join(', ')}\n${cluster.logs()}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      if (heardMeanwhile.length > 0) console.log(`calls while A caught up: ${heardMeanwhile.join(', ')}`);

      const after = await answeredCallFromYToX(c());
      await after.call.inviter.bye();
      await eventually(() => after.session.isEnded(), "X's side to end");
      expect(x.registrations()).toBe(registrations);
      const rows = await recordsOf(after.call.callId, completed);
      expect(rows).toHaveLength(1);
    }, 180_000);
  },
);
