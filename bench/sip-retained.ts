/**
 * Issue #17: the heap a registration holds once its REGISTER has been answered. A registrar keeps a
 * binding per device for up to an hour and a nonce count per authenticated request for about six
 * minutes (the nonce's 300 s lifetime, a minute more, and up to a minute until the sweep), so what
 * each holds, times 100,000 devices or 1,000 REGISTERs a second, is the registrar's memory.
 *
 *   npm run bench:retained     (BENCH_REGISTRATIONS=100000)
 *
 * REGISTERs like a phone's (about 900 bytes: credentials, an RFC 5626 instance, a User-Agent), each
 * from its own number, are parsed by the service's parser and handed to the service's Registrar
 * over an in-memory location; the digest check and the call policy around it say yes at once (they
 * keep nothing per request that this bench is about). The nonce of each request's credentials is
 * counted by the service's LocalNonceCounts, as the digest check does. Prints the heap held per
 * binding and per nonce count, after a full collection, against the heap before the first request.
 *
 * BENCH_BUILD=<dir> runs another build (a `dist/server` copied from an earlier commit), for before
 * and after in one sitting.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type * as LocationModule from '../src/calls/location-service.js';
import type * as RegistrarModule from '../src/calls/registrar.js';
import type * as SipModule from '../src/sip/index.js';
import type { ServerTransaction } from '../src/sip/index.js';

const registrations = Number(process.env.BENCH_REGISTRATIONS ?? 100_000);
const domain = 'example.test';

const here = path.dirname(fileURLToPath(import.meta.url));
const build = process.env.BENCH_BUILD ? path.resolve(process.env.BENCH_BUILD) : path.join(here, '../src');
const extension = process.env.BENCH_BUILD ? '.js' : '.ts';
const load = (file: string) => import(pathToFileURL(path.join(build, file + extension)).href);
const sip = (await load('sip/index')) as typeof SipModule;
const { Registrar } = (await load('calls/registrar')) as typeof RegistrarModule;
const { InMemoryLocationService } = (await load('calls/location-service')) as typeof LocationModule;

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

function register(index: number): Buffer {
  const number = String(10_000_000 + index);
  const host = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
  return Buffer.from(
    [
      `REGISTER sip:${domain} SIP/2.0`,
      `Via: SIP/2.0/UDP ${host}:5060;branch=z9hG4bK-${index}-5a6b7c8d9e;rport`,
      'Max-Forwards: 70',
      `From: <sip:${number}@${domain}>;tag=${index}f3a9c1`,
      `To: <sip:${number}@${domain}>`,
      `Call-ID: ${index}-3f2a1b9c8d7e6f5a4b3c2d1e@${host}`,
      'CSeq: 2 REGISTER',
      `Contact: <sip:${number}@${host}:5060;transport=udp>;+sip.instance="<urn:uuid:00000000-0000-4000-8000-${String(index).padStart(12, '0')}>";reg-id=1`,
      `Authorization: Digest username="${number}", realm="${domain}", nonce="MTc2NDk4MDAwMDAwMDpkZWFkYmVlZmRlYWRiZWVmZGVh${index}", uri="sip:${domain}", response="0123456789abcdef0123456789abcdef", algorithm=MD5, cnonce="c${index}", qop=auth, nc=00000001`,
      'User-Agent: Linphone Desktop/5.2.0 (Debian 12) LinphoneCore/5.3.0',
      'Supported: outbound, path',
      'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE',
      'Expires: 3600',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
    'latin1',
  );
}

const location = new InMemoryLocationService();
const registrar = new Registrar(
  { domain, ourHosts: [], minExpires: 60, maxExpires: 3600, defaultExpires: 3600, maxContacts: 10 },
  {
    authenticate: async (transaction: ServerTransaction, _role: string, number: string | null) => ({
      number: number ?? transaction.request.uri,
      deviceId: null,
      credentials: { ha1: { MD5: '', 'SHA-256': '' } },
    }),
  } as unknown as ConstructorParameters<typeof Registrar>[1],
  { authorizeRegistration: async () => ({ allow: true }) } as unknown as ConstructorParameters<typeof Registrar>[2],
  location,
  () => Date.now(),
);
const nonceCounts = new sip.LocalNonceCounts(() => Date.now());

/** Parses REGISTERs `from`..`to` and gives each to the registrar, or counts its nonce, or both. */
async function registerAll(from: number, to: number, what: { binding: boolean; nonce: boolean }): Promise<void> {
  for (let index = from; index < to; index += 1) {
    const parsed = sip.parseMessage(register(index), sip.defaultParseLimits);
    if (!parsed.ok || parsed.message.kind !== 'request')
      throw new Error(`unparsable REGISTER: ${parsed.ok ? 'a response' : parsed.reason}`);
    const request = parsed.message;
    if (what.nonce) {
      const nonce = sip.parseAuthValue(sip.getHeader(request, 'Authorization')!).params.get('nonce')!;
      if (!nonceCounts.accept(nonce, 1, 360_000)) throw new Error('nonce count refused');
    }
    if (!what.binding) continue;
    const flow = {
      protocol: 'UDP',
      remoteAddress: '10.0.0.1',
      remotePort: 5060,
      localAddress: '127.0.0.1',
      localPort: 5060,
      connectionId: null,
    };
    const transaction = {
      request,
      flow,
      respond: (response: SipModule.SipResponse) => {
        if (response.status !== 200) throw new Error(`REGISTER answered ${response.status} ${response.reason}`);
      },
    } as unknown as ServerTransaction;
    await registrar.handle(transaction);
  }
}

/** Heap held per registration by what `what` keeps, after a full collection. */
async function heldPer(from: number, what: { binding: boolean; nonce: boolean }): Promise<number> {
  collect();
  const before = process.memoryUsage().heapUsed;
  await registerAll(from, from + registrations, what);
  collect();
  return (process.memoryUsage().heapUsed - before) / registrations;
}

// The first thousand compile the code they run (V8 counts code in the heap too); then the measures.
const warmUp = 1_000;
await registerAll(0, warmUp, { binding: true, nonce: true });
const perBinding = await heldPer(warmUp, { binding: true, nonce: false });
const perNonceCount = await heldPer(warmUp + registrations, { binding: false, nonce: true });
if (location.count() !== warmUp + registrations) throw new Error('not every REGISTER made its binding');

console.log(`${registrations} REGISTERs of ${register(0).length} bytes, ${build}:`);
console.log(`  heap held per binding      ${Math.round(perBinding)} bytes (${((perBinding * registrations) / 1e6).toFixed(0)} MB)`);
console.log(`  heap held per nonce count  ${Math.round(perNonceCount)} bytes (${((perNonceCount * registrations) / 1e6).toFixed(0)} MB)`);
