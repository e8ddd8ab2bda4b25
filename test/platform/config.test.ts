import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateOperatorSeal, operatorSealFrom } from '../../src/agreements/index.js';
import { ConfigError, loadConfig } from '../../src/platform/config/config.js';
import { settingEnvName } from '../../src/platform/config/settings.js';
import { connectionCapWarning } from '../../src/platform/open-file-limit.js';

function faultsOf(environment: Record<string, string>): string[] {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.faults.map((f) => `${f.variable}: ${f.message}`);
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('AGREEMENT_SEAL_FILE: every node seals with the one key it names; a missing file or another kind of key is refused', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vp-seal-'));
    const { privateKey } = generateKeyPairSync('ed25519');
    const sealFile = path.join(dir, 'agreement-seal.pem');
    writeFileSync(sealFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const nodes = ['node-a', 'node-b'].map((node) => loadConfig({ AGREEMENT_SEAL_FILE: sealFile, DATA_DIR: path.join(dir, node) }));
    const seals = nodes.map((config) => loadOrCreateOperatorSeal(config.dataDir, config.agreementSealFile));
    expect(seals.map((seal) => seal.keyId)).toEqual([operatorSealFrom(privateKey).keyId, operatorSealFrom(privateKey).keyId]);
    // Nothing generated beside the data when the key is configured.
    expect(existsSync(path.join(dir, 'node-a', 'secrets', 'agreement-seal.pem'))).toBe(false);

    // Read when the service starts (as the payment key files are): a wrong file stops it, naming the variable.
    const sealFaults = (file: string) => {
      const config = loadConfig({ AGREEMENT_SEAL_FILE: file, DATA_DIR: path.join(dir, 'node-c') });
      try {
        loadOrCreateOperatorSeal(config.dataDir, config.agreementSealFile);
      } catch (error) {
        if (error instanceof ConfigError) return error.faults.map((f) => `${f.variable}: ${f.message}`);
        throw error;
      }
      return [];
    };
    expect(sealFaults(path.join(dir, 'absent.pem'))).toEqual([`AGREEMENT_SEAL_FILE: ${path.join(dir, 'absent.pem')}: no such file`]);
    const rsaFile = path.join(dir, 'rsa.pem');
    writeFileSync(rsaFile, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(sealFaults(rsaFile)).toEqual([`AGREEMENT_SEAL_FILE: ${rsaFile}: an Ed25519 key is needed, this is rsa`]);
    const garbage = path.join(dir, 'garbage.pem');
    writeFileSync(garbage, 'not a key');
    expect(sealFaults(garbage)).toEqual([`AGREEMENT_SEAL_FILE: ${garbage}: not a readable PEM private key`]);
    expect(existsSync(path.join(dir, 'node-c', 'secrets', 'agreement-seal.pem'))).toBe(false);
  });

  it('runs with no variables at all: embedded database under ./data, HTTP 8080, SIP 5060, domain vp.test', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(8080);
    expect(config.sip).toMatchObject({
      enabled: true,
      host: '0.0.0.0',
      port: 5060,
      domain: 'vp.test',
      tls: undefined,
      ringTimeoutSeconds: 60,
    });
    expect(config.database).toEqual({ kind: 'pglite', dataDir: path.resolve('data/pglite') });
  });

  it('defends the SIP edge against overload unless told not to', () => {
    expect(loadConfig({}).sip.edge.overloadControl).toBe(true);
    expect(loadConfig({ SIP_OVERLOAD_CONTROL: 'false' }).sip.edge.overloadControl).toBe(false);
  });

  it('caps connections and times out slow peers by default, within a 20,000 open-file limit', () => {
    const config = loadConfig({});
    expect(config.http).toMatchObject({
      maxConnections: 8000,
      maxConnectionsPerSource: 200,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 120_000,
      keepAliveTimeoutMs: 72_000,
      idleTimeoutMs: 300_000,
    });
    expect(config.sip.connections).toEqual({
      max: 8000,
      maxPerSource: 100,
      firstMessageTimeoutMs: 30_000,
      messageTimeoutMs: 10_000,
      idleTimeoutMs: 600_000,
    });
    expect(config.sip.maxMessageBytes).toEqual({ udp: 65_535, stream: 65_535, webSocket: 65_535 });
    expect(config.sip.allowedOrigins).toEqual([]);
    expect(connectionCapWarning({ sip: 8000, http: 8000 }, 20_000)).toBeNull();
    expect(connectionCapWarning({ sip: 8000, http: 8000 }, 4096)).toMatch(/exceed the open-file limit \(4096\)/);
  });

  it('refuses a UDP message limit past 65,535 and a headers timeout longer than the request timeout', () => {
    expect(faultsOf({ SIP_MAX_MESSAGE_BYTES_UDP: '70000' })).toEqual([expect.stringMatching(/^SIP_MAX_MESSAGE_BYTES_UDP: /)]);
    expect(faultsOf({ HTTP_HEADERS_TIMEOUT_SECONDS: '30', HTTP_REQUEST_TIMEOUT_SECONDS: '20' })).toEqual([
      'HTTP_HEADERS_TIMEOUT_SECONDS: must not exceed HTTP_REQUEST_TIMEOUT_SECONDS',
    ]);
  });

  it('uses the PostgreSQL server named by DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/vp' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@db:5432/vp',
      poolSize: 10,
      connectTimeoutMs: 3_000,
      queryTimeoutMs: 15_000,
    });
  });

  it('bounds how long PostgreSQL may take to connect and to answer, 0 meaning no query limit', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/vp',
      DATABASE_CONNECT_TIMEOUT_MS: '800',
      DATABASE_QUERY_TIMEOUT_MS: '0',
    });
    expect(config.database).toMatchObject({ connectTimeoutMs: 800, queryTimeoutMs: 0 });
    expect(faultsOf({ DATABASE_QUERY_TIMEOUT_MS: '-5' })).toEqual(['DATABASE_QUERY_TIMEOUT_MS: must be >= 0 (got "-5")']);
  });

  it('names every wrong variable with what it expected and what it got', () => {
    expect(faultsOf({ PORT: 'abc', LOG_LEVEL: 'loud', VP_BILL_DUE_DAYS: '-1', DATABASE_URL: 'mysql://x' })).toEqual([
      'PORT: must be integer (got "abc")',
      'DATABASE_URL: must match pattern "^postgres(ql)?://" (got "mysql://x")',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'VP_BILL_DUE_DAYS: must be >= 0 (got "-1")',
    ]);
  });

  it('refuses a port out of range and an unknown time zone', () => {
    expect(faultsOf({ PORT: '70000' })).toEqual(['PORT: must be <= 65535 (got "70000")']);
    expect(faultsOf({ VP_TIME_ZONE: 'Mars/Olympus' })).toEqual(['VP_TIME_ZONE: unknown time zone "Mars/Olympus"']);
  });

  it('refuses a portal account-wide lockout at or below the per-address one (one stranger could lock a subscriber out)', () => {
    expect(faultsOf({ VP_STAFF_LOCKOUT_THRESHOLD: '5', VP_PORTAL_ACCOUNT_LOCKOUT_THRESHOLD: '5' })).toEqual([
      'VP_PORTAL_ACCOUNT_LOCKOUT_THRESHOLD: must be greater than VP_STAFF_LOCKOUT_THRESHOLD (5), or one address locks the account for everyone',
    ]);
    expect(loadConfig({}).settings.portalAccountLockoutThreshold).toBe(50);
  });

  it('reads the allowed origins as browsers send them and the metrics token, refusing what is neither', () => {
    const config = loadConfig({
      HTTP_ALLOWED_ORIGINS: 'https://www.operator.example:443,http://intranet.example:8080',
      METRICS_TOKEN: 'a-token-of-16-chars+',
    });
    expect(config.allowedOrigins).toEqual(['https://www.operator.example', 'http://intranet.example:8080']);
    expect(config.metricsToken).toBe('a-token-of-16-chars+');
    expect(loadConfig({}).allowedOrigins).toEqual([]);
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(faultsOf({ HTTP_ALLOWED_ORIGINS: 'evil.example' })[0]).toMatch(/^HTTP_ALLOWED_ORIGINS: must match pattern/);
    expect(faultsOf({ METRICS_TOKEN: 'short' })[0]).toMatch(/^METRICS_TOKEN: /);
  });

  it('refuses termination that would come before suspension', () => {
    expect(faultsOf({ VP_SUSPEND_AFTER_OVERDUE_MONTHS: '3', VP_TERMINATE_AFTER_OVERDUE_MONTHS: '2' })).toEqual([
      'VP_TERMINATE_AFTER_OVERDUE_MONTHS: must be greater than VP_SUSPEND_AFTER_OVERDUE_MONTHS (3)',
    ]);
  });

  it('has the agreement defaults of DESIGN.md, each overridable by its VP_ variable', () => {
    const { settings } = loadConfig({});
    expect(settings).toMatchObject({
      currency: 'CNY',
      timeZone: 'Asia/Shanghai',
      lateFeeRatePerDay: '0.003',
      suspendAfterOverdueMonths: 1,
      terminateAfterOverdueMonths: 3,
      outageCreditThresholdHours: 24,
      warrantyMonths: 12,
      objectionWindowMonths: 1,
      maintenanceNoticeLeadHours: 72,
    });
    expect(settingEnvName('outageCreditThresholdHours')).toBe('VP_OUTAGE_CREDIT_THRESHOLD_HOURS');
    expect(loadConfig({ VP_OUTAGE_CREDIT_THRESHOLD_HOURS: '12', VP_OVERDUE_SUSPENSION_KEEPS_RENT: 'false' }).settings).toMatchObject({
      outageCreditThresholdHours: 12,
      overdueSuspensionKeepsRent: false,
    });
  });

  it('reads an optional file named by CONFIG_FILE, with the environment taking precedence', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'vp-config-')), 'videophone.env');
    writeFileSync(file, '# operator config\nPORT=9090\nSIP_DOMAIN=example.net\nVP_PROVIDER_NAME="Example Telecom"\n');
    const config = loadConfig({ CONFIG_FILE: file, SIP_DOMAIN: 'override.test' });
    expect(config.http.port).toBe(9090);
    expect(config.sip.domain).toBe('override.test');
    expect(config.settings.providerName).toBe('Example Telecom');
    expect(faultsOf({ CONFIG_FILE: '/nonexistent/videophone.env' })[0]).toMatch(/^CONFIG_FILE: cannot read/);
  });

  it('trusts a reverse proxy only when told which', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).trustProxy).toBe('10.0.0.0/8,127.0.0.1');
    expect(faultsOf({ TRUST_PROXY: 'everyone' })[0]).toMatch(/^TRUST_PROXY: must match pattern/);
  });
});
