import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../test/support/process.js';

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
		if (!pv_www_authenticate("$td", "$sht(users=>$au)", "0")) {
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
		if (!pv_proxy_authenticate("$fd", "$sht(users=>$au)", "0")) {
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

async function waitForTcp(port: number, limitMs: number, child: ChildProcess): Promise<void> {
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
