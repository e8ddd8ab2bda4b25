import { useTranslation } from 'react-i18next';
import { useRoleLabel } from '../../lib/use-role-label';
import type { Staff } from '../../types/api';
import { BusinessDashboard, OperationsDashboard } from './dashboards';

export function OverviewPage({ staff }: { staff: Staff }) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  return (
    <div className="page">
      <h1>{t('overview.welcome', { name: staff.displayName })}</h1>
      <p className="muted">{t('overview.intro')}</p>
      <section className="card">
        <h2>{t('overview.rolesHeading')}</h2>
        {staff.roles.length === 0 ? (
          <p>{t('overview.noRoles')}</p>
        ) : (
          <ul className="role-list" data-testid="overview-roles">
            {staff.roles.map((role) => (
              <li key={role} className="badge">
                {roleLabel(role)}
              </li>
            ))}
          </ul>
        )}
      </section>
      {staff.permissions.includes('billing.read') && <BusinessDashboard />}
      {staff.permissions.includes('calls.read') && <OperationsDashboard />}
    </div>
  );
}
