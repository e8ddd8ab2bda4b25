import { BlockList, isIPv6, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';

export interface HttpConnectionLimits {
  /** Open connections in all, WebSockets included (Node's `server.maxConnections`). */
  maxConnections: number;
  /** Open connections from one address. */
  maxConnectionsPerSource: number;
  /** Sources the per-source cap does not apply to: reverse proxies carry many clients. */
  isTrustedProxy?: (address: string) => boolean;
  /** Told of every connection closed at once, for metrics. */
  onRefused?: (reason: 'connection limit' | 'source connection limit') => void;
}

/** Timeouts of the HTTP server, in milliseconds. */
export interface HttpTimeouts {
  /** Request line and headers (slow-header attacks). */
  headersTimeoutMs: number;
  /** The whole request, body included. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection between requests. */
  keepAliveTimeoutMs: number;
  /** No traffic either way, at any point (clients that stop reading). */
  idleTimeoutMs: number;
}

export const defaultHttpConnectionLimits: HttpConnectionLimits = { maxConnections: 8000, maxConnectionsPerSource: 200 };
export const defaultHttpTimeouts: HttpTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 72_000,
  idleTimeoutMs: 300_000,
};

/**
 * Fastify server options for the timeouts. Node checks the headers and request timeouts on a
 * timer (every 30 s by default), so it runs often enough for a short headers timeout to hold.
 * WebSockets are not affected: the upgrade hands the socket over and `ws` clears its timeout.
 */
export function httpTimeoutOptions(timeouts: HttpTimeouts) {
  return {
    connectionTimeout: timeouts.idleTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    http: {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(timeouts.headersTimeoutMs / 4))),
    },
  };
}

/**
 * Caps the HTTP server's connections, in all and per source address: one address holding
 * thousands of idle sockets must not take the file descriptors everybody else needs. Connections
 * over a cap are closed as soon as they are accepted, before a byte is read.
 */
export function limitHttpConnections(server: HttpServer, limits: HttpConnectionLimits): void {
  server.maxConnections = limits.maxConnections;
  server.on('drop', () => limits.onRefused?.('connection limit'));
  const bySource = new Map<string, number>();
  // Before Node's own listener, so a refused socket never gets a parser.
  server.prependListener('connection', (socket: Socket) => {
    const source = socket.remoteAddress ?? '';
    const open = bySource.get(source) ?? 0;
    if (open >= limits.maxConnectionsPerSource && !limits.isTrustedProxy?.(source)) {
      limits.onRefused?.('source connection limit');
      socket.destroy();
      return;
    }
    bySource.set(source, open + 1);
    socket.once('close', () => {
      const left = (bySource.get(source) ?? 1) - 1;
      if (left > 0) bySource.set(source, left);
      else bySource.delete(source);
    });
  });
}

/**
 * Whether a peer address is one of the reverse proxies TRUST_PROXY names (`true`: every peer may
 * be one, so none is capped per source; a list of addresses and CIDRs: those).
 */
export function trustedProxyMatcher(trustProxy: boolean | string): (address: string) => boolean {
  if (trustProxy === true) return () => true;
  if (trustProxy === false || trustProxy === '') return () => false;
  const list = new BlockList();
  for (const entry of trustProxy
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const type = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (address) => {
    // IPv4 peers of a dual-stack socket arrive as ::ffff:a.b.c.d.
    const plain = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
    return list.check(plain, isIPv6(plain) ? 'ipv6' : 'ipv4');
  };
}
