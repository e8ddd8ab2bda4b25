import { useTranslation } from 'react-i18next';
import { TotpEnrolmentDetails } from '../../components/totp-enrolment-details';
import type { CreatedStaffMember } from './staff-api';

/**
 * Shows a new member's TOTP enrolment (QR code and secret) the only time the server ever returns it.
 * Nothing here is stored: once dismissed, the secret is gone from the page.
 */
export function TotpEnrolment({ created, onDone }: { created: CreatedStaffMember; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="enrolment" role="status" data-testid="staff-enrolment">
      <h3>{t('staff.enrolmentTitle', { name: created.staff.displayName })}</h3>
      <p>{t('staff.enrolmentBody')}</p>
      <TotpEnrolmentDetails enrolment={created.totp} />
      <button type="button" className="button button-primary" data-testid="staff-enrolment-done" onClick={onDone}>
        {t('staff.enrolmentDone')}
      </button>
    </div>
  );
}
