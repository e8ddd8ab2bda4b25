/**
 * The worker slot for a datagram's source: FNV-1a over "address:port", so every datagram from one
 * source (RFC 3261 §18.2.1: a retransmission, the ACK and the CANCEL of a transaction come from
 * where its request came from) reaches the same worker for as long as the slots do not change.
 */
export function slotOfSource(address: string, port: number, slots: number): number {
  let hash = 0x811c9dc5;
  const text = `${address}:${port}`;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % slots;
}
