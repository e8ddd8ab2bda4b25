import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedStaffMember } from './staff-api';

/**
 * Shows a new member's TOTP secret the only time the server ever returns it. Nothing here is stored:
 * once dismissed, the secret is gone from the page.
 */
export function TotpEnrolment({ created, onDone }: { created: CreatedStaffMember; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="enrolment" role="status" data-testid="staff-enrolment">
      <h3>{t('staff.enrolmentTitle', { name: created.staff.displayName })}</h3>
      <p>{t('staff.enrolmentBody')}</p>
      <CopyableValue label={t('staff.enrolmentUri')} value={created.totp.uri} testId="staff-totp-uri" />
      <CopyableValue label={t('staff.enrolmentSecret')} value={created.totp.secret} testId="staff-totp-secret" />
      <button type="button" className="button button-primary" data-testid="staff-enrolment-done" onClick={onDone}>
        {t('staff.enrolmentDone')}
      </button>
    </div>
  );
}

function CopyableValue({ label, value, testId }: { label: string; value: string; testId: string }) {
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
