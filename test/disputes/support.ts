import { expect } from 'vitest';
import { recordQualityReport } from '../../src/calls/index.js';
import type { TestService } from '../support/test-service.js';

/** The caller's phone reports on a 12-minute call as the softphone does: 80 ms RTT, 25 ms jitter, and this much loss. */
export async function callerReportsLoss(service: TestService, caller: string, callId: string, lossPercent: number): Promise<void> {
  const reported = await recordQualityReport(
    service.ctx.db,
    [caller],
    {
      callId,
      direction: 'outgoing',
      durationMs: 12 * 60_000,
      rttMs: 80,
      jitterMs: 25,
      lossPercent,
      packetsLost: 9_000,
      framesDecoded: 20_000,
      audioPacketsReceived: 36_000,
      sendKbps: 900,
      receiveKbps: 400,
      audioCodec: 'opus',
      videoCodec: 'VP8',
      localCandidateType: 'host',
      remoteCandidateType: 'host',
      relayProtocol: null,
      userAgent: 'test',
    },
    service.clock.now(),
  );
  expect(reported.ok).toBe(true);
}
