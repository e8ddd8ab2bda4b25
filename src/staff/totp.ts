import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/** RFC 6238 TOTP as authenticator apps expect it: SHA-1, 6 digits, 30-second steps. */
const PERIOD_SECONDS = 30;

function totpFor(secretBase32: string, label = 'staff'): TOTP {
  return new TOTP({
    issuer: 'Videophone',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpEnrolmentUri(secretBase32: string, username: string): string {
  return totpFor(secretBase32, username).toString();
}

/** What a person needs to enrol an authenticator app: the QR code to scan, or the secret to type. */
export interface TotpEnrolment {
  secret: string;
  /** The otpauth:// key URI that authenticator apps read from the QR code. */
  uri: string;
  /** The URI as a QR code, an SVG data URL the page shows as an image (the CSP allows data: images). */
  qrDataUrl: string;
}

export async function totpEnrolmentOf(secretBase32: string, username: string): Promise<TotpEnrolment> {
  const uri = totpEnrolmentUri(secretBase32, username);
  // Error correction M and a quiet zone of 2 modules: scans reliably from a screen.
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret: secretBase32, uri, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/** The same QR code drawn with block characters, for enrolment from the command line. */
export function totpQrForTerminal(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
}

export function totpCodeAt(secretBase32: string, at: Date): string {
  return totpFor(secretBase32).generate({ timestamp: at.getTime() });
}

/**
 * Accepts a code from the current step or one step either side (RFC 6238 §5.2 clock drift) and
 * returns the step it matched, or null. The caller refuses steps at or before the last accepted one.
 */
export function matchTotpStep(secretBase32: string, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(at.getTime() / 1000 / PERIOD_SECONDS) + delta;
}
