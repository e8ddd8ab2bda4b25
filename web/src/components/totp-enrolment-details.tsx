import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TotpEnrolment } from '../types/api';

/**
 * What a person needs to enrol an authenticator app: the QR code of the otpauth:// URI (drawn by the
 * server as an SVG data URL, so the page needs no QR library), and the secret and URI as text for
 * apps or people that cannot scan. Used wherever enrolment happens: a new account, and the sign-in
 * after an administrator reset the second factor.
 */
export function TotpEnrolmentDetails({ enrolment }: { enrolment: TotpEnrolment }) {
  const { t } = useTranslation();
  return (
    <div className="totp-enrolment-details">
      <img className="totp-qr" src={enrolment.qrDataUrl} alt={t('totpEnrolment.qrAlt')} width={200} height={200} data-testid="totp-qr" />
      <CopyableValue label={t('totpEnrolment.secret')} value={enrolment.secret} testId="totp-secret" />
      <CopyableValue label={t('totpEnrolment.uri')} value={enrolment.uri} testId="totp-uri" />
    </div>
  );
}

export function CopyableValue({ label, value, testId }: { label: string; value: string; testId: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  // The Clipboard API exists only in secure contexts; without it the value can still be selected by hand.
  const canCopy = typeof navigator.clipboard?.writeText === 'function';

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // Permission refused: the value is on screen and can be selected by hand.
    }
  }

  return (
    <div className="copyable">
      <div className="copyable-label">{label}</div>
      <div className="copyable-row">
        <code className="copyable-value" data-testid={testId}>
          {value}
        </code>
        {canCopy && (
          <button type="button" className="button button-quiet" onClick={() => void copy()}>
            {copied ? t('staff.copied') : t('staff.copy')}
          </button>
        )}
      </div>
    </div>
  );
}
