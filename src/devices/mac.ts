/**
 * A MAC address in its one stored form: twelve lower-case hex digits, no separators. Accepts the
 * usual spellings (`00:1A:2B:3C:4D:5E`, `00-1a-2b-3c-4d-5e`, `001a.2b3c.4d5e`, `001A2B3C4D5E`);
 * anything else, and the all-zero, broadcast and multicast addresses, is not a terminal's MAC.
 */
export function normaliseMac(input: string): string | null {
  const trimmed = input.trim();
  if (!/^(?:[0-9a-f]{2}([:-]?)(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})$/i.test(trimmed)) return null;
  const hex = trimmed.replace(/[^0-9a-f]/gi, '').toLowerCase();
  if (hex === '000000000000' || hex === 'ffffffffffff') return null;
  // The I/G bit of the first octet marks a group (multicast) address.
  if (parseInt(hex.slice(0, 2), 16) & 1) return null;
  return hex;
}

/** `001a2b3c4d5e` → `00:1a:2b:3c:4d:5e`, for people to read. */
export function formatMac(mac: string): string {
  return mac.match(/../g)!.join(':');
}
