import { readFileSync } from 'node:fs';

/** File descriptors kept free of connection caps: database pool, log and data files, outbound SIP, DNS. */
export const reservedFileDescriptors = 1024;

/** The process's soft limit on open files, where the system tells it (Linux); null elsewhere. */
export function openFileLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? null : Number(soft);
  } catch {
    return null;
  }
}

/**
 * A warning when the connection caps together could use up the open-file limit, which is what
 * would refuse connections to everybody; null when they fit or the limit is unknown.
 */
export function connectionCapWarning(caps: { sip: number; http: number }, limit = openFileLimit()): string | null {
  if (limit === null) return null;
  const needed = caps.sip + caps.http + reservedFileDescriptors;
  if (needed <= limit) return null;
  return (
    `SIP_MAX_CONNECTIONS (${caps.sip}) + HTTP_MAX_CONNECTIONS (${caps.http}) + ${reservedFileDescriptors} reserved exceed ` +
    `the open-file limit (${limit}); raise the limit (ulimit -n, LimitNOFILE) or lower the caps`
  );
}
