import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs (one object per line) for production, pretty lines on a developer's terminal.
 * Secrets and personal data never reach a log line: request bodies are not logged, and these paths
 * are censored wherever they appear.
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.totpCode',
  '*.totpSecret',
  '*.secret',
  '*.token',
  '*.idNumber',
  '*.dataKeys',
  // Identity fields (clause 1) by name, in case an object holding them is ever logged. Not `address`:
  // SIP logs use it for network peers; request bodies, where a home address travels, are never logged.
  '*.fullName',
  '*.birthDate',
  '*.employer',
  '*.contactPhone',
  '*.legalName',
  '*.creditCode',
  '*.contactName',
  '*.deliveryAddress',
  '*.login',
];

export function createLogger(level: string, options: { pretty?: boolean; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: { service: 'videophone' },
      ...(options.pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } } : {}),
    },
    // A test captures lines in memory; otherwise pino writes to standard output.
    ...(options.destination ? [options.destination] : []),
  );
}

/**
 * At most one log line per key (a source address) per interval, for events anyone on the Internet
 * can cause at will (a BYE for a dialog that does not exist, a CANCEL from a stranger). One line
 * each would let a flood of them become a flood of lines: a disk filled, a write per datagram, and
 * the lines that matter lost among them. The metrics still count every event. The lines not
 * written are counted per key, and the next line written for that key says how many (`unlogged`).
 * Memory is bounded: past `maxKeys`, the key whose line is oldest is forgotten (and its count with it).
 */
export class SampledLog {
  /** By key, in the order of their last written line (a key is moved to the end when it logs again). */
  readonly #keys = new Map<string, { loggedAt: number; unlogged: number }>();

  constructor(private readonly options: { intervalMs: number; maxKeys: number; now: () => number }) {}

  /**
   * Null when this event's line is to be left out; otherwise how many events of this key went
   * unlogged since its last line.
   */
  take(key: string): { unlogged: number } | null {
    const now = this.options.now();
    const known = this.#keys.get(key);
    if (known && now - known.loggedAt < this.options.intervalMs && now >= known.loggedAt) {
      known.unlogged += 1;
      return null;
    }
    const unlogged = known?.unlogged ?? 0;
    this.#keys.delete(key);
    if (this.#keys.size >= this.options.maxKeys) this.#keys.delete(this.#keys.keys().next().value!);
    this.#keys.set(key, { loggedAt: now, unlogged: 0 });
    return { unlogged };
  }
}
