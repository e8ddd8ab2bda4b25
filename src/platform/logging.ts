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
