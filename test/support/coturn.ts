import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { freePort, repoRoot } from './process.js';

/** Debian's coturn (see shared/testing/browser-webrtc.md). Under CI=true a missing coturn is a failure. */
export const turnserverPath = process.env.TURNSERVER ?? '/usr/bin/turnserver';
export const coturnAvailable = existsSync(turnserverPath);
if (!coturnAvailable && process.env.CI === 'true') throw new Error(`CI=true requires coturn at ${turnserverPath}`);

export interface Coturn {
  secret: string;
  url: string;
  logFile: string;
  log(): string;
  stop(): Promise<void>;
  /** Stops it and starts a new one on the same port and secret: every allocation is lost, the server is back. */
  restart(): Promise<void>;
}

/**
 * A coturn on 127.0.0.1 with the TURN REST shared secret (use-auth-secret). Loopback peers are allowed
 * because both browsers are on this machine; production denies them (denied-peer-ip).
 */
export async function startCoturn(): Promise<Coturn> {
  const secret = randomBytes(24).toString('hex');
  const port = await freePort();
  // A relay port range of our own, so parallel runs on a shared machine do not collide.
  const minPort = 50_000 + Math.floor(Math.random() * 150) * 100;
  const dir = path.join(repoRoot, 'test-output', `coturn-${port}`);
  mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, 'turnserver.log');
  const configFile = path.join(dir, 'turnserver.conf');
  writeFileSync(
    configFile,
    [
      'listening-ip=127.0.0.1',
      'relay-ip=127.0.0.1',
      `listening-port=${port}`,
      `min-port=${minPort}`,
      `max-port=${minPort + 99}`,
      'realm=vp.test',
      'use-auth-secret',
      `static-auth-secret=${secret}`,
      'fingerprint',
      'no-tls',
      'no-dtls',
      'no-cli',
      'no-multicast-peers',
      'allow-loopback-peers',
      'no-software-attribute',
      'stale-nonce=600',
      'verbose',
      `userdb=${path.join(dir, 'turndb')}`,
      `log-file=${logFile}`,
      'simple-log',
      'no-stdout-log',
      `pidfile=${path.join(dir, 'turnserver.pid')}`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess = spawn(turnserverPath, ['-c', configFile], { stdio: 'ignore' });
  await waitForTcp(port, 10_000);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return {
    secret,
    url: `turn:127.0.0.1:${port}?transport=udp`,
    logFile,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    stop,
    async restart() {
      await stop();
      child = spawn(turnserverPath, ['-c', configFile], { stdio: 'ignore' });
      await waitForTcp(port, 10_000);
    },
  };
}

async function waitForTcp(port: number, limitMs: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`coturn did not listen on 127.0.0.1:${port} within ${limitMs} ms`);
}
