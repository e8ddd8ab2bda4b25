import { SourceRateLimit, type TransportAdmission } from '../sip/index.js';
import type { SipBanList } from './sip-bans.js';

export type EdgeRefusal = 'banned' | 'rate-limited';

export interface EdgeGuardOptions {
  ratePerSecond: number;
  burst: number;
  /** Addresses neither limited nor refused by a source ban (trunks, a load generator). */
  exempt: string[];
  bans: SipBanList;
  now?: () => number;
  onRefused?: (reason: EdgeRefusal) => void;
}

/**
 * What the transport asks before parsing anything from a source: is the address banned, and is it
 * within its rate? A banned address is dropped without an answer — an answer would cost as much as
 * the request and could be aimed at a spoofed source; staff see and lift bans in the console.
 */
export function createEdgeGuard(options: EdgeGuardOptions): TransportAdmission & { limit: SourceRateLimit } {
  const limit = new SourceRateLimit({
    ratePerSecond: options.ratePerSecond,
    burst: options.burst,
    ...(options.now ? { now: options.now } : {}),
  });
  const exempt = new Set(options.exempt);
  const admit = (address: string): boolean => {
    if (exempt.has(address)) return true;
    if (options.bans.isBanned('source', address)) {
      options.onRefused?.('banned');
      return false;
    }
    if (limit.take(address)) return true;
    options.onRefused?.('rate-limited');
    return false;
  };
  return { limit, admitMessage: admit, admitConnection: admit };
}
