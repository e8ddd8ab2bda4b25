import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFieldCipher, loadOrCreateLocalKeyring, parseKeyring } from '../../src/platform/crypto/field-cipher.js';

const key = () => randomBytes(32).toString('base64');

describe('field encryption', () => {
  const cipher = createFieldCipher(parseKeyring(`k1:${key()}`));

  it('seals a value so the sealed form does not contain it, and opens it again', () => {
    const sealed = cipher.seal('110101199003074477', 'subscribers.id_number:42');
    expect(sealed).toMatch(/^v1\.k1\./);
    expect(sealed).not.toContain('110101199003074477');
    expect(cipher.open(sealed, 'subscribers.id_number:42')).toBe('110101199003074477');
    expect(cipher.seal('same', 'c')).not.toBe(cipher.seal('same', 'c'));
  });

  it('refuses a value with one changed byte', () => {
    const sealed = cipher.seal('secret', 'ctx');
    const body = Buffer.from(sealed.split('.')[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    const tampered = [...sealed.split('.').slice(0, 3), body.toString('base64url')].join('.');
    expect(() => cipher.open(tampered, 'ctx')).toThrow();
  });

  it('refuses a value moved to another row or column', () => {
    const sealed = cipher.seal('secret', 'staff:1');
    expect(() => cipher.open(sealed, 'staff:2')).toThrow();
  });

  it('rotates keys: new values use the first key, old ones still open', () => {
    const oldKey = key();
    const before = createFieldCipher(parseKeyring(`old:${oldKey}`)).seal('kept', 'c');
    const rotated = createFieldCipher(parseKeyring(`new:${key()},old:${oldKey}`));
    expect(rotated.open(before, 'c')).toBe('kept');
    expect(rotated.seal('fresh', 'c')).toMatch(/^v1\.new\./);
    expect(() => createFieldCipher(parseKeyring(`other:${key()}`)).open(before, 'c')).toThrow(/unknown data key old/);
  });

  it('keeps blind indexes across a rotation: a new key put first changes no index, a different keyring does', () => {
    const oldKey = key();
    const before = createFieldCipher(parseKeyring(`old:${oldKey}`)).blindIndex('+8613800138000', 'portal-login');
    const rotated = createFieldCipher(parseKeyring(`new:${key()},old:${oldKey}`));
    expect(rotated.blindIndex('+8613800138000', 'portal-login')).toBe(before);
    expect(rotated.blindIndex('+8613800138001', 'portal-login')).not.toBe(before);
    expect(createFieldCipher(parseKeyring(`other:${key()}`)).blindIndex('+8613800138000', 'portal-login')).not.toBe(before);
  });

  it('seals binary content byte for byte, bound to its context like text', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0x80]);
    const sealed = cipher.sealBytes(bytes, 'subscriber_documents:1');
    expect(sealed).toMatch(/^v1\.k1\./);
    expect(cipher.openBytes(sealed, 'subscriber_documents:1').equals(bytes)).toBe(true);
    expect(() => cipher.openBytes(sealed, 'subscriber_documents:2')).toThrow();
  });

  it('refuses malformed key specifications', () => {
    expect(() => parseKeyring('k1:' + randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
    expect(() => parseKeyring(`a:${key()},a:${key()}`)).toThrow(/twice/);
  });

  it('generates a local key once, readable only by its owner, and reuses it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vp-keys-'));
    const first = loadOrCreateLocalKeyring(dir);
    const second = loadOrCreateLocalKeyring(dir);
    expect([...second.entries()]).toEqual([...first.entries()]);
    expect(statSync(path.join(dir, 'secrets', 'data-keys')).mode & 0o777).toBe(0o600);
  });
});
