/**
 * Where a message came from or goes to. For connection-oriented transports the connection id names
 * the flow (RFC 5626 §3: responses and requests to a registered client reuse its connection); for
 * UDP the remote address and port do.
 */
export type TransportProtocol = 'UDP' | 'TCP' | 'TLS' | 'WS' | 'WSS';

export interface Flow {
  protocol: TransportProtocol;
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  /** Set for TCP, TLS, WS and WSS. */
  connectionId: string | null;
}

export function isReliable(protocol: TransportProtocol): boolean {
  return protocol !== 'UDP';
}

export function isWebSocket(protocol: TransportProtocol): boolean {
  return protocol === 'WS' || protocol === 'WSS';
}

/** A stable text name for a flow, used as the key of bindings and in flow tokens. */
export function flowKey(flow: Flow): string {
  return flow.connectionId ?? `udp:${flow.remoteAddress}:${flow.remotePort}`;
}

/** §18.1.1 transport parameter value for a protocol (what goes in Via and `;transport=`). */
export function viaTransport(protocol: TransportProtocol): string {
  return protocol;
}

export function formatHostForUri(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}
