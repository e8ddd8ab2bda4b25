import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RtpengineClient } from '../../src/calls/rtpengine-client.js';
import { freePort } from './process.js';

/** Debian's rtpengine (`rtpengine-daemon`), userspace only. Under CI=true a missing daemon is a failure, not a skip. */
export const rtpenginePath = process.env.RTPENGINE ?? '/usr/bin/rtpengine';
export const rtpengineAvailable = existsSync(rtpenginePath);
if (!rtpengineAvailable && process.env.CI === 'true')
  throw new Error(`CI=true requires rtpengine at ${rtpenginePath}: apt-get install rtpengine-daemon`);

export interface Rtpengine {
  /** The RTPENGINE_URL that reaches it. */
  url: string;
  port: number;
  /** A client of its ng socket, for `query` and `list` in tests. */
  client: RtpengineClient;
  /** Everything it logged (commands are logged at level 6 as "Received command 'offer'"). */
  log: () => string;
  stop: () => Promise<void>;
}

/**
 * An rtpengine on 127.0.0.1 with a temporary configuration: the ng socket on a free port, media on
 * a port range of its own (parallel runs on a shared machine must not collide), no kernel module
 * (`table = -1`), in the foreground, logging to stderr.
 */
export async function startRtpengine(): Promise<Rtpengine> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vp-rtpengine-'));
  const port = await freePort();
  const minPort = 30_000 + Math.floor(Math.random() * 180) * 100;
  const configFile = path.join(dir, 'rtpengine.conf');
  writeFileSync(
    configFile,
    [
      '[rtpengine]',
      'table = -1',
      'interface = 127.0.0.1',
      `listen-ng = 127.0.0.1:${port}`,
      'foreground = true',
      'log-stderr = true',
      'log-level = 6',
      `port-min = ${minPort}`,
      `port-max = ${minPort + 99}`,
      'timeout = 60',
      // A deleted call goes at once (the default keeps it 30 s for late packets), so tests can see the delete.
      'delete-delay = 0',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    rtpenginePath,
    [`--config-file=${configFile}`, '--config-section=rtpengine', '--no-fallback', `--pidfile=${path.join(dir, 'pid')}`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-500_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const client = new RtpengineClient({ host: '127.0.0.1', port }, { timeoutMs: 300, retries: 0 });
  const stop = async () => {
    client.close();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const started = Date.now();
  for (;;) {
    const pong = await client.request('ping');
    if (pong.ok && pong.reply.result === 'pong') break;
    if (child.exitCode !== null || Date.now() - started > 10_000) {
      await stop();
      throw new Error(`rtpengine did not answer ping on ${port}: exit ${child.exitCode}\n${output.slice(-4000)}`);
    }
  }
  return { url: `udp:127.0.0.1:${port}`, port, client, log: () => output, stop };
}
