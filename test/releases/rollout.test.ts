import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareVersions, parseClientVersion, rolloutBucket, targetRelease } from '../../src/releases/index.js';
import { provisionSipAccounts } from '../../src/calls/index.js';
import { available, engines } from '../support/engines.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';
import { stockUnit } from '../devices/provisioning-support.js';

const units = Array.from({ length: 400 }, (_, i) => `unit-${String(i).padStart(4, '0')}`);

describe('staged rollout by unit (clause 8)', () => {
  const stable = {
    id: '11111111-1111-4111-8111-111111111111',
    version: '1.1.0',
    rolloutPercent: 100,
    state: 'rolling' as const,
    artifactUrl: null,
  };
  const next = {
    id: '22222222-2222-4222-8222-222222222222',
    version: '1.2.0',
    rolloutPercent: 25,
    state: 'rolling' as const,
    artifactUrl: null,
  };

  it('a unit lands in [0, 100), the same place every time', () => {
    for (const unit of units.slice(0, 20)) {
      const bucket = rolloutBucket(next.id, unit);
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(100);
      expect(rolloutBucket(next.id, unit)).toBe(bucket);
    }
  });

  it('a 25 % rollout reaches about a quarter of 400 units, the same ones each time; the rest keep the stable version', () => {
    const reached = units.filter((unit) => targetRelease([stable, next], unit, null)?.version === '1.2.0');
    expect(reached.length).toBeGreaterThanOrEqual(80);
    expect(reached.length).toBeLessThanOrEqual(120);
    expect(units.filter((unit) => targetRelease([next, stable], unit, null)?.version === '1.2.0')).toEqual(reached);
    expect(
      units.filter((unit) => !reached.includes(unit)).every((unit) => targetRelease([stable, next], unit, null)?.version === '1.1.0'),
    ).toBe(true);
  });

  it('raising the rollout to 50 % keeps every unit already reached', () => {
    const at25 = units.filter((unit) => targetRelease([stable, next], unit, null)?.version === '1.2.0');
    const at50 = units.filter((unit) => targetRelease([stable, { ...next, rolloutPercent: 50 }], unit, null)?.version === '1.2.0');
    expect(at50.length).toBeGreaterThan(at25.length);
    expect(at25.every((unit) => at50.includes(unit))).toBe(true);
  });

  it('paused: no new unit gets it, a unit already running it keeps it; rolled back: every unit returns to the stable version', () => {
    const paused = { ...next, state: 'paused' as const };
    expect(units.every((unit) => targetRelease([stable, paused], unit, '1.1.0')?.version === '1.1.0')).toBe(true);
    expect(targetRelease([stable, paused], units[0]!, '1.2.0')?.version).toBe('1.2.0');
    const rolledBack = { ...next, state: 'rolled-back' as const };
    expect(units.every((unit) => targetRelease([stable, rolledBack], unit, '1.2.0')?.version === '1.1.0')).toBe(true);
  });

  it('User-Agents name their kind and version (the documented patterns); versions compare number by number', () => {
    expect(parseClientVersion('Linphonec/5.1.65')).toEqual({ kind: 'linphone', version: '5.1.65' });
    expect(parseClientVersion('LinphoneAndroid/5.2.1 (Pixel 7)')).toEqual({ kind: 'linphone', version: '5.2.1' });
    expect(parseClientVersion('baresip v3.10.1 (x86_64/linux)')).toEqual({ kind: 'baresip', version: '3.10.1' });
    expect(parseClientVersion('Videophone-Web/0.1.0')).toEqual({ kind: 'web', version: '0.1.0' });
    expect(parseClientVersion('Videophone-Terminal/1.4.2 (VP-100)')).toEqual({ kind: 'terminal', version: '1.4.2' });
    expect(parseClientVersion('JsSIP 3.10.0')).toBeNull();
    expect(compareVersions('5.1.65', '5.2')).toBeLessThan(0);
    expect(compareVersions('5.10', '5.9')).toBeGreaterThan(0);
    expect(compareVersions('1.2', '1.2.0')).toBe(0);
  });
});

describe.each(engines)('terminal firmware releases on %s (clause 8)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let cookie: string;
    const configs: Record<string, string> = {};

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-05-04T08:00:00Z' });
      const numbers = Array.from({ length: 40 }, (_, i) => `${7000 + i}`);
      await provisionSipAccounts(
        service.ctx.db,
        service.config.sip.domain,
        numbers.map((number) => ({ number, password: `pw${number}` })),
        service.clock.now(),
      );
      cookie = await signInCookie(service, await addStaff(service, ['technician']));
      for (const [i, number] of numbers.entries()) {
        const unitId = await stockUnit(service.ctx, `FW-${i}`, `02:00:00:00:00:${i.toString(16).padStart(2, '0')}`);
        const response = await staff('POST', '/api/console/provisioning/terminals', { unitId, number });
        configs[`fw-${i}`] = response.json<{ paths: { json: string } }>().paths.json;
      }
    });
    afterAll(() => service?.close());

    const staff = (method: 'GET' | 'POST', url: string, payload?: object) =>
      service.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
    async function firmwareOf(unitId: string): Promise<string | null> {
      // Each unit fetches from its own address: the per-source limit is not what this tests.
      const response = await service.app.inject({
        method: 'GET',
        url: configs[unitId]!,
        remoteAddress: `10.0.0.${Object.keys(configs).indexOf(unitId) + 1}`,
      });
      return response.json<{ firmware: { version: string | null } }>().firmware.version;
    }
    const versionsOfAll = async () => Promise.all(Object.keys(configs).map(firmwareOf));

    it('the configuration carries the firmware version each unit should run: 1.1.0 for all, then 1.2.0 for the units in a 50 % rollout', async () => {
      expect(new Set(await versionsOfAll())).toEqual(new Set([null]));
      expect(
        (
          await staff('POST', '/api/console/releases', {
            kind: 'terminal',
            version: '1.1.0',
            artifactUrl: 'https://fw.example/1.1.0.bin',
            rolloutPercent: 100,
            notes: 'stable',
          })
        ).statusCode,
      ).toBe(201);
      const staged = await staff('POST', '/api/console/releases', {
        kind: 'terminal',
        version: '1.2.0',
        artifactUrl: null,
        rolloutPercent: 0,
        notes: 'new codec',
      });
      expect(staged.statusCode).toBe(201);
      expect(new Set(await versionsOfAll())).toEqual(new Set(['1.1.0']));

      const id = staged.json<{ id: string }>().id;
      expect((await staff('POST', `/api/console/releases/${id}/change`, { action: 'set-rollout', rolloutPercent: 50 })).statusCode).toBe(
        200,
      );
      const after = await versionsOfAll();
      const reached = after.filter((v) => v === '1.2.0').length;
      expect(reached).toBeGreaterThan(8);
      expect(reached).toBeLessThan(32);
      expect(await versionsOfAll()).toEqual(after);

      expect((await staff('POST', `/api/console/releases/${id}/change`, { action: 'roll-back' })).statusCode).toBe(200);
      expect(new Set(await versionsOfAll())).toEqual(new Set(['1.1.0']));
      const audit = await service.ctx.db.selectFrom('audit_log').select('action').where('action', 'like', 'releases.%').execute();
      expect(audit.map((a) => a.action).sort()).toEqual([
        'releases.publish',
        'releases.publish',
        'releases.roll-back',
        'releases.set-rollout',
      ]);
    });

    it('a version that is not dotted numbers, or released twice, is refused', async () => {
      expect(
        (
          await staff('POST', '/api/console/releases', {
            kind: 'terminal',
            version: 'latest',
            artifactUrl: null,
            rolloutPercent: 10,
            notes: '',
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (
          await staff('POST', '/api/console/releases', {
            kind: 'terminal',
            version: '1.1.0',
            artifactUrl: null,
            rolloutPercent: 10,
            notes: '',
          })
        ).statusCode,
      ).toBe(409);
    });
  });
});
