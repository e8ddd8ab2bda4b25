import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Field-level encryption at rest: AES-256-GCM with a 96-bit random nonce per value, and the key's
 * identifier stored with the value so keys can rotate (old values stay readable, new ones use the
 * active key). Sealed form: `v1.<kid>.<nonce>.<ciphertext+tag>` (base64url parts).
 * `context` is bound as additional authenticated data, so a value copied into another row or column
 * does not decrypt.
 */
export interface FieldCipher {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
  /**
   * A keyed hash (HMAC-SHA256) for finding equal values, e.g. an ID number already on file or a
   * portal login, without storing or revealing them. Its key is derived from the *last* key of the
   * keyring (the oldest), so rotating the encryption key by putting a new one first changes nothing
   * that was indexed: sign-ins and duplicate checks keep working. Retiring that last key changes
   * every index, and stored indexes must then be recomputed.
   */
  blindIndex(value: string, context: string): string;
  readonly activeKeyId: string;
  /** `seal` for binary content (uploaded documents): the same sealed form, without a text encoding in between. */
  sealBytes(plaintext: Uint8Array, context: string): string;
  openBytes(sealed: string, context: string): Buffer;
}

const VERSION = 'v1';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function parseKeyring(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const entry of spec.split(',')) {
    const [kid, encoded] = entry.split(':');
    if (!kid || !encoded) throw new Error('DATA_KEYS entries must be kid:base64key');
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`DATA_KEYS key ${kid} must be ${KEY_BYTES} bytes, got ${key.length}`);
    if (keys.has(kid)) throw new Error(`DATA_KEYS names key ${kid} twice`);
    keys.set(kid, key);
  }
  return keys;
}

export function createFieldCipher(keyring: Map<string, Buffer>): FieldCipher {
  const first = keyring.entries().next();
  if (first.done) throw new Error('the keyring is empty');
  const [activeKeyId, activeKey] = first.value;
  const indexSource = [...keyring.values()].at(-1)!;
  const indexKey = Buffer.from(hkdfSync('sha256', indexSource, Buffer.alloc(0), 'videophone blind index', 32));
  return {
    activeKeyId,
    blindIndex(value, context) {
      return createHmac('sha256', indexKey).update(`${context}\u0000${value}`, 'utf8').digest('base64url');
    },
    seal(plaintext, context) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', activeKey, nonce);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return [VERSION, activeKeyId, nonce.toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed, context) {
      const [version, kid, nonceText, bodyText] = sealed.split('.');
      if (version !== VERSION || !kid || !nonceText || !bodyText) throw new Error('not a sealed value');
      const key = keyring.get(kid);
      if (!key) throw new Error(`unknown data key ${kid}`);
      const body = Buffer.from(bodyText, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonceText, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    },
    sealBytes(plaintext, context) {
      return sealBuffer(activeKeyId, activeKey, plaintext, context);
    },
    openBytes(sealed, context) {
      return openBuffer(keyring, sealed, context);
    },
  };
}

function sealBuffer(kid: string, key: Buffer, plaintext: Uint8Array, context: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, kid, nonce.toString('base64url'), body.toString('base64url')].join('.');
}

function openBuffer(keyring: Map<string, Buffer>, sealed: string, context: string): Buffer {
  const [version, kid, nonceText, bodyText] = sealed.split('.');
  if (version !== VERSION || !kid || !nonceText || !bodyText) throw new Error('not a sealed value');
  const key = keyring.get(kid);
  if (!key) throw new Error(`unknown data key ${kid}`);
  const body = Buffer.from(bodyText, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonceText, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
}

/**
 * The embedded default keeps a generated key beside its data (mode 0600) so `npm start` needs no
 * setup. Production sets DATA_KEYS from a secret store instead; a key that lives with the data it
 * protects only guards against leaked database dumps, not a stolen disk.
 */
export function loadOrCreateLocalKeyring(dataDir: string): Map<string, Buffer> {
  const file = path.join(dataDir, 'secrets', 'data-keys');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const kid = 'local-' + new Date().toISOString().slice(0, 10).replaceAll('-', '');
    writeFileSync(file, `${kid}:${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return parseKeyring(readFileSync(file, 'utf8').trim());
}
