import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { recordAudit, type Actor } from '../audit/index.js';
import { existingSipNumbers, issueDeviceCredentials, revokeDeviceCredentials } from '../calls/index.js';
import { unitById } from '../devices/index.js';
import { numbersOfSubscriber } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import { fail, ok, type Result } from '../platform/result.js';
import { deviceVersionOf, firmwareFor, recordDeviceVersion } from '../releases/index.js';
import type { FetchLimiter } from './fetch-limiter.js';
import { buildTerminalConfig, normalizeMac, type SipEndpoint, type TerminalConfig } from './terminal-config.js';
import type { Selectable } from 'kysely';
import type { TerminalProvisioningTable } from './tables.js';

type ProvisioningRow = Selectable<TerminalProvisioningTable>;

export interface ProvisionedTerminal {
  id: string;
  unitId: string;
  mac: string;
  serial: string | null;
  number: string;
  deviceId: string;
  sipUsername: string;
  secretIssuedAt: Date;
  assignedAt: Date;
  unassignedAt: Date | null;
  lastFetchAt: Date | null;
}

/** The fetch secret, shown once to staff (to load into the unit) and stored only as its SHA-256. */
export interface IssuedSecret {
  terminal: ProvisionedTerminal;
  secret: string;
  /** The configuration's paths on this service; the unit's URL is the service's HTTPS origin plus one of them. */
  paths: { linphoneXml: string; json: string };
}

export interface ProvisioningDeps {
  /** SIP domain and digest realm. */
  domain: string;
  endpoint: SipEndpoint;
  /** Tells this node's SIP account cache that a device username changed (issued or revoked). */
  credentialsChanged?: (username: string) => void;
}

const CIPHER_CONTEXT = 'terminal_provisioning.sip_password';

function terminalOf(row: ProvisioningRow): ProvisionedTerminal {
  return {
    id: row.id,
    unitId: row.unit_id,
    mac: row.mac,
    serial: row.serial,
    number: row.number,
    deviceId: row.device_id,
    sipUsername: row.sip_username,
    secretIssuedAt: row.secret_issued_at,
    assignedAt: row.assigned_at,
    unassignedAt: row.unassigned_at,
    lastFetchAt: row.last_fetch_at,
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');

export function configurationPaths(mac: string, secret: string): IssuedSecret['paths'] {
  return { linphoneXml: `/provisioning/${mac}/${secret}/linphone.xml`, json: `/provisioning/${mac}/${secret}/config.json` };
}

export async function listProvisionedTerminals(db: Executor, filter: { live?: boolean } = {}): Promise<ProvisionedTerminal[]> {
  let query = db.selectFrom('terminal_provisioning').selectAll().orderBy('assigned_at', 'desc');
  if (filter.live) query = query.where('unassigned_at', 'is', null);
  return (await query.limit(2000).execute()).map(terminalOf);
}

async function liveOfUnit(db: Executor, unitId: string): Promise<ProvisioningRow | undefined> {
  return db
    .selectFrom('terminal_provisioning')
    .selectAll()
    .where('unit_id', '=', unitId)
    .where('unassigned_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Gives a unit its own SIP device credentials for the subscriber's number (a device of the number,
 * as the softphone's are) and a fresh fetch secret. One live provisioning per unit and per MAC.
 */
export async function provisionTerminal(
  ctx: ServiceContext,
  deps: ProvisioningDeps,
  input: { unitId: string; mac: string; serial: string | null; number: string },
  actor: Actor,
): Promise<Result<IssuedSecret>> {
  const mac = normalizeMac(input.mac);
  if (!mac)
    return fail('invalid', 'invalid-request', 'A MAC address is six hex octets', { fields: [{ field: 'mac', message: 'six hex octets' }] });
  const now = ctx.clock.now();
  const secret = newSecret();
  const result = await ctx.db.transaction().execute(async (trx): Promise<Result<ProvisionedTerminal>> => {
    if (await liveOfUnit(trx, input.unitId))
      return fail('conflict', 'conflict', 'This unit is already provisioned; unassign or replace it first');
    const macTaken = await trx
      .selectFrom('terminal_provisioning')
      .select('unit_id')
      .where('mac', '=', mac)
      .where('unassigned_at', 'is', null)
      .executeTakeFirst();
    if (macTaken) return fail('conflict', 'conflict', 'Another live unit has this MAC address');
    if (!(await existingSipNumbers(trx, [input.number])).has(input.number))
      return fail('not_found', 'not-found', 'The number has no SIP account', {
        fields: [{ field: 'number', message: 'unknown', code: 'unknown' }],
      });
    const device = await issueDeviceCredentials(trx, {
      number: input.number,
      realm: deps.domain,
      deviceName: `Terminal ${input.serial ?? mac}`,
      now,
    });
    const id = randomUUID();
    await trx
      .insertInto('terminal_provisioning')
      .values({
        id,
        unit_id: input.unitId,
        mac,
        serial: input.serial,
        number: input.number,
        device_id: device.deviceId,
        sip_username: device.authorizationUsername,
        sip_password_sealed: ctx.cipher.seal(device.password, CIPHER_CONTEXT),
        secret_sha256: sha256(secret),
        secret_issued_at: now,
        assigned_at: now,
        unassigned_at: null,
        last_fetch_at: null,
      })
      .execute();
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'provisioning.assign',
      target: { type: 'terminal_unit', id: input.unitId },
      after: { mac, serial: input.serial, number: input.number, deviceId: device.deviceId },
    });
    const row = await trx.selectFrom('terminal_provisioning').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    deps.credentialsChanged?.(device.authorizationUsername);
    return ok(terminalOf(row));
  });
  if (!result.ok) return result;
  return ok({ terminal: result.value, secret, paths: configurationPaths(mac, secret) });
}

/** A new fetch secret for a live unit (the old one stops working at once); its SIP credentials stay. */
export async function rotateProvisioningSecret(ctx: ServiceContext, unitId: string, actor: Actor): Promise<Result<IssuedSecret>> {
  const now = ctx.clock.now();
  const secret = newSecret();
  const result = await ctx.db.transaction().execute(async (trx): Promise<Result<ProvisionedTerminal>> => {
    const live = await liveOfUnit(trx, unitId);
    if (!live) return fail('not_found', 'not-found', 'This unit is not provisioned');
    await trx
      .updateTable('terminal_provisioning')
      .set({ secret_sha256: sha256(secret), secret_issued_at: now })
      .where('id', '=', live.id)
      .execute();
    await recordAudit(trx, { at: now, actor, action: 'provisioning.secret-rotate', target: { type: 'terminal_unit', id: unitId } });
    return ok(terminalOf({ ...live, secret_sha256: '', secret_issued_at: now }));
  });
  if (!result.ok) return result;
  return ok({ terminal: result.value, secret, paths: configurationPaths(result.value.mac, secret) });
}

/**
 * Ends a unit's provisioning (returned, scrapped, swapped): its SIP device credentials are revoked,
 * so the old unit can neither register nor fetch a configuration again.
 */
export async function unprovisionTerminal(
  ctx: ServiceContext,
  deps: ProvisioningDeps,
  unitId: string,
  actor: Actor,
  reason: string,
): Promise<Result<ProvisionedTerminal>> {
  const now = ctx.clock.now();
  const result = await ctx.db.transaction().execute(async (trx) => unprovisionIn(trx, unitId, actor, reason, now));
  if (result.ok) deps.credentialsChanged?.(result.value.sipUsername);
  return result;
}

async function unprovisionIn(trx: Executor, unitId: string, actor: Actor, reason: string, now: Date): Promise<Result<ProvisionedTerminal>> {
  const live = await liveOfUnit(trx, unitId);
  if (!live) return fail('not_found', 'not-found', 'This unit is not provisioned');
  await revokeDeviceCredentials(trx, { number: live.number, deviceId: live.device_id }, now);
  await trx.updateTable('terminal_provisioning').set({ unassigned_at: now }).where('id', '=', live.id).execute();
  await recordAudit(trx, {
    at: now,
    actor,
    action: 'provisioning.unassign',
    target: { type: 'terminal_unit', id: unitId },
    before: { mac: live.mac, number: live.number, deviceId: live.device_id },
    detail: { reason },
  });
  return ok(terminalOf({ ...live, unassigned_at: now }));
}

/**
 * A swap (warranty replacement, clause 4): the old unit's device credentials are revoked and the new
 * unit gets new ones for the same number, with its own fetch secret.
 */
export async function replaceTerminal(
  ctx: ServiceContext,
  deps: ProvisioningDeps,
  input: { oldUnitId: string; newUnit: { unitId: string; mac: string; serial: string | null } },
  actor: Actor,
): Promise<Result<IssuedSecret>> {
  const old = await liveOfUnit(ctx.db, input.oldUnitId);
  if (!old) return fail('not_found', 'not-found', 'The replaced unit is not provisioned');
  const ended = await unprovisionTerminal(ctx, deps, input.oldUnitId, actor, `replaced by unit ${input.newUnit.unitId}`);
  if (!ended.ok) return ended;
  return provisionTerminal(ctx, deps, { ...input.newUnit, number: old.number }, actor);
}

/**
 * Provisions a unit of the inventory: its MAC and serial come from there, and the number is the
 * subscriber's who bought it (or, for a unit not sold yet, e.g. a lab unit, the number staff name).
 */
export async function provisionInventoryUnit(
  ctx: ServiceContext,
  deps: ProvisioningDeps,
  input: { unitId: string; number: string | null },
  actor: Actor,
): Promise<Result<IssuedSecret>> {
  const unit = await unitById(ctx.db, input.unitId);
  if (!unit) return fail('not_found', 'not-found', 'No such unit in the inventory');
  const numbers = unit.subscriberId ? await numbersOfSubscriber(ctx.db, unit.subscriberId) : [];
  const number = input.number ?? (numbers.length === 1 ? numbers[0]! : null);
  if (!number)
    return fail('invalid', 'invalid-request', 'Name the number the unit registers for', {
      fields: [{ field: 'number', message: 'required', code: 'required' }],
    });
  if (unit.subscriberId && !numbers.includes(number))
    return fail('invalid', 'invalid-request', "The number is not the unit's subscriber's", {
      fields: [{ field: 'number', message: 'not theirs' }],
    });
  return provisionTerminal(ctx, deps, { unitId: unit.id, mac: unit.mac, serial: unit.serialNumber, number }, actor);
}

/** A swap to another unit of the inventory (see replaceTerminal). */
export async function replaceWithInventoryUnit(
  ctx: ServiceContext,
  deps: ProvisioningDeps,
  input: { oldUnitId: string; newUnitId: string },
  actor: Actor,
): Promise<Result<IssuedSecret>> {
  const unit = await unitById(ctx.db, input.newUnitId);
  if (!unit) return fail('not_found', 'not-found', 'No such unit in the inventory');
  return replaceTerminal(
    ctx,
    deps,
    { oldUnitId: input.oldUnitId, newUnit: { unitId: unit.id, mac: unit.mac, serial: unit.serialNumber } },
    actor,
  );
}

export type FetchFormat = 'linphone-xml' | 'json';

export interface FetchRequest {
  mac: string;
  secret: string;
  sourceIp: string;
  userAgent: string | null;
  format: FetchFormat;
}

export type FetchOutcome =
  { outcome: 'served'; config: TerminalConfig } | { outcome: 'denied' } | { outcome: 'rate-limited'; retryAfterSeconds: number };

/**
 * A unit fetches its configuration. The MAC alone proves nothing (it is printed on the box and sent
 * in the clear on the LAN): the request must carry the unit's secret. An unknown MAC and a wrong
 * secret get the same answer after the same work, so the answer tells nothing about which MACs
 * exist. Every fetch is recorded, and the User-Agent is kept as what the unit runs.
 */
export async function fetchConfiguration(
  ctx: ServiceContext,
  deps: ProvisioningDeps,
  limits: { perUnit: FetchLimiter; perSource: FetchLimiter },
  request: FetchRequest,
): Promise<FetchOutcome> {
  const now = ctx.clock.now();
  const mac = normalizeMac(request.mac) ?? request.mac.slice(0, 40).toLowerCase();
  const audit = (outcome: 'served' | 'denied' | 'rate-limited', provisioningId: string | null) =>
    ctx.db
      .insertInto('provisioning_fetches')
      .values({
        at: now,
        provisioning_id: provisioningId,
        mac,
        source_ip: request.sourceIp,
        user_agent: request.userAgent?.slice(0, 300) ?? null,
        format: request.format,
        outcome,
      })
      .execute();

  const underLimits = limits.perSource.take(request.sourceIp, now.getTime()) && limits.perUnit.take(mac, now.getTime());
  if (!underLimits) {
    await audit('rate-limited', null);
    return { outcome: 'rate-limited', retryAfterSeconds: limits.perSource.retryAfterSeconds(now.getTime()) };
  }

  const row = await ctx.db
    .selectFrom('terminal_provisioning')
    .selectAll()
    .where('mac', '=', mac)
    .where('unassigned_at', 'is', null)
    .executeTakeFirst();
  // Compare against a hash even for an unknown MAC, so both refusals cost the same.
  const expected = Buffer.from(row?.secret_sha256 ?? sha256(randomBytes(16).toString('hex')), 'hex');
  const given = Buffer.from(sha256(request.secret), 'hex');
  if (!row || !timingSafeEqual(expected, given)) {
    await audit('denied', null);
    return { outcome: 'denied' };
  }

  const firmware = await firmwareFor(ctx.db, row.unit_id, await deviceVersionOf(ctx.db, row.device_id));
  const config = buildTerminalConfig({
    unit: { id: row.unit_id, serial: row.serial, mac: row.mac },
    number: row.number,
    domain: deps.domain,
    authorizationUsername: row.sip_username,
    password: ctx.cipher.open(row.sip_password_sealed, CIPHER_CONTEXT),
    endpoint: deps.endpoint,
    firmware: firmware ? { version: firmware.version, url: firmware.artifactUrl, releaseId: firmware.id } : null,
  });
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('terminal_provisioning').set({ last_fetch_at: now }).where('id', '=', row.id).execute();
    await trx
      .insertInto('provisioning_fetches')
      .values({
        at: now,
        provisioning_id: row.id,
        mac,
        source_ip: request.sourceIp,
        user_agent: request.userAgent?.slice(0, 300) ?? null,
        format: request.format,
        outcome: 'served',
      })
      .execute();
    await recordDeviceVersion(trx, {
      deviceKey: row.device_id,
      number: row.number,
      unitId: row.unit_id,
      userAgent: request.userAgent,
      source: 'provisioning',
      at: now,
    });
  });
  return { outcome: 'served', config };
}
