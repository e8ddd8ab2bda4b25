import type { ClientKind } from './tables.js';

/**
 * How each kind of client names itself in User-Agent (RFC 3261 §20.41; HTTP's is the same shape,
 * RFC 9110 §10.1.5): product "/" version first. The version is dotted numbers, compared number by number.
 *
 * | kind     | User-Agent example                       |
 * |----------|------------------------------------------|
 * | web      | `Videophone-Web/0.2.0`                   |
 * | terminal | `Videophone-Terminal/1.4.2 (VP-100)`     |
 * | linphone | `Linphonec/5.1.65`, `LinphoneAndroid/5.2` |
 * | baresip  | `baresip v3.10.1 (x86_64/linux)`         |
 */
export const CLIENT_PATTERNS: readonly { kind: ClientKind; pattern: RegExp }[] = [
  { kind: 'web', pattern: /^Videophone-Web\/(\d+(?:\.\d+){0,3})\b/ },
  { kind: 'terminal', pattern: /^Videophone-Terminal\/(\d+(?:\.\d+){0,3})\b/ },
  { kind: 'linphone', pattern: /^Linphone[A-Za-z-]*\/(\d+(?:\.\d+){0,3})\b/ },
  { kind: 'baresip', pattern: /^baresip v?(\d+(?:\.\d+){0,3})\b/ },
];

export interface ClientVersion {
  kind: ClientKind;
  version: string;
}

/** The client kind and version a User-Agent names, or null for a client we do not know. */
export function parseClientVersion(userAgent: string | null | undefined): ClientVersion | null {
  if (!userAgent) return null;
  const text = userAgent.trim();
  for (const { kind, pattern } of CLIENT_PATTERNS) {
    const match = pattern.exec(text);
    if (match?.[1]) return { kind, version: match[1] };
  }
  return null;
}

export function isVersion(value: string): boolean {
  return /^\d+(?:\.\d+){0,3}$/.test(value);
}

/** Negative, zero or positive as `a` is below, equal to or above `b`; missing parts count as 0 (1.2 = 1.2.0). */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}
