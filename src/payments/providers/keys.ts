import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../platform/config/index.js';

/**
 * Key files named by the configuration, read once at start. A file that is missing or does not hold
 * the expected key stops the process with the variable's name, like any other configuration fault.
 */
export function readPrivateKey(file: string, variable: string): KeyObject {
  const text = readText(file, variable);
  return parseKey(variable, () => createPrivateKey(pemOrBareBase64(text, 'PRIVATE KEY')), 'private');
}

/** A public key in PEM (SPKI or PKCS#1), an X.509 certificate in PEM, or bare base64 SPKI (Alipay's key tool). */
export function readPublicKey(file: string, variable: string): KeyObject {
  const text = readText(file, variable);
  return parseKey(variable, () => createPublicKey(pemOrBareBase64(text, 'PUBLIC KEY')), 'public');
}

/** WeChat Pay's APIv3 key: 32 ASCII characters, used as the AES-256 key as they are. */
export function readApiV3Key(file: string, variable: string): Buffer {
  const key = Buffer.from(readText(file, variable).trim(), 'utf8');
  if (key.length !== 32)
    throw new ConfigError([{ variable, message: `${file} must hold the 32-character APIv3 key (has ${key.length} bytes)` }]);
  return key;
}

function readText(file: string, variable: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ variable, message: `cannot read ${file}: ${(error as Error).message}` }]);
  }
}

/** Alipay's key tool writes the key as one line of base64 without PEM armour. */
function pemOrBareBase64(text: string, label: 'PRIVATE KEY' | 'PUBLIC KEY'): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return trimmed;
  const body = trimmed.replace(/\s+/g, '');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function parseKey(variable: string, parse: () => KeyObject, kind: 'private' | 'public'): KeyObject {
  let key: KeyObject;
  try {
    key = parse();
  } catch (error) {
    throw new ConfigError([{ variable, message: `not an RSA ${kind} key: ${(error as Error).message}` }]);
  }
  if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new ConfigError([{ variable, message: `must be an RSA key of at least 2048 bits (RSA2 / SHA256-RSA2048)` }]);
  }
  return key;
}
