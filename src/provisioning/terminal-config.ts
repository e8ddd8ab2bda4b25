/**
 * What a provisioned unit is told, in one neutral shape (served as JSON, documented in
 * docs/provisioning.md) and rendered for Linphone's remote provisioning (lpconfig XML).
 */
export interface TerminalConfig {
  format: 'videophone-terminal-config';
  formatVersion: 1;
  unit: { id: string; serial: string | null; mac: string };
  account: {
    number: string;
    /** The address-of-record, sip:<number>@<domain>. */
    identity: string;
    domain: string;
    realm: string;
    /** The device's own digest username (`<number>-<8 hex>`) and password. */
    authorizationUsername: string;
    password: string;
  };
  /** Where to register and send requests, in order of preference: TLS first. */
  servers: { transport: SipTransport; host: string; port: number; uri: string }[];
  registration: { expiresSeconds: number };
  codecs: { audio: string[]; video: string[] };
  firmware: { channel: 'terminal'; version: string | null; url: string | null; releaseId: string | null };
  /** How often the unit should fetch this again. */
  refreshSeconds: number;
}

export type SipTransport = 'tls' | 'tcp' | 'udp';

export interface SipEndpoint {
  host: string;
  udpPort: number;
  tcpPort: number;
  /** Null when the service runs no SIP over TLS. */
  tlsPort: number | null;
}

export const AUDIO_CODECS = ['opus', 'PCMU', 'PCMA'] as const;
export const VIDEO_CODECS = ['VP8', 'H264'] as const;

export function buildTerminalConfig(input: {
  unit: { id: string; serial: string | null; mac: string };
  number: string;
  domain: string;
  authorizationUsername: string;
  password: string;
  endpoint: SipEndpoint;
  firmware: { version: string; url: string | null; releaseId: string } | null;
}): TerminalConfig {
  const { endpoint } = input;
  const servers: TerminalConfig['servers'] = [];
  const add = (transport: SipTransport, port: number) =>
    servers.push({ transport, host: endpoint.host, port, uri: `sip:${endpoint.host}:${port};transport=${transport}` });
  if (endpoint.tlsPort !== null) add('tls', endpoint.tlsPort);
  add('tcp', endpoint.tcpPort);
  add('udp', endpoint.udpPort);
  return {
    format: 'videophone-terminal-config',
    formatVersion: 1,
    unit: input.unit,
    account: {
      number: input.number,
      identity: `sip:${input.number}@${input.domain}`,
      domain: input.domain,
      realm: input.domain,
      authorizationUsername: input.authorizationUsername,
      password: input.password,
    },
    servers,
    registration: { expiresSeconds: 600 },
    codecs: { audio: [...AUDIO_CODECS], video: [...VIDEO_CODECS] },
    firmware: {
      channel: 'terminal',
      version: input.firmware?.version ?? null,
      url: input.firmware?.url ?? null,
      releaseId: input.firmware?.releaseId ?? null,
    },
    refreshSeconds: 86_400,
  };
}

const CODEC_RATES: Record<string, { rate: number; channels: number }> = {
  opus: { rate: 48_000, channels: 2 },
  PCMU: { rate: 8000, channels: 1 },
  PCMA: { rate: 8000, channels: 1 },
  VP8: { rate: 90_000, channels: 1 },
  H264: { rate: 90_000, channels: 1 },
};

/**
 * Linphone's remote provisioning document: the lpconfig XML (namespace
 * http://www.linphone.org/xsds/lpconfig.xsd), one <section> per linphonerc section, each <entry>
 * with overwrite="true" so the operator's values replace what the unit had. liblinphone fetches it
 * from `[misc] config-uri` at start and writes it into its configuration.
 * - proxy_0: the preferred server as registrar and outbound route (RFC 3261 §8.1.2), the identity.
 * - auth_info_0: `username` is the identity's user, `userid` the device's digest username.
 * - audio_codec_N / video_codec_N: the codecs in order of preference.
 * - videophone: the firmware channel and the version the unit should run (Linphone ignores it).
 */
export function renderLinphoneXml(config: TerminalConfig): string {
  const server = config.servers[0]!;
  const sections: [string, [string, string | number][]][] = [
    ['sip', [['default_proxy', 0]]],
    [
      'proxy_0',
      [
        ['reg_proxy', `<${server.uri}>`],
        ['reg_route', `<${server.uri};lr>`],
        ['reg_identity', config.account.identity],
        ['realm', config.account.realm],
        ['reg_expires', config.registration.expiresSeconds],
        ['reg_sendregister', 1],
      ],
    ],
    [
      'auth_info_0',
      [
        ['username', config.account.number],
        ['userid', config.account.authorizationUsername],
        ['passwd', config.account.password],
        ['realm', config.account.realm],
        ['domain', config.account.domain],
      ],
    ],
    ...config.codecs.audio.map((mime, i): [string, [string, string | number][]] => [
      `audio_codec_${i}`,
      [
        ['mime', mime],
        ['rate', CODEC_RATES[mime]?.rate ?? 8000],
        ['channels', CODEC_RATES[mime]?.channels ?? 1],
        ['enabled', 1],
      ],
    ]),
    ...config.codecs.video.map((mime, i): [string, [string, string | number][]] => [
      `video_codec_${i}`,
      [
        ['mime', mime],
        ['rate', CODEC_RATES[mime]?.rate ?? 90_000],
        ['enabled', 1],
      ],
    ]),
    [
      'videophone',
      [
        ['unit_id', config.unit.id],
        ['firmware_channel', config.firmware.channel],
        ['firmware_version', config.firmware.version ?? ''],
        ['firmware_url', config.firmware.url ?? ''],
        ['refresh_seconds', config.refreshSeconds],
      ],
    ],
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<config xmlns="http://www.linphone.org/xsds/lpconfig.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.linphone.org/xsds/lpconfig.xsd lpconfig.xsd">',
  ];
  for (const [name, entries] of sections) {
    lines.push(`  <section name="${escapeXml(name)}">`);
    for (const [key, value] of entries)
      lines.push(`    <entry name="${escapeXml(key)}" overwrite="true">${escapeXml(String(value))}</entry>`);
    lines.push('  </section>');
  }
  lines.push('</config>', '');
  return lines.join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A MAC in any common spelling (00:1A:2b-..., 001a.2b..) as twelve lowercase hex digits, or null. */
export function normalizeMac(text: string): string | null {
  const hex = text.toLowerCase().replace(/[:.-]/g, '');
  return /^[0-9a-f]{12}$/.test(hex) ? hex : null;
}
