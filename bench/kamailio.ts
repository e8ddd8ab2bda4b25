import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, onCpus } from '../test/support/process.js';

/** Debian's Kamailio 5.6 (`apt-get install kamailio kamailio-websocket-modules`); KAMAILIO may name another binary. */
export const kamailioPath = process.env.KAMAILIO ?? '/usr/sbin/kamailio';
const modulesDir = process.env.KAMAILIO_MODULES ?? '/usr/lib/x86_64-linux-gnu/kamailio/modules';

export interface Kamailio {
  /** ws://127.0.0.1:<port>/ */
  wsUri: string;
  domain: string;
  stop(): Promise<void>;
  log(): string;
}

/**
 * The reference registrar and proxy for the call benchmark: Kamailio on loopback in a temporary
 * directory, configured by a file written here. A minimal registrar + proxy as Kamailio's own
 * WebSocket example does it: digest (qop=auth, nonce counts checked) against plain passwords in an
 * htable, the authenticated user must be the To user (REGISTER) or the From user (INVITE, MESSAGE),
 * usrloc in memory, record_route / loose_route / t_relay, and nathelper's alias handling for
 * WebSocket clients (their contacts are `.invalid`).
 */
export async function startKamailio(options: { domain: string; users: Record<string, string> }): Promise<Kamailio> {
  if (!existsSync(kamailioPath))
    throw new Error(`Kamailio not found at ${kamailioPath}: apt-get install -y kamailio kamailio-websocket-modules`);
  const dir = mkdtempSync(path.join(tmpdir(), 'vp-kamailio-'));
  const wsPort = await freePort();
  const udpPort = await freePort();
  const users = Object.entries(options.users)
    .map(([user, password]) => `\t$sht(users=>${user}) = "${password}";`)
    .join('\n');
  const configFile = path.join(dir, 'kamailio.cfg');
  writeFileSync(configFile, configText({ wsPort, udpPort, domain: options.domain, users, secret: randomBytes(16).toString('hex') }));
  const logFile = path.join(dir, 'kamailio.log');
  let log = '';
  // -DD: stay in the foreground (its children are killed with it); -E: log to stderr.
  const child: ChildProcess = spawn(
    kamailioPath,
    ['-f', configFile, '-DD', '-E', '-Y', dir, '-P', path.join(dir, 'kamailio.pid'), '-m', '64', '-M', '8'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    await waitForTcp(wsPort, 10_000, child);
  } catch (error) {
    child.kill('SIGTERM');
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return {
    wsUri: `ws://127.0.0.1:${wsPort}/`,
    domain: options.domain,
    log: () => log + (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function configText(o: { wsPort: number; udpPort: number; domain: string; users: string; secret: string }): string {
  return `#!KAMAILIO
# Written by bench/kamailio.ts for npm run bench:call; deleted when the bench ends.
debug=1
log_stderror=yes
children=2
tcp_children=2
auto_aliases=no
dns=no
rev_dns=no
listen=udp:127.0.0.1:${o.udpPort}
listen=tcp:127.0.0.1:${o.wsPort}
alias="${o.domain}"
tcp_accept_no_cl=yes
tcp_connection_lifetime=3605

mpath="${modulesDir}/"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "auth.so"
loadmodule "htable.so"
loadmodule "nathelper.so"
loadmodule "xhttp.so"
loadmodule "websocket.so"

modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("registrar", "min_expires", 60)
modparam("registrar|nathelper", "received_avp", "$avp(RECEIVED)")
modparam("htable", "htable", "users=>size=4;")
modparam("auth", "secret", "${o.secret}")
modparam("auth", "nonce_count", 1)
modparam("auth", "qop", "auth")
modparam("tm", "fr_inv_timer", 60000)

request_route {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (!sanity_check()) exit;
	# A WebSocket client's contact is not reachable as written (RFC 7118 §5): route by its connection.
	if (nat_uac_test("64")) {
		force_rport();
		if (is_method("REGISTER")) {
			fix_nated_register();
		} else if (!add_contact_alias()) {
			sl_send_reply("400", "Bad Request");
			exit;
		}
	}
	if (has_totag()) {
		if (loose_route()) {
			if ($du == "" && !handle_ruri_alias()) {
				sl_send_reply("400", "Bad Request");
				exit;
			}
			route(RELAY);
		}
		if (is_method("ACK")) {
			if (t_check_trans()) t_relay();
			exit;
		}
		sl_send_reply("404", "Not Found");
		exit;
	}
	if (is_method("CANCEL")) {
		if (t_check_trans()) route(RELAY);
		exit;
	}
	if (!is_method("ACK")) {
		if (t_precheck_trans()) {
			t_check_trans();
			exit;
		}
		t_check_trans();
	}
	remove_hf("Route");
	if (is_method("REGISTER")) {
		if (!is_present_hf("Authorization") || !pv_www_authenticate("$td", "$sht(users=>$au)", "0")) {
			www_challenge("$td", "1");
			exit;
		}
		if ($au != $tU) {
			sl_send_reply("403", "Forbidden");
			exit;
		}
		consume_credentials();
		if (!save("location")) sl_reply_error();
		exit;
	}
	if (is_method("INVITE|MESSAGE")) {
		if (!is_present_hf("Proxy-Authorization") || !pv_proxy_authenticate("$fd", "$sht(users=>$au)", "0")) {
			proxy_challenge("$fd", "1");
			exit;
		}
		if ($au != $fU) {
			sl_send_reply("403", "Forbidden");
			exit;
		}
		consume_credentials();
	}
	if (is_method("INVITE")) record_route();
	if (!lookup("location")) {
		sl_send_reply("404", "Not Found");
		exit;
	}
	route(RELAY);
}

route[RELAY] {
	if (!t_relay()) sl_reply_error();
	exit;
}

onreply_route {
	if (nat_uac_test("64")) add_contact_alias();
}

event_route[htable:mod-init] {
${o.users}
}

event_route[xhttp:request] {
	set_reply_close();
	set_reply_no_connect();
	if ($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {
		if (ws_handle_handshake()) exit;
	}
	xhttp_reply("404", "Not Found", "", "");
}
`;
}

export async function waitForTcp(port: number, limitMs: number, child: ChildProcess): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if (child.exitCode !== null) throw new Error(`Kamailio exited with ${child.exitCode}`);
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
  throw new Error(`Kamailio did not listen on 127.0.0.1:${port} within ${limitMs} ms`);
}

export interface SipKamailio {
  /** UDP and TCP on the same port of 127.0.0.1. */
  sipPort: number;
  /** The main process; its children (the workers) are its descendants. */
  pid: number;
  configFile: string;
  stop(): Promise<void>;
  log(): string;
}

export interface SipKamailioOptions {
  domain: string;
  /** Digest users and their plain passwords, the same as our service's accounts. */
  users: Array<{ username: string; password: string }>;
  /** UDP receivers and TCP workers each (Kamailio's `children` and `tcp_children`). */
  children: number;
  /** Open TCP connections allowed (our service's SIP_MAX_CONNECTIONS in the same run). */
  maxConnections: number;
  /** Kept after stop() (the configuration and the users table), e.g. with BENCH_KEEP. */
  keep?: boolean;
  /** The CPUs Kamailio and its children may run on (taskset list), e.g. with BENCH_SERVER_CPUS. */
  cpus?: string;
}

/**
 * The reference registrar and proxy for `npm run bench:sip`: Kamailio over UDP and TCP on loopback,
 * configured as our service is for the bench (see sipConfigText), with the users in an htable
 * loaded from a db_text table in a temporary directory.
 */
export async function startSipKamailio(options: SipKamailioOptions): Promise<SipKamailio> {
  if (!existsSync(kamailioPath)) throw new Error(`Kamailio not found at ${kamailioPath}: apt-get install -y kamailio`);
  const dir = mkdtempSync(path.join(tmpdir(), 'vp-kamailio-sip-'));
  const dbDir = path.join(dir, 'db');
  mkdirSync(dbDir);
  writeUserTable(dbDir, options.users);
  const sipPort = await freePort();
  const configFile = path.join(dir, 'kamailio.cfg');
  writeFileSync(
    configFile,
    sipConfigText({
      sipPort,
      domain: options.domain,
      dbDir,
      children: options.children,
      maxConnections: options.maxConnections,
      secret: randomBytes(16).toString('hex'),
    }),
  );
  let log = '';
  // -DD: stay in the foreground with the workers as children; -E: log to stderr. Shared memory
  // (-m, MB) holds usrloc and the transactions: 10,000 bindings and a few thousand calls a second.
  const child: ChildProcess = spawn(
    ...onCpus(options.cpus, kamailioPath, [
      '-f',
      configFile,
      '-DD',
      '-E',
      '-Y',
      dir,
      '-P',
      path.join(dir, 'kamailio.pid'),
      '-m',
      '1024',
      '-M',
      '16',
    ]),
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-64_000)));
  try {
    await waitForTcp(sipPort, 15_000, child);
  } catch (error) {
    child.kill('SIGTERM');
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return {
    sipPort,
    pid: child.pid!,
    configFile,
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The users as an htable loaded from a db_text table (one file per table: a header of typed columns,
 * then `:`-separated rows). htable reads it once at startup into shared memory, a hash by name, as our
 * service's account cache answers from memory; db_text queried per request would scan every row.
 */
function writeUserTable(dbDir: string, users: SipKamailioOptions['users']): void {
  for (const { username, password } of users) {
    if (/[:\\\n]/.test(username + password)) throw new Error(`db_text cannot hold ${username}'s credentials as written`);
  }
  writeFileSync(path.join(dbDir, 'version'), 'table_name(str) table_version(int)\nhtable:2\n');
  // key_type 0: a single value; value_type 0: a string.
  writeFileSync(
    path.join(dbDir, 'htable'),
    'id(int,auto) key_name(str) key_type(int) value_type(int) key_value(str) expires(int)\n' +
      users.map(({ username, password }, i) => `${i + 1}:${username}:0:0:${password}:0\n`).join(''),
  );
}

/**
 * Kamailio doing what our service does for the bench's scenarios, and no more, so that the ratio
 * compares the same work. Each section says which part of our service it stands for. What ours does
 * beyond it: the per-source rate limiter and bans (raised out of the way in the bench, but still
 * counted), session timers, and a durable call record written before each INVITE is forwarded
 * (Kamailio keeps none).
 */
export function sipConfigText(o: {
  sipPort: number;
  domain: string;
  dbDir: string;
  children: number;
  maxConnections: number;
  secret: string;
}): string {
  return `#!KAMAILIO
# Written by bench/kamailio.ts (sipConfigText) for npm run bench:sip; deleted when the bench ends.

####### Process and transports #######
# Issue #17's reference: ${o.children} UDP receiver processes and ${o.children} TCP workers over shared memory.
# Ours: one Node.js process (SIP_WORKERS, when set, adds processes).
debug=0
log_stderror=yes
children=${o.children}
tcp_children=${o.children}
auto_aliases=no
dns=no
rev_dns=no
# UDP and TCP on one port, as ours listens on SIP_PORT for both.
listen=udp:127.0.0.1:${o.sipPort}
listen=tcp:127.0.0.1:${o.sipPort}
# Our SIP_DOMAIN: requests for it are ours to serve.
alias="${o.domain}"
# Ours: SIP_MAX_CONNECTIONS (raised to the same number in the bench) and SIP_IDLE_TIMEOUT_SECONDS.
tcp_max_connections=${o.maxConnections}
tcp_connection_lifetime=600
tcp_accept_no_cl=yes

mpath="${modulesDir}/"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "sanity.so"
loadmodule "db_text.so"
loadmodule "htable.so"
loadmodule "auth.so"
loadmodule "nathelper.so"

####### Location service #######
# Ours: the registrar's location service (RFC 3261 §10.3) kept in memory (InMemoryLocationService).
# db_mode 0: usrloc only in shared memory, nothing written.
modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("registrar", "min_expires", 60)
# A binding remembers the address (over TCP: the connection) it registered from, as ours keeps the
# binding's flow (RFC 5626 §5.2): calls reach a phone through it.
modparam("registrar|nathelper", "received_avp", "$avp(RECEIVED)")

####### Digest authentication #######
# Ours: digest with qop=auth (RFC 7616 §3.3-3.4, MD5) against the SIP accounts, nonces signed
# with SIP_SECRET and nonce counts checked against replay. Our accounts are read from the database
# and cached in memory; here the same users and passwords are an htable in shared memory, loaded
# at startup from a db_text table (size: 2^16 buckets for the 20,000 users).
modparam("htable", "db_url", "text://${o.dbDir}")
modparam("htable", "htable", "users=>size=16;dbtable=htable;")
modparam("auth", "secret", "${o.secret}")
modparam("auth", "nonce_count", 1)
modparam("auth", "qop", "auth")

####### Transactions #######
# Ours: the transaction layer (RFC 3261 §17) and Timer C as SIP_RING_TIMEOUT_SECONDS (60 s).
modparam("tm", "fr_inv_timer", 60000)

request_route {
	# Ours: the message parser rejects what RFC 3261 §7 and §8.2 do not allow; §16.3 Max-Forwards.
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (!sanity_check()) exit;

	# Ours: in-dialog requests follow the Route set the proxy record-routed (§16.4, §16.12).
	if (has_totag()) {
		if (loose_route()) route(RELAY);
		if (is_method("ACK")) {
			if (t_check_trans()) t_relay();
			exit;
		}
		sl_send_reply("404", "Not Found");
		exit;
	}
	# §9.2: a CANCEL goes where its INVITE went.
	if (is_method("CANCEL")) {
		if (t_check_trans()) route(RELAY);
		exit;
	}
	# §17.2.3: retransmissions are absorbed by the server transaction.
	if (!is_method("ACK")) {
		if (t_precheck_trans()) {
			t_check_trans();
			exit;
		}
		t_check_trans();
	}
	remove_hf("Route");

	# Ours: the registrar (§10.3): 401 challenge, the authenticated user must own the To address,
	# the binding saved, 200 listing the bindings.
	if (is_method("REGISTER")) {
		if (!is_present_hf("Authorization") || !pv_www_authenticate("$td", "$sht(users=>$au)", "0")) {
			www_challenge("$td", "1");
			exit;
		}
		if ($au != $tU) {
			sl_send_reply("403", "Forbidden");
			exit;
		}
		consume_credentials();
		fix_nated_register();
		if (!save("location")) sl_reply_error();
		exit;
	}

	# Ours: the proxy challenges a caller with 407 (§22.3) and checks the caller owns the From address.
	if (is_method("INVITE|MESSAGE")) {
		if (!is_present_hf("Proxy-Authorization") || !pv_proxy_authenticate("$fd", "$sht(users=>$au)", "0")) {
			proxy_challenge("$fd", "1");
			exit;
		}
		if ($au != $fU) {
			sl_send_reply("403", "Forbidden");
			exit;
		}
		consume_credentials();
	}
	# Ours: record-routes dialogs so ACK and BYE pass through it (§16.6 step 4).
	if (is_method("INVITE")) record_route();
	# Ours: the callee's bindings from the location service; 404 for a number with none.
	if (!lookup("location")) {
		sl_send_reply("404", "Not Found");
		exit;
	}
	route(RELAY);
}

# Ours: the proxy forwards statefully (§16.6) and relays the responses (§16.7).
route[RELAY] {
	if (!t_relay()) sl_reply_error();
	exit;
}
`;
}
