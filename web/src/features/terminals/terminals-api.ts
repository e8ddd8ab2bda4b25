import type { ApiBody, ApiResponse } from '../../types/api';

// Shapes of the terminal routes (src/devices/routes.ts), generated from their schemas. Amounts are integer fen.

export type TerminalUnit = ApiResponse<'/api/console/devices/units'>['units'][number];
export type Shipment = ApiResponse<'/api/console/devices/shipments'>['shipments'][number];
export type WarrantyClaim = ApiResponse<'/api/console/warranty/claims/{id}'>;
export type Assessment = ApiBody<'/api/console/warranty/claims/{id}/assessment', 'post'>;
export type ExclusionReason = Assessment['exclusions'][number];
export type PortalTerminals = ApiResponse<'/api/portal/terminals'>;

/** The exclusions of clause 4(1), in the order of src/devices/warranty-rules.ts; the record makes the compiler hold them equal. */
const exclusionOrder: Record<ExclusionReason, true> = {
  accident: true,
  misuse: true,
  'opened-case': true,
  power: true,
  'ignored-instructions': true,
  'unauthorised-repair': true,
  'non-operator-equipment': true,
};
export const exclusionReasons = Object.keys(exclusionOrder) as ExclusionReason[];

/** "main board, MB-1" lines → parts. */
export function parseParts(text: string): { part: string; serialNumber?: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [part, serial] = line.split(/[,，]/).map((s) => s.trim());
      return serial ? { part: part!, serialNumber: serial } : { part: part! };
    });
}

/** A file as base64, for the claim's photos. */
export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
