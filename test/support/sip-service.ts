import { provisionSipAccounts, type MovedNumbers } from '../../src/calls/index.js';
import type { Logger } from 'pino';
import type { Engine } from '../../src/platform/db/database.js';
import type { TimerValues } from '../../src/sip/index.js';
import { freePort } from './process.js';
import { startTestService, type TestService } from './test-service.js';

export interface SipTestService extends TestService {
  httpPort: number;
  sipPort: number;
  /** SIP over WebSocket, as browsers and JsSIP/SIP.js connect to it. */
  wsUrl: string;
  domain: string;
}

/**
 * The whole service listening on loopback: HTTP and SIP over WebSocket on one port, SIP over UDP
 * and TCP on another, with numbered subscribers provisioned (password pw<number>).
 */
export async function startSipTestService(
  options: {
    numbers?: string[];
    engine?: Engine;
    env?: Record<string, string>;
    logger?: Logger;
    start?: string;
    /** Shorter RFC 3261 timers (T1, T2, T4), so a test can see Timer F fire. */
    sipTimers?: TimerValues;
    /** A stand-in for the maintenance module's moved-number data (clause 7). */
    movedNumbers?: MovedNumbers;
  } = {},
): Promise<SipTestService> {
  const httpPort = await freePort();
  const sipPort = await freePort();
  const service = await startTestService(options.engine ?? 'pglite', {
    env: {
      HOST: '127.0.0.1',
      PORT: String(httpPort),
      SIP_HOST: '127.0.0.1',
      SIP_PORT: String(sipPort),
      SIP_ADVERTISED_ADDRESS: '127.0.0.1',
      ...options.env,
    },
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.start ? { start: options.start } : {}),
    ...(options.sipTimers ? { sipTimers: options.sipTimers } : {}),
    ...(options.movedNumbers ? { movedNumbers: options.movedNumbers } : {}),
  });
  const domain = service.config.sip.domain;
  const numbers = options.numbers ?? [];
  await provisionSipAccounts(
    service.ctx.db,
    domain,
    numbers.map((number) => ({ number, password: `pw${number}` })),
    service.clock.now(),
  );
  await service.listen();
  return { ...service, httpPort, sipPort, wsUrl: `ws://127.0.0.1:${httpPort}/sip`, domain };
}
