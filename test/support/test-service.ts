import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino, type Logger } from 'pino';
import type { MovedNumbers } from '../../src/calls/index.js';
import { TestClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config/config.js';
import type { Engine } from '../../src/platform/db/database.js';
import type { LicenceVersion } from '../../src/agreements/index.js';
import { createService, type Service } from '../../src/service.js';
import type { TimerValues } from '../../src/sip/index.js';
import { createStaffAccount, STAFF_SESSION_COOKIE, totpCodeAt, type Role } from '../../src/staff/index.js';
import { openTestDatabase } from './engines.js';

export interface TestService extends Service {
  clock: TestClock;
}

/** The whole service on a fresh database with a test clock, not listening: tests call `app.inject`. */
export async function startTestService(
  engine: Engine,
  options: {
    start?: string;
    env?: Record<string, string>;
    webRoot?: string;
    logger?: Logger;
    sipTimers?: TimerValues;
    movedNumbers?: MovedNumbers;
    /** The client licence's versions (default: the code's); a test adds a later one to see it asked for again. */
    licenceVersions?: readonly LicenceVersion[];
  } = {},
): Promise<TestService> {
  const database = await openTestDatabase(engine, { migrated: true });
  const clock = new TestClock(options.start ?? '2026-03-01T02:00:00.000Z');
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    // Keys the service creates on first start (the agreement seal) go to a private directory.
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'vp-test-data-')),
    DATA_KEYS: `test:${randomBytes(32).toString('base64')}`,
    // Stories sign in many times from one address; the rate-limit test sets its own limit.
    SIGN_IN_RATE_LIMIT_PER_MINUTE: '10000',
    APPLICATION_RATE_LIMIT_PER_MINUTE: '10000',
    // Off unless a test asks for it, as for the services the tests spawn (test/support/global-setup.ts).
    SIP_OVERLOAD_CONTROL: 'false',
    ...options.env,
  });
  const service = await createService(config, {
    clock,
    database,
    logger: options.logger ?? pino({ level: 'silent' }),
    webRoot: options.webRoot ?? null,
    ...(options.sipTimers ? { sipTimers: options.sipTimers } : {}),
    ...(options.movedNumbers ? { movedNumbers: options.movedNumbers } : {}),
    ...(options.licenceVersions ? { licenceVersions: options.licenceVersions } : {}),
  });
  return {
    ...service,
    clock,
    async close() {
      await service.close();
      await database.close();
    },
  };
}

export interface TestStaff {
  id: string;
  username: string;
  password: string;
  totpSecret: string;
}

let counter = 0;

export async function addStaff(service: TestService, roles: Role[], name?: string): Promise<TestStaff> {
  counter += 1;
  const username = name ?? `${roles[0]?.replaceAll('_', '-') ?? 'staff'}-${counter}`;
  const password = `correct horse ${counter} battery`;
  const result = await createStaffAccount(
    service.ctx,
    { username, displayName: `Test ${username}`, password, roles },
    { type: 'system', id: null, name: 'test' },
  );
  if (!result.ok) throw new Error(result.failure.message);
  return { id: result.value.staff.id, username, password, totpSecret: result.value.totp.secret };
}

/** Signs in through the HTTP API and returns the session cookie header value. Advances the clock one TOTP step so codes are never replays. */
export async function signInCookie(service: TestService, staff: TestStaff): Promise<string> {
  service.clock.advance({ seconds: 30 });
  const response = await service.app.inject({
    method: 'POST',
    url: '/api/auth/staff/login',
    payload: { username: staff.username, password: staff.password, totpCode: totpCodeAt(staff.totpSecret, service.clock.now()) },
  });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  return `${STAFF_SESSION_COOKIE}=${sessionToken(response)}`;
}

export function sessionToken(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === STAFF_SESSION_COOKIE);
  if (!cookie) throw new Error('no session cookie in the response');
  return cookie.value;
}

export type { FastifyInstance };

/** The value of one series on the service's `/metrics` (e.g. `name{label="x"}`), 0 while it is absent. */
export async function metricValue(service: TestService, series: string): Promise<number> {
  const body = (await service.app.inject('/metrics')).body;
  const line = body.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
