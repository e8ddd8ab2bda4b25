import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { getHeader, parseMessage } from '../../../src/sip/message/index.js';

/**
 * What the parser remembers of header names (their canonical spelling, whether they are lists) is
 * bounded in count and in length: a peer that sends long made-up names, each once, must not leave
 * them in memory. Measured on the heap after V8's collector ran, so this file runs in a process of
 * its own (vitest.config.ts).
 */
describe('header names the parser remembers', () => {
  it('a flood of long made-up header names leaves nothing behind', () => {
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const message = (name: string) =>
      Buffer.from(
        [
          'OPTIONS sip:bob@example.com SIP/2.0',
          'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKflood',
          'To: <sip:bob@example.com>',
          'From: <sip:alice@example.com>;tag=flood',
          'Call-ID: flood',
          'CSeq: 1 OPTIONS',
          `${name}: v`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
    const parseWith = (name: string) => {
      const outcome = parseMessage(message(name));
      if (!outcome.ok) throw new Error(outcome.reason);
      expect(getHeader(outcome.message, name)).toBe('v');
    };
    // The first ones also compile the code they run (V8 counts that in the heap too).
    for (let index = 0; index < 50; index += 1) parseWith(`X-Warm-${index}`);
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    const count = 3_000;
    for (let index = 0; index < count; index += 1) parseWith(`X-${index}-${'n'.repeat(4_000)}`);
    collectGarbage();
    const perMessage = (process.memoryUsage().heapUsed - before) / count;
    console.log(`heap held per message with a new 4 KB header name: ${Math.round(perMessage)} bytes`);
    // Remembered without a bound on length, each name stayed twice: 12 KB a message measured.
    expect(perMessage).toBeLessThan(1_024);
  });
});
