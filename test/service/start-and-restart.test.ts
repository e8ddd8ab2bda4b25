import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../src/demo/load-demo.js';
import { totpCodeAt } from '../../src/staff/index.js';
import { collectOutput, exited, freePort, runCli, waitForOk } from '../support/process.js';

const READY_WITHIN_MS = 60_000;

/** The service as `npm start` runs it: a real process, a real port, the embedded database on disk. */
describe('the service process on the embedded database', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('becomes ready, keeps its data across a restart, and stops cleanly on SIGTERM', { timeout: 3 * READY_WITHIN_MS }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vp-data-'));
    const port = await freePort();
    const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SIP_PORT: String(await freePort()) };
    const base = `http://127.0.0.1:${port}`;

    // The demo operator without its year of history: this is about starting, not about the story (test/demo/).
    const first = runCli(['serve', '--demo', '--demo-subscribers', '0'], env);
    children.push(first);
    const firstOutput = collectOutput(first);
    // A bound for a hang, not a timing claim: a first start creates the database and runs every
    // migration, which takes several times longer while other tests load both cores.
    await waitForOk(`${base}/readyz`, READY_WITHIN_MS);
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready', database: 'pglite' });

    // While it runs, nobody else may open the same embedded database.
    const intruder = runCli(['migrate'], env);
    const intruderOutput = collectOutput(intruder);
    expect(await exited(intruder)).toBe(1);
    expect(intruderOutput.text()).toMatch(/in use by process \d+/);

    const admin = demoAccounts().find((a) => a.role === 'administrator')!;
    const signIn = await fetch(`${base}/api/auth/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: admin.username, password: admin.password, totpCode: totpCodeAt(admin.totpSecret, new Date()) }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const created = await fetch(`${base}/api/console/staff`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        username: 'survivor',
        displayName: 'Survives restarts',
        password: 'a long enough password',
        roles: ['auditor'],
      }),
    });
    expect(created.status).toBe(201);

    first.kill('SIGTERM');
    expect(await exited(first)).toBe(0);
    expect(firstOutput.text()).not.toMatch(/error/i);

    const second = runCli(['serve'], env);
    children.push(second);
    await waitForOk(`${base}/readyz`, READY_WITHIN_MS);
    const again = await fetch(`${base}/api/auth/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: admin.username,
        password: admin.password,
        totpCode: totpCodeAt(admin.totpSecret, new Date(Date.now() + 30_000)),
      }),
    });
    expect(again.status).toBe(200);
    const staff = (await (
      await fetch(`${base}/api/console/staff`, { headers: { cookie: again.headers.get('set-cookie')!.split(';')[0]! } })
    ).json()) as { items: { username: string }[] };
    expect(staff.items.map((s) => s.username)).toContain('survivor');
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
  });

  it('refuses a wrong configuration with one clear message and exit code 2', async () => {
    const child = runCli(['serve'], { PORT: 'abc', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'vp-data-')) });
    const output = collectOutput(child);
    expect(await exited(child)).toBe(2);
    expect(output.text()).toBe('Invalid configuration:\n  PORT: must be integer (got "abc")\n');
  });

  it('refuses a key file that is not what its setting says the same way, when the service reads it at start', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vp-data-'));
    const keyFile = path.join(dir, 'seal.pem');
    writeFileSync(keyFile, 'not a key');
    const child = runCli(['serve'], {
      AGREEMENT_SEAL_FILE: keyFile,
      DATA_DIR: dir,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      SIP_PORT: String(await freePort()),
    });
    const output = collectOutput(child);
    expect(await exited(child)).toBe(2);
    expect(output.text()).toBe(`Invalid configuration:\n  AGREEMENT_SEAL_FILE: ${keyFile}: not a readable PEM private key\n`);
  });
});
