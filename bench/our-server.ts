/**
 * Our service for `npm run bench:call`, in a process of its own (as Kamailio runs in its own), so the
 * bench's driving of the browser never shares its event loop. Started by bench/call-bench.ts with
 * fork(): it sends `{ wsUri, domain, parties }` once two subscribers are active with one device each,
 * and closes the service when told `stop`.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { issueDeviceCredentials } from '../src/calls/index.js';
import type { Engine } from '../src/platform/db/database.js';
import { repoRoot } from '../test/support/process.js';
import { activeSubscribers, startSoftphoneService } from '../test/support/softphone.js';

const service = await startSoftphoneService({
  engine: (process.env.BENCH_ENGINE ?? 'pglite') as Engine,
  env: {
    TURN_URLS: process.env.BENCH_TURN_URL!,
    TURN_SECRET: process.env.BENCH_TURN_SECRET!,
    SIP_ALLOWED_ORIGINS: process.env.BENCH_PAGE_ORIGIN!,
  },
});
const subscribers = await activeSubscribers(service, ['主叫', '被叫']);
const parties = [];
for (const subscriber of subscribers) {
  // As POST /api/portal/devices issues them to the softphone.
  const issued = await issueDeviceCredentials(service.database.db, {
    number: subscriber.number,
    realm: service.domain,
    deviceName: 'bench',
    now: new Date(),
  });
  parties.push({ number: subscriber.number, username: issued.authorizationUsername, password: issued.password });
}
// BENCH_CPU_PROF=1: a V8 CPU profile of the calls (not of the setup), written to bench/out/ at the end.
const profiler = process.env.BENCH_CPU_PROF ? new Session() : null;
if (profiler) {
  profiler.connect();
  await new Promise((resolve) => profiler.post('Profiler.enable', () => profiler.post('Profiler.start', resolve)));
}
process.on('message', (message) => {
  if (message !== 'stop') return;
  void (async () => {
    if (profiler) {
      const profile = await new Promise((resolve) => profiler.post('Profiler.stop', (_, result) => resolve(result.profile)));
      writeFileSync(path.join(repoRoot, 'bench/out', `our-server-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    }
    await service.close();
    process.exit(0);
  })();
});
process.send!({ wsUri: `${service.base.replace('http', 'ws')}/sip`, domain: service.domain, parties });
