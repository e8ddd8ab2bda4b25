import { isIPv6 } from 'node:net';

/**
 * The parts of the RFC 3261 §25 grammar that the layers above need: URIs, name-addr, Via, CSeq,
 * generic parameters and digest credentials. Each parser throws SipSyntaxError with a short reason
 * that can be used as a 400 reason phrase.
 */
export class SipSyntaxError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SipSyntaxError';
  }
}

export type Params = Map<string, string | null>;

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

/**
 * §25.1 LWS is spaces and tabs only (line folds are undone before values get here). String#trim
 * would also strip Unicode spaces such as U+FEFF and U+00A0, which are data in UTF-8 text.
 */
export function trimLws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text.charCodeAt(start) === 0x20 || text.charCodeAt(start) === 0x09)) start += 1;
  while (end > start && (text.charCodeAt(end - 1) === 0x20 || text.charCodeAt(end - 1) === 0x09)) end -= 1;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Index just past the quoted-string that opens at `open`, or -1 when it is unterminated (§25.1). */
function endOfQuoted(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}

/** Splits on `separator` outside quoted strings and angle brackets (§7.3.1 list headers, params). */
export function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '\\') i += 1;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === '<') depth += 1;
    else if (char === '>') depth = Math.max(0, depth - 1);
    else if (char === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) throw new SipSyntaxError('Unterminated quoted string');
  parts.push(text.slice(start));
  return parts;
}

/** §25.1 quoted-string: removes the quotes and quoted-pair escapes. */
export function unquote(text: string): string {
  const trimmed = trimLws(text);
  if (!trimmed.startsWith('"')) return trimmed;
  const end = endOfQuoted(trimmed, 0);
  if (end < 0) throw new SipSyntaxError('Unterminated quoted string');
  if (end !== trimmed.length) throw new SipSyntaxError('Text after quoted string');
  return trimmed.slice(1, -1).replace(/\\([\s\S])/g, '$1');
}

export function quote(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => '\\' + c)}"`;
}

/** `;name=value;flag` → Map (names lower-cased: parameter names are case-insensitive, §7.3.1). */
export function parseParams(text: string): Params {
  const params: Params = new Map();
  readParams(text, params);
  return params;
}

/**
 * Checks `;name=value;flag` as parseParams reads it, putting each parameter into `params` when one
 * is given. Without one nothing is kept: the parser's checks of every header (validateCommon) then
 * allocate no Map for values nobody reads. Returns whether a `branch` flag came without a value.
 */
function readParams(text: string, params: Params | null): { valuelessBranch: boolean } {
  let valuelessBranch = false;
  const trimmed = trimLws(text);
  if (trimmed === '') return { valuelessBranch };
  // §25.1: every parameter is introduced by SEMI; text before the first one is not a parameter
  // (it would turn `<sip:a@b>junk;tag=1` into a parameter named "junk").
  if (!trimmed.startsWith(';')) throw new SipSyntaxError('Expected ";" before parameters');
  // Without quotes or brackets there is nothing to split outside of: a plain split says the same.
  const pieces = trimmed.includes('"') || trimmed.includes('<') ? splitOutside(trimmed, ';') : trimmed.split(';');
  for (let index = 1; index < pieces.length; index += 1) {
    const raw = pieces[index]!;
    const piece = trimLws(raw);
    // RFC 4475 §3.1.2.1 (badinv01): `;;` is an empty parameter, not a parameter to skip.
    if (piece === '') throw new SipSyntaxError('Empty parameter');
    const eq = piece.indexOf('=');
    const name = trimLws(eq < 0 ? piece : piece.slice(0, eq)).toLowerCase();
    if (!isToken(name)) throw new SipSyntaxError(`Bad parameter name ${JSON.stringify(name.slice(0, 32))}`);
    const value = eq < 0 ? null : trimLws(piece.slice(eq + 1));
    // §25.1 gen-value is a token, host or quoted-string: never empty.
    if (value === '') throw new SipSyntaxError(`Empty value for parameter ${JSON.stringify(name.slice(0, 32))}`);
    if (params) params.set(name, value);
    if (name === 'branch') valuelessBranch = value === null;
  }
  return { valuelessBranch };
}

export function formatParams(params: ReadonlyMap<string, string | null>): string {
  let text = '';
  for (const [name, value] of params) text += value === null ? `;${name}` : `;${name}=${value}`;
  return text;
}

// ---------------------------------------------------------------------------------------------
// URIs (§19.1.1)

export interface SipUri {
  scheme: 'sip' | 'sips';
  /** Unescaped user part (§19.1.2: escapes are decoded for comparison and lookup). */
  user: string | null;
  password: string | null;
  /** Lower-cased host; IPv6 references keep their brackets. */
  host: string;
  port: number | null;
  params: Params;
  headers: Map<string, string>;
}

const HOSTNAME = /^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?\.?$/;
const IPV6_REFERENCE = /^\[[0-9A-Fa-f:.]+\]$/;
const USER_CHARS = /^([A-Za-z0-9\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2})+$/;
const PARAM_CHARS = /^([A-Za-z0-9\-_.!~*'()[\]/:&+$]|%[0-9A-Fa-f]{2})+$/;
const URI_CHARS = /^[A-Za-z0-9\-_.!~*'()%;/?:@&=+$,[\]]+$/;

export function uriScheme(text: string): string | null {
  // The schemes nearly every URI here has, written as most peers write them.
  if (text.startsWith('sip:')) return 'sip';
  if (text.startsWith('sips:')) return 'sips';
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(trimLws(text));
  return match ? match[1]!.toLowerCase() : null;
}

export function parseUri(text: string): SipUri {
  return readUri(text, true);
}

/** Throws what parseUri would for `text`, without building the URI (the parser's header checks). */
export function checkUri(text: string): void {
  readUri(text, false);
}

function readUri(text: string, build: true): SipUri;
function readUri(text: string, build: false): null;
function readUri(text: string, build: boolean): SipUri | null {
  const trimmed = trimLws(text);
  const scheme = uriScheme(trimmed);
  if (scheme !== 'sip' && scheme !== 'sips') throw new SipSyntaxError(`Unsupported URI scheme ${scheme ?? '(none)'}`);
  // §19.1.1, §25.1: a SIP URI is ASCII from the reserved, unreserved and escaped sets (and the
  // brackets of an IPv6 reference); anything else must arrive escaped.
  if (!URI_CHARS.test(trimmed)) throw new SipSyntaxError('Illegal character in URI');
  let rest = trimmed.slice(scheme.length + 1);

  // §19.1.1: the user part may contain ';', '?' and '/' (user-unreserved) but never an unescaped
  // '@', and neither parameters nor headers may contain '@'; so the last '@' ends the userinfo.
  let user: string | null = null;
  let password: string | null = null;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userinfo.indexOf(':');
    const userText = colon < 0 ? userinfo : userinfo.slice(0, colon);
    if (userText === '' || !USER_CHARS.test(userText)) throw new SipSyntaxError('Bad user part in URI');
    user = decode(userText);
    password = colon < 0 ? null : decode(userinfo.slice(colon + 1));
  }

  let headers: Map<string, string> | null = null;
  const question = rest.indexOf('?');
  if (question >= 0) {
    const pairs = rest
      .slice(question + 1)
      .split('&')
      .filter(Boolean)
      .map((pair): [string, string] => {
        const eq = pair.indexOf('=');
        return eq < 0 ? [decode(pair), ''] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
      });
    if (build) headers = new Map(pairs);
    rest = rest.slice(0, question);
  }

  const semicolon = rest.indexOf(';');
  const hostport = semicolon < 0 ? rest : rest.slice(0, semicolon);
  const params = build ? new Map<string, string | null>() : null;
  if (semicolon >= 0) readUriParams(rest.slice(semicolon + 1), params);
  const { host, port } = parseHostPort(hostport);
  if (!build) return null;
  return { scheme, user, password, host, port, params: params!, headers: headers ?? new Map() };
}

/**
 * §19.1.1 uri-parameters. Names and values are unescaped (§19.1.4 compares them unescaped, so
 * `;%6C%72` is `;lr`, RFC 4475 §3.1.1.3) and names lower-cased; kept in `params` when one is given.
 */
function readUriParams(text: string, params: Params | null): void {
  for (const piece of text.split(';')) {
    const eq = piece.indexOf('=');
    const name = eq < 0 ? piece : piece.slice(0, eq);
    const value = eq < 0 ? null : piece.slice(eq + 1);
    if (!PARAM_CHARS.test(name) || (value !== null && !PARAM_CHARS.test(value))) throw new SipSyntaxError('Bad URI parameter');
    const decodedName = decode(name);
    const decodedValue = value === null ? null : decode(value);
    if (params) params.set(decodedName.toLowerCase(), decodedValue);
  }
}

export function parseHostPort(text: string): { host: string; port: number | null } {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) throw new SipSyntaxError('Unterminated IPv6 reference');
    host = text.slice(0, close + 1);
    const after = text.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) throw new SipSyntaxError('Bad host');
    portText = after === '' ? undefined : after.slice(1);
    if (!isIpv6Reference(host)) throw new SipSyntaxError('Bad IPv6 reference');
  } else {
    // RFC 5118 §4.2: an IPv6 address must be written as a reference, in brackets.
    const colon = text.indexOf(':');
    if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) throw new SipSyntaxError('IPv6 address must be enclosed in []');
    host = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
    const fault = hostnameOrIpv4Fault(host);
    if (fault !== null) throw new SipSyntaxError(fault);
  }
  let port: number | null = null;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || !isPortNumber(portText)) throw new SipSyntaxError('Bad port');
    port = Number(portText);
  }
  return { host: host.toLowerCase(), port };
}

/** §25.1 hostname / IPv4address: what is wrong with `host`, or null. Shared by parseHostPort and the one-pass readings. */
function hostnameOrIpv4Fault(host: string): 'Bad host' | 'Bad IPv4 address' | null {
  const ipv4 = dottedQuad(host);
  if (ipv4 === 'out of range') return 'Bad IPv4 address';
  return ipv4 === 'not' && !HOSTNAME.test(host) ? 'Bad host' : null;
}

/** One to five digits (checked by the caller) within a port's range. */
function isPortNumber(digits: string): boolean {
  return Number(digits) <= 65535;
}

/**
 * §25.1 IPv4address (`1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT`), read in one pass: "not"
 * when the text is not four dotted groups of one to three digits, "out of range" when it is but a
 * group is over 255. A hostname's last label starts with a letter, so the two never overlap.
 */
function dottedQuad(text: string): 'address' | 'out of range' | 'not' {
  let dots = 0;
  let digits = 0;
  let value = 0;
  let inRange = true;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) {
      digits += 1;
      if (digits > 3) return 'not';
      value = value * 10 + (code - 0x30);
    } else if (code === 0x2e) {
      if (digits === 0 || dots === 3) return 'not';
      if (value > 255) inRange = false;
      dots += 1;
      digits = 0;
      value = 0;
    } else return 'not';
  }
  if (digits === 0 || dots !== 3) return 'not';
  if (value > 255) inRange = false;
  return inRange ? 'address' : 'out of range';
}

/**
 * §25.1 IPv6reference, with the address checked against RFC 4291. RFC 5118 §4.10: RFC 3261's
 * ABNF also admits a third colon before an embedded IPv4 address (`2001:db8:::192.0.2.1`), and
 * receivers must tolerate it; the text is kept as sent.
 */
export function isIpv6Reference(text: string): boolean {
  if (!IPV6_REFERENCE.test(text)) return false;
  return isIPv6(text.slice(1, -1).replace(/:::(?=\d{1,3}\.)/, '::'));
}

function decode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new SipSyntaxError('Bad escape in URI');
  }
}

/** Characters of a user part that must be escaped when written (§19.1.1). */
function encodeUser(user: string): string {
  return user.replace(/[^A-Za-z0-9\-_.!~*'()&=+$,;?/]/gu, escapeOctets);
}

/** §19.1.1 paramchar: what a uri-parameter may carry unescaped. */
function encodeParamPart(text: string): string {
  return text.replace(/[^A-Za-z0-9\-_.!~*'()[\]/:&+$]/gu, escapeOctets);
}

function escapeOctets(char: string): string {
  return Array.from(Buffer.from(char, 'utf8'), (byte) => '%' + byte.toString(16).toUpperCase().padStart(2, '0')).join('');
}

export function formatUri(uri: SipUri): string {
  let text = `${uri.scheme}:`;
  if (uri.user !== null) text += encodeUser(uri.user) + (uri.password !== null ? `:${encodeUser(uri.password)}` : '') + '@';
  text += uri.host + (uri.port !== null ? `:${uri.port}` : '');
  for (const [name, value] of uri.params) text += `;${encodeParamPart(name)}` + (value === null ? '' : `=${encodeParamPart(value)}`);
  if (uri.headers.size > 0) {
    text += '?' + [...uri.headers].map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// name-addr / addr-spec (§20.10, §25.1): From, To, Contact, Route, Record-Route

export interface NameAddr {
  displayName: string | null;
  /** The URI text; `parseUri(addr.uri)` reads it when its scheme is sip or sips. */
  uri: string;
  /** Header parameters (tag, expires, q, +sip.instance, reg-id, lr is a URI parameter). */
  params: Params;
}

export function parseNameAddr(text: string): NameAddr {
  return readNameAddr(text, true);
}

/**
 * Throws what parseNameAddr would for `text` and returns its URI text, without building the
 * display name or the parameters (the parser's header checks).
 */
export function checkNameAddr(text: string): string {
  return readNameAddr(text, false);
}

function readNameAddr(text: string, build: true): NameAddr;
function readNameAddr(text: string, build: false): string;
function readNameAddr(text: string, build: boolean): NameAddr | string {
  const trimmed = trimLws(text);
  if (trimmed === '') throw new SipSyntaxError('Empty address');
  // RFC 4475 §3.1.2.6: an unterminated quoted display name swallows the address after it.
  if (trimmed.startsWith('"') && endOfQuoted(trimmed, 0) < 0) throw new SipSyntaxError('Unterminated quoted string in display name');
  const open = indexOutsideQuotes(trimmed, '<');
  if (open >= 0) {
    const close = trimmed.indexOf('>', open);
    if (close < 0) throw new SipSyntaxError('Unterminated <address>');
    const display = trimLws(trimmed.slice(0, open));
    // §25.1 display-name = *(token LWS) / quoted-string; RFC 4475 §3.1.2.15 (an unquoted comma).
    if (display !== '' && !display.startsWith('"') && !display.split(/[ \t]+/).every(isToken)) {
      throw new SipSyntaxError('Non-token characters in display name');
    }
    const uri = trimmed.slice(open + 1, close);
    // §25.1 LAQUOT and RAQUOT absorb the whitespace around the brackets, none inside them
    // (RFC 4475 §3.1.2.14).
    if (uri === '') throw new SipSyntaxError('Empty address');
    if (/[ \t]/.test(uri)) throw new SipSyntaxError('Spaces within addr-spec');
    const displayName = display === '' ? null : unquote(display);
    if (!build) {
      readParams(trimmed.slice(close + 1), null);
      return uri;
    }
    return { displayName, uri, params: parseParams(trimmed.slice(close + 1)) };
  }
  // §20.10: without angle brackets, everything after the first ';' is a header parameter, and
  // a URI containing ',', '?' or ';' must be enclosed in <> (RFC 4475 §3.1.2.13).
  const semicolon = trimmed.indexOf(';');
  // SEMI = SWS ";" SWS: whitespace before the first ';' is not part of the URI (RFC 4475 §3.1.1.1).
  const uri = semicolon < 0 ? trimmed : trimLws(trimmed.slice(0, semicolon));
  if (/[ \t"]/.test(uri)) throw new SipSyntaxError('Bad address');
  if (/[,?]/.test(uri)) throw new SipSyntaxError('A URI with headers must be enclosed in <>');
  if (!build) {
    if (semicolon >= 0) readParams(trimmed.slice(semicolon), null);
    return uri;
  }
  return { displayName: null, uri, params: semicolon < 0 ? new Map() : parseParams(trimmed.slice(semicolon)) };
}

/** A table of the ASCII characters in `chars`, plus letters and digits, for one lookup per character. */
function asciiClass(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code += 1) if (/[A-Za-z0-9]/.test(String.fromCharCode(code))) table[code] = 1;
  for (const char of chars) table[char.charCodeAt(0)] = 1;
  return table;
}

// The plain subsets of §25.1 that isPlainSipNameAddr recognises. Each leaves out what would need a
// closer look (escapes, and the characters that end one part and begin another in the full grammar):
// user-unreserved without ";", "?" and "/"; paramchar without escapes; a token.
const PLAIN_USER = asciiClass("-_.!~*'()&=+$,");
const PLAIN_HOST = asciiClass('-.');
const PLAIN_URI_PARAM = asciiClass("-_.!~*'()[]/:&+$");
const TOKEN_CHAR = asciiClass("-.!%*_+`'~");
const DIGIT = asciiClass('').map((_, code) => (code >= 0x30 && code <= 0x39 ? 1 : 0));

function inClass(table: Uint8Array, code: number): boolean {
  return code < 128 && table[code] === 1;
}

/** Index of the first character from `from` not in `table`. */
function endOfRun(text: string, from: number, table: Uint8Array): number {
  let index = from;
  while (index < text.length && inClass(table, text.charCodeAt(index))) index += 1;
  return index;
}

/**
 * Whether `text` is a name-addr of the shape nearly every peer writes, `<sip:user@host:port;uri-params>;params`
 * (sips too), with no display name, whitespace, escapes, quotes or URI headers, read in one pass over
 * its characters. True only for text that checkNameAddr and checkUri both accept (a test holds the
 * two to that); false means "not this shape", and the full grammar decides. The parser checks every
 * From, To, Contact, Route and Record-Route of every message, and the full grammar's splitting,
 * slicing and expressions cost it more than parsing the rest of the message (issue #17, capacity).
 */
export function isPlainSipNameAddr(text: string): boolean {
  let index: number;
  if (text.startsWith('<sip:')) index = 5;
  else if (text.startsWith('<sips:')) index = 6;
  else return false;
  // userinfo (no password) and "@", or straight the host: a host's characters are all user characters.
  let hostStart = index;
  const run = endOfRun(text, index, PLAIN_USER);
  if (text.charCodeAt(run) === 0x40 /* @ */) {
    if (run === index) return false;
    hostStart = run + 1;
  }
  index = endOfPlainHostPort(text, hostStart);
  if (index < 0) return false;
  // uri-parameters: ";" name ["=" value], neither empty.
  while (text.charCodeAt(index) === 0x3b /* ; */) {
    const nameEnd = endOfRun(text, index + 1, PLAIN_URI_PARAM);
    if (nameEnd === index + 1) return false;
    index = nameEnd;
    if (text.charCodeAt(index) === 0x3d /* = */) {
      const valueEnd = endOfRun(text, index + 1, PLAIN_URI_PARAM);
      if (valueEnd === index + 1) return false;
      index = valueEnd;
    }
  }
  if (text.charCodeAt(index) !== 0x3e /* > */) return false;
  return endOfPlainParams(text, index + 1) === text.length;
}

/**
 * Where `;token[=token]` parameters starting at `from` end (§25.1 generic-param in its plain form:
 * neither part empty, no quotes, no whitespace), putting each into `params` when one is given; -1
 * when one of them is not plain. A `branch` without a value is not plain (readVia refuses it).
 */
function endOfPlainParams(text: string, from: number, params: Params | null = null): number {
  let index = from;
  while (index < text.length && text.charCodeAt(index) === 0x3b /* ; */) {
    const nameEnd = endOfRun(text, index + 1, TOKEN_CHAR);
    if (nameEnd === index + 1) return -1;
    if (text.charCodeAt(nameEnd) === 0x3d /* = */) {
      const valueEnd = endOfRun(text, nameEnd + 1, TOKEN_CHAR);
      if (valueEnd === nameEnd + 1) return -1;
      params?.set(text.slice(index + 1, nameEnd).toLowerCase(), text.slice(nameEnd + 1, valueEnd));
      index = valueEnd;
    } else {
      // Only a six-character name can be `branch`: no slice for the others unless a Map wants it.
      const name = params !== null || nameEnd - index - 1 === 6 ? text.slice(index + 1, nameEnd).toLowerCase() : '';
      if (name === 'branch') return -1;
      params?.set(name, null);
      index = nameEnd;
    }
  }
  return index;
}

/** Where a plain `host[:port]` starting at `from` ends (the non-bracketed form parseHostPort reads); -1 when it is not one. */
function endOfPlainHostPort(text: string, from: number): number {
  const hostEnd = endOfRun(text, from, PLAIN_HOST);
  if (hostnameOrIpv4Fault(text.slice(from, hostEnd)) !== null) return -1;
  if (text.charCodeAt(hostEnd) !== 0x3a /* : */) return hostEnd;
  const portEnd = endOfRun(text, hostEnd + 1, DIGIT);
  const digits = portEnd - hostEnd - 1;
  if (digits === 0 || digits > 5 || !isPortNumber(text.slice(hostEnd + 1, portEnd))) return -1;
  return portEnd;
}

function indexOutsideQuotes(text: string, char: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    if (quoted) {
      if (text[i] === '\\') i += 1;
      else if (text[i] === '"') quoted = false;
    } else if (text[i] === '"') quoted = true;
    else if (text[i] === char) return i;
  }
  return -1;
}

export function formatNameAddr(addr: NameAddr): string {
  const display = addr.displayName === null ? '' : `${quote(addr.displayName)} `;
  return `${display}<${addr.uri}>${formatParams(addr.params)}`;
}

// ---------------------------------------------------------------------------------------------
// Via (§20.42, §18.2.1 received/rport: RFC 3581)

export interface Via {
  /** Upper-cased transport: UDP, TCP, TLS, WS, WSS, SCTP. */
  transport: string;
  host: string;
  port: number | null;
  params: Params;
}

/**
 * What parseVia returns: the same object to every reader of the same text (see recentVias), so
 * nobody may change it; a proxy that stamps `received` builds a Via of its own.
 */
export type ParsedVia = Readonly<Omit<Via, 'params'>> & { readonly params: ReadonlyMap<string, string | null> };

/**
 * The Vias parsed last, by their text. One request's top Via is read five times on its way through
 * (the parser's check, the `received` stamp, the server transaction's key, the proxy's branch, the
 * 100 Trying's destination), and a response's twice; parsing each afresh was a twentieth of the
 * proxy's time (issue #17, capacity). The texts are those of the messages being handled now, so a
 * few entries, looked through in turn, hold them all.
 */
const RECENT_VIAS = 8;
const recentVias: { text: string; via: ParsedVia }[] = [];
let nextRecentVia = 0;

export function parseVia(text: string): ParsedVia {
  for (const recent of recentVias) if (recent.text === text) return recent.via;
  const via = readPlainVia(text, true) ?? readVia(text, true);
  recentVias[nextRecentVia] = { text, via };
  nextRecentVia = (nextRecentVia + 1) % RECENT_VIAS;
  return via;
}

/** Throws what parseVia would for `text`, without building the Via (the parser's header checks). */
export function checkVia(text: string): void {
  if (!isPlainVia(text)) readVia(text, false);
}

/**
 * Whether `text` is a Via of the shape every peer writes, `SIP/2.0/UDP host:port;branch=…;rport`,
 * with single spaces, no IPv6 reference and plain parameters, read in one pass over its characters.
 * True only for text readVia accepts (a test holds the two to that); false means "look closer".
 */
export function isPlainVia(text: string): boolean {
  return readPlainVia(text, false) !== null;
}

/** A plain Via (see isPlainVia) read in one pass, built as readVia would build it; null for any other. */
function readPlainVia(text: string, build: true): Via | null;
function readPlainVia(text: string, build: false): true | null;
function readPlainVia(text: string, build: boolean): Via | true | null {
  if (!text.startsWith('SIP/2.0/')) return null;
  const transportEnd = endOfRun(text, 8, TOKEN_CHAR);
  if (transportEnd === 8 || text.charCodeAt(transportEnd) !== 0x20 /* SP */) return null;
  const hostStart = transportEnd + 1;
  const hostPortEnd = endOfPlainHostPort(text, hostStart);
  if (hostPortEnd < 0) return null;
  const params = build ? new Map<string, string | null>() : null;
  if (endOfPlainParams(text, hostPortEnd, params) !== text.length) return null;
  if (!build) return true;
  const colon = text.indexOf(':', hostStart);
  const hasPort = colon >= 0 && colon < hostPortEnd;
  return {
    transport: text.slice(8, transportEnd).toUpperCase(),
    host: text.slice(hostStart, hasPort ? colon : hostPortEnd).toLowerCase(),
    port: hasPort ? Number(text.slice(colon + 1, hostPortEnd)) : null,
    params: params!,
  };
}

// §20.42, §25.1: LWS may surround the '/' and ':' separators (RFC 4475 §3.1.1.1).
const VIA = /^[ \t]*SIP[ \t]*\/[ \t]*2\.0[ \t]*\/[ \t]*([A-Za-z0-9\-.!%*_+`'~]+)[ \t]+([^; \t]+(?:[ \t]*:[ \t]*\d+)?)[ \t]*(;[\s\S]*)?$/i;

function readVia(text: string, build: true): Via;
function readVia(text: string, build: false): null;
function readVia(text: string, build: boolean): Via | null {
  const match = VIA.exec(text);
  if (!match) throw new SipSyntaxError('Bad Via');
  const { host, port } = parseHostPort(match[2]!.replace(/[ \t]+/g, ''));
  const params = build ? new Map<string, string | null>() : null;
  // A branch must carry a value (an empty one is already refused as an empty parameter value).
  if (readParams(match[3] ?? '', params).valuelessBranch) throw new SipSyntaxError('Bad Via branch');
  if (!build) return null;
  return { transport: match[1]!.toUpperCase(), host, port, params: params! };
}

export function formatVia(via: ParsedVia): string {
  return `SIP/2.0/${via.transport} ${via.host}${via.port !== null ? `:${via.port}` : ''}${formatParams(via.params)}`;
}

// ---------------------------------------------------------------------------------------------
// CSeq (§20.16), Max-Forwards (§20.22), Expires (§20.19)

export interface CSeq {
  seq: number;
  method: string;
}

export function parseCSeq(text: string): CSeq {
  const match = /^[ \t]*(\d{1,10})[ \t]+([A-Za-z0-9\-.!%*_+`'~]+)[ \t]*$/.exec(text);
  // §8.1.1.5: the sequence number is a 32-bit unsigned integer, less than 2**31.
  if (!match || Number(match[1]) >= 2 ** 31) throw new SipSyntaxError('Bad CSeq');
  return { seq: Number(match[1]), method: match[2]! };
}

/**
 * §8.2.2.3: the option tags among `required` (the values of a request's Require, or of its
 * Proxy-Require for a proxy, §16.3 step 6) that are not in `understood`, in their order and
 * spelling. A request naming any is answered 420 (Bad Extension) with these in Unsupported.
 * `understood` holds lower-case tags; a tag is matched without regard to case.
 */
export function unsupportedOptionTags(required: readonly string[], understood: ReadonlySet<string>): string[] {
  const unsupported: string[] = [];
  for (const value of required)
    for (const piece of value.split(',')) {
      const tag = trimLws(piece);
      if (tag !== '' && !understood.has(tag.toLowerCase()) && !unsupported.includes(tag)) unsupported.push(tag);
    }
  return unsupported;
}

/** A small non-negative integer header (Max-Forwards, Expires, Content-Length). */
export function parseSmallInteger(text: string, what: string, max = 2 ** 32 - 1): number {
  const trimmed = trimLws(text);
  if (!/^\d{1,10}$/.test(trimmed) || Number(trimmed) > max) throw new SipSyntaxError(`Bad ${what}`);
  return Number(trimmed);
}

// ---------------------------------------------------------------------------------------------
// Digest credentials and challenges (RFC 7616 §3.3, §3.4; RFC 3261 §20.7, §20.44)

export interface AuthValue {
  scheme: string;
  params: Map<string, string>;
}

export function parseAuthValue(text: string): AuthValue {
  const match = /^[ \t]*([A-Za-z0-9\-.!%*_+`'~]+)[ \t]+([\s\S]*)$/.exec(text);
  if (!match) throw new SipSyntaxError('Bad credentials');
  const params = new Map<string, string>();
  for (const piece of splitOutside(match[2]!, ',')) {
    if (trimLws(piece) === '') continue;
    const eq = piece.indexOf('=');
    if (eq < 0) throw new SipSyntaxError('Bad credentials parameter');
    const name = trimLws(piece.slice(0, eq)).toLowerCase();
    if (!isToken(name)) throw new SipSyntaxError('Bad credentials parameter');
    params.set(name, unquote(piece.slice(eq + 1)));
  }
  return { scheme: match[1]!, params };
}

// ---------------------------------------------------------------------------------------------
// Date (§20.17): an RFC 1123 date, always in GMT

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** §20.17, §25.1 SIP-date: `Sat, 13 Nov 2010 23:29:00 GMT`; another zone is invalid (RFC 4475 §3.1.2.12). */
export function parseSipDate(text: string): Date {
  const match = /^[ \t]*([A-Z][a-z]{2}), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT[ \t]*$/.exec(text);
  const month = match ? MONTHS.indexOf(match[3]!) : -1;
  if (!match || !WEEKDAYS.includes(match[1]!) || month < 0) throw new SipSyntaxError('Bad Date');
  const [day, year, hours, minutes, seconds] = [match[2], match[4], match[5], match[6], match[7]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month, day, hours, minutes, seconds));
  if (date.getUTCDate() !== day || hours > 23 || minutes > 59 || seconds > 60) throw new SipSyntaxError('Bad Date');
  return date;
}
