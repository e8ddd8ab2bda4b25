/**
 * Bencode (BitTorrent BEP 3), the encoding of rtpengine's "ng" control protocol: byte strings
 * (`<length>:<bytes>`), integers (`i<n>e`), lists (`l…e`) and dictionaries (`d…e`, keys sorted).
 * Strings are UTF-8 here: every value rtpengine exchanges (SDP, tags, flags, reasons) is text.
 */
export type BencodeValue = string | number | BencodeValue[] | { [key: string]: BencodeValue };

export class BencodeError extends Error {
  override name = 'BencodeError';
}

export function encodeBencode(value: BencodeValue): Buffer {
  const parts: Buffer[] = [];
  const write = (item: BencodeValue): void => {
    if (typeof item === 'string') {
      const bytes = Buffer.from(item, 'utf8');
      parts.push(Buffer.from(`${bytes.length}:`), bytes);
    } else if (typeof item === 'number') {
      if (!Number.isSafeInteger(item)) throw new BencodeError(`bencode integers are whole numbers (got ${item})`);
      parts.push(Buffer.from(`i${item}e`));
    } else if (Array.isArray(item)) {
      parts.push(Buffer.from('l'));
      item.forEach(write);
      parts.push(Buffer.from('e'));
    } else {
      parts.push(Buffer.from('d'));
      // BEP 3: keys appear in sorted order, compared as raw byte strings.
      const keys = Object.keys(item)
        .filter((key) => item[key] !== undefined)
        .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      for (const key of keys) {
        write(key);
        write(item[key]!);
      }
      parts.push(Buffer.from('e'));
    }
  };
  write(value);
  return Buffer.concat(parts);
}

/** Decodes one value that must span the whole input; throws BencodeError on anything malformed. */
export function decodeBencode(input: Buffer): BencodeValue {
  let at = 0;
  const fail = (what: string): never => {
    throw new BencodeError(`${what} at byte ${at}`);
  };
  const digitsUntil = (end: number): number => {
    const stop = input.indexOf(end, at);
    if (stop < 0) fail('unterminated number');
    const text = input.subarray(at, stop).toString('latin1');
    if (!/^(0|-?[1-9]\d*)$/.test(text)) fail(`malformed number ${JSON.stringify(text)}`);
    const number = Number(text);
    if (!Number.isSafeInteger(number)) fail('number too large');
    at = stop + 1;
    return number;
  };
  const read = (depth: number): BencodeValue => {
    if (depth > 64) fail('nesting too deep');
    const byte = input[at];
    if (byte === undefined) return fail('unexpected end');
    if (byte === 0x69 /* i */) {
      at += 1;
      return digitsUntil(0x65 /* e */);
    }
    if (byte === 0x6c /* l */) {
      at += 1;
      const list: BencodeValue[] = [];
      while (input[at] !== 0x65) {
        if (at >= input.length) fail('unterminated list');
        list.push(read(depth + 1));
      }
      at += 1;
      return list;
    }
    if (byte === 0x64 /* d */) {
      at += 1;
      const dictionary: Record<string, BencodeValue> = Object.create(null) as Record<string, BencodeValue>;
      while (input[at] !== 0x65) {
        if (at >= input.length) fail('unterminated dictionary');
        const key = read(depth + 1);
        if (typeof key !== 'string') fail('dictionary key is not a string');
        dictionary[key as string] = read(depth + 1);
      }
      at += 1;
      return { ...dictionary };
    }
    if (byte >= 0x30 && byte <= 0x39) {
      const length = digitsUntil(0x3a /* : */);
      if (length < 0 || at + length > input.length) fail('string runs past the end');
      const text = input.subarray(at, at + length).toString('utf8');
      at += length;
      return text;
    }
    return fail(`unexpected byte 0x${byte.toString(16)}`);
  };
  const value = read(0);
  if (at !== input.length) fail('trailing bytes');
  return value;
}
