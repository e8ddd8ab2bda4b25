import { pino, type Logger } from 'pino';

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
];

export function createLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  return pino({
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: { service: 'videophone' },
    ...(options.pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } } : {}),
  });
}
