import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../platform/config/index.js';

/**
 * The operator's electronic seal (clause 17): an Ed25519 key. What it signs is a canonical JSON of
 * the signature record, which includes the SHA-256 of the exact text, so the seal covers the text.
 */
export interface OperatorSeal {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** `ed25519:` + the first 16 hex digits of the SHA-256 of the public key (SPKI DER). */
  keyId: string;
}

export function operatorSealFrom(privateKey: KeyObject): OperatorSeal {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the agreement seal must be an Ed25519 key');
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem, keyId: sealKeyId(publicKeyPem) };
}

export function sealKeyId(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return 'ed25519:' + createHash('sha256').update(der).digest('hex').slice(0, 16);
}

export function generateOperatorSeal(): OperatorSeal {
  return operatorSealFrom(generateKeyPairSync('ed25519').privateKey);
}

/**
 * The seal named by AGREEMENT_SEAL_FILE (the same on every node), or else, like the local data key,
 * a generated one kept beside the data (mode 0600) so `npm start` needs no setup; it is created once
 * and reused on every start.
 */
export function loadOrCreateOperatorSeal(dataDir: string, configuredFile?: string): OperatorSeal {
  if (configuredFile) return operatorSealFrom(readSealKey(configuredFile));
  const file = path.join(dataDir, 'secrets', 'agreement-seal.pem');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  }
  return operatorSealFrom(createPrivateKey(readFileSync(file, 'utf8')));
}

/**
 * The key AGREEMENT_SEAL_FILE names, read once at start; like the payment providers' key files, one
 * that is missing or not an Ed25519 private key stops the process naming the variable.
 */
function readSealKey(file: string): KeyObject {
  const variable = 'AGREEMENT_SEAL_FILE';
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a readable PEM private key';
    throw new ConfigError([{ variable, message: `${file}: ${reason}` }]);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new ConfigError([{ variable, message: `${file}: an Ed25519 key is needed, this is ${key.asymmetricKeyType ?? 'another kind'}` }]);
  return key;
}

/** The fields the seal covers. */
export interface SealedFields {
  subscriberId: string;
  version: number;
  language: string;
  textSha256: string;
  signedAt: string;
}

/** Keys sorted, no whitespace: the same fields always give the same bytes. */
export function canonicalJson(fields: SealedFields): string {
  const entries = Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function sealFields(seal: OperatorSeal, fields: SealedFields): string {
  return sign(null, Buffer.from(canonicalJson(fields), 'utf8'), seal.privateKey).toString('base64');
}

export function sealIsValid(publicKeyPem: string, keyId: string, fields: SealedFields, signatureBase64: string): boolean {
  try {
    if (sealKeyId(publicKeyPem) !== keyId) return false;
    return verify(null, Buffer.from(canonicalJson(fields), 'utf8'), createPublicKey(publicKeyPem), Buffer.from(signatureBase64, 'base64'));
  } catch {
    // A malformed key or signature is simply not a valid seal.
    return false;
  }
}
