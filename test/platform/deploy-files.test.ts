import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
// yaml (a dev dependency): the compose file is read as Compose reads it, merge keys included.
import { parse as parseYaml } from 'yaml';
import { configurationVariables } from '../../scripts/config-reference.js';
import { ConfigError, loadConfig } from '../../src/platform/config/index.js';

/**
 * deploy/ (issue #17, several nodes): the files an operator installs name only settings the service
 * knows, with values it accepts, so a renamed or removed setting cannot leave them silently wrong.
 */
const deployDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../deploy');
const unitFile = path.join(deployDir, 'systemd/videophone@.service');
const envExampleFile = path.join(deployDir, 'systemd/node.env.example');
const composeFile = path.join(deployDir, 'compose.yaml');
const known = new Set(configurationVariables());
const scratch = mkdtempSync(path.join(tmpdir(), 'vp-deploy-files-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `Environment=NAME=value` lines of the unit, for the instance `instance` (systemd's %i). */
function unitEnvironment(instance: string): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const line of readFileSync(unitFile, 'utf8').split('\n')) {
    const match = /^Environment=([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) environment[match[1]!] = match[2]!.replaceAll('%i', instance);
  }
  return environment;
}

/** The variables the env example sets, and those it shows commented out as defaults (`# NAME=value`). */
function envExample(): { set: Record<string, string>; commented: string[] } {
  const text = readFileSync(envExampleFile, 'utf8');
  const commented = [...text.matchAll(/^#\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!);
  return { set: parseEnv(text) as Record<string, string>, commented };
}

function configFaults(environment: Record<string, string>): string[] {
  try {
    loadConfig(environment);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.faults.map((fault) => fault.variable);
    throw error;
  }
}

const filledSecrets = {
  SIP_SECRET: randomBytes(24).toString('base64'),
  DATA_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  METRICS_TOKEN: randomBytes(24).toString('hex'),
};

describe('the systemd unit and its env file', () => {
  it('set only variables the configuration knows, commented defaults included', () => {
    const { set, commented } = envExample();
    const names = [...Object.keys(unitEnvironment('vp1')), ...Object.keys(set), ...commented];
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !known.has(name))).toEqual([]);
  });

  it('name the node after the unit instance, and the env example leaves the node name to the unit', () => {
    expect(unitEnvironment('vp1')).toMatchObject({ NODE_ID: 'vp1', DATA_DIR: '/var/lib/videophone/vp1' });
    expect(readFileSync(unitFile, 'utf8')).toMatch(/^EnvironmentFile=\/etc\/videophone\/%i\.env$/m);
    expect(envExample().set).not.toHaveProperty('NODE_ID');
  });

  it('are refused while the secrets hold their placeholders, naming exactly those, and accepted once they are filled in', () => {
    const environment = { ...unitEnvironment('vp1'), ...envExample().set };
    expect(configFaults(environment).sort()).toEqual(['DATA_KEYS', 'METRICS_TOKEN', 'SIP_SECRET']);

    const config = loadConfig({ ...environment, ...filledSecrets });
    expect(config).toMatchObject({ env: 'production', nodeId: 'vp1', dataDir: '/var/lib/videophone/vp1', jobsEnabled: true });
    expect(config.database.kind).toBe('postgres');
    expect(config.redisUrl).toMatch(/^redis:\/\//);
    expect(config.sip.advertisedAddress).toBe('192.0.2.11');
  });

  it('allow the open files the default connection caps need (SIP + HTTP + 1024 reserved)', () => {
    const config = loadConfig({ ...unitEnvironment('vp1'), ...envExample().set, ...filledSecrets });
    const limit = Number(/^LimitNOFILE=(\d+)$/m.exec(readFileSync(unitFile, 'utf8'))?.[1]);
    expect(limit).toBe(config.sip.connections.max + config.http.maxConnections + 1024);
  });

  const systemdAnalyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((file) => existsSync(file));
  it.skipIf(!systemdAnalyze)('pass systemd-analyze verify (where systemd-analyze is installed)', () => {
    // Where node lives differs between machines; everything else is verified as shipped.
    const unit = readFileSync(unitFile, 'utf8').replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `);
    const copy = path.join(scratch, 'videophone@.service');
    writeFileSync(copy, unit);
    const result = spawnSync(systemdAnalyze!, ['verify', copy], { encoding: 'utf8' });
    const complaints = `${result.stdout}${result.stderr}`
      .split('\n')
      .filter((line) => line.includes('videophone@'))
      .join('\n');
    expect(complaints).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('the compose file', () => {
  // Compose's `<<:` merge keys, as `docker compose` reads them.
  const compose = parseYaml(readFileSync(composeFile, 'utf8'), { merge: true }) as {
    services: Record<
      string,
      { build?: unknown; environment?: Record<string, string>; networks?: Record<string, { ipv4_address?: string }> }
    >;
  };
  const nodes = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

  it('runs three nodes, each under its own NODE_ID and at its own address', () => {
    expect(nodes.map(([name]) => name)).toEqual(['vp1', 'vp2', 'vp3']);
    for (const [name, service] of nodes) {
      expect(service.environment?.NODE_ID).toBe(name);
      expect(service.environment?.SIP_ADVERTISED_ADDRESS).toBe(service.networks?.videophone?.ipv4_address);
    }
    expect(new Set(nodes.map(([, service]) => service.environment?.SIP_ADVERTISED_ADDRESS)).size).toBe(3);
  });

  it("gives its nodes only known settings, with values the configuration accepts once the .env file's secrets are in", () => {
    for (const [name, service] of nodes) {
      const environment = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([key, value]) => [
          key,
          // ${NAME:?message} comes from deploy/.env
          String(value).replace(/^\$\{([A-Z_]+):\?[^}]*\}$/, (_whole, variable: string) => filledSecrets[variable as 'SIP_SECRET']),
        ]),
      );
      expect(
        Object.keys(environment).filter((key) => !known.has(key)),
        name,
      ).toEqual([]);
      expect(configFaults(environment), name).toEqual([]);
      expect(loadConfig(environment)).toMatchObject({ nodeId: name, env: 'production', database: { kind: 'postgres' } });
    }
  });
});

describe('the load balancer and DNS examples', () => {
  const haproxy = readFileSync(path.join(deployDir, 'haproxy.cfg'), 'utf8');
  const zone = readFileSync(path.join(deployDir, 'dns-srv.zone'), 'utf8');

  it('check readiness on /readyz and balance over the nodes the zone names, without stickiness', () => {
    expect(haproxy).toMatch(/http-check send meth GET uri \/readyz/);
    expect(haproxy).not.toMatch(/^\s*(stick|cookie)\b/m);
    const servers = [...haproxy.matchAll(/^\s*server (\S+) ([0-9.]+):8080/gm)].map((match) => `${match[1]} ${match[2]}`);
    const nodesInZone = [...zone.matchAll(/^(vp\d)\s+IN A\s+([0-9.]+)/gm)].map((match) => `${match[1]} ${match[2]}`);
    expect(servers).toEqual(nodesInZone);
    expect(servers).toHaveLength(3);
  });

  it('publish SIP over UDP, TCP and TLS by SRV for every node', () => {
    for (const service of ['_sip._udp', '_sip._tcp', '_sips._tcp']) {
      const targets = [...zone.matchAll(new RegExp(`^${service.replaceAll('.', '\\.')}\\.vp\\s+IN SRV \\d+ \\d+ (\\d+) (vp\\d)$`, 'gm'))];
      expect(
        targets.map((match) => match[2]),
        service,
      ).toEqual(['vp1', 'vp2', 'vp3']);
      expect(new Set(targets.map((match) => match[1])), service).toEqual(new Set([service === '_sips._tcp' ? '5061' : '5060']));
    }
  });
});
