import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import { useRoleLabel } from '../../lib/use-role-label';
import type { Staff } from '../../types/api';
import { AddStaffForm } from './add-staff-form';
import { applyStaffAction, isLocked, staffListPath, type CreatedStaffMember, type StaffAction, type StaffMember } from './staff-api';
import { TotpEnrolment } from './totp-enrolment';
import { DataTable } from '../../components/data-table';

export function StaffPage({ staff }: { staff: Staff }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const roleLabel = useRoleLabel();
  const canManage = staff.permissions.includes('staff.manage');
  const { state, reload } = useApiQuery<{ items: StaffMember[] }>(staffListPath);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [created, setCreated] = useState<CreatedStaffMember | null>(null);

  async function act(member: StaffMember, action: StaffAction): Promise<void> {
    setPendingId(member.id);
    setActionError(null);
    try {
      await applyStaffAction(member.id, action);
      reload();
    } catch (caught) {
      setActionError(caught);
    } finally {
      setPendingId(null);
    }
  }

  function handleCreated(result: CreatedStaffMember): void {
    setCreated(result);
    reload();
  }

  const now = Date.now();

  return (
    <div className="page">
      <h1>{t('staff.title')}</h1>
      {actionError !== null && <ProblemAlert error={actionError} testId="staff-action-error" />}
      <QueryView state={state} onRetry={reload}>
        {({ items }) => (
          <DataTable
            testId="staff-table"
            headings={[
              t('staff.username'),
              t('staff.displayName'),
              t('staff.roles'),
              t('staff.status'),
              t('staff.lastLogin'),
              t('staff.created'),
              canManage ? t('staff.actions') : null,
            ]}
            emptyMessage={t('staff.empty')}
            isEmpty={items.length === 0}
          >
            {items.map((member) => {
              const locked = isLocked(member, now);
              const busy = pendingId === member.id;
              return (
                <tr key={member.id} data-testid={`staff-row-${member.username}`}>
                  <th scope="row">
                    <code>{member.username}</code>
                  </th>
                  <td>{member.displayName}</td>
                  <td>
                    <ul className="role-list">
                      {member.roles.map((role) => (
                        <li key={role} className="badge">
                          {roleLabel(role)}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <span className={member.status === 'active' ? 'badge badge-success' : 'badge'}>
                      {t(member.status === 'active' ? 'staff.active' : 'staff.disabled')}
                    </span>
                    {locked && member.lockedUntil && (
                      <div className="small text-danger">{t('staff.lockedUntil', { until: formatDateTime(member.lockedUntil) })}</div>
                    )}
                  </td>
                  <td className="nowrap">{member.lastLoginAt ? formatDateTime(member.lastLoginAt) : t('staff.never')}</td>
                  <td className="nowrap">{formatDateTime(member.createdAt)}</td>
                  {canManage && (
                    <td>
                      <div className="row-actions">
                        {locked && (
                          <button
                            type="button"
                            className="button button-small"
                            data-testid="staff-unlock"
                            disabled={busy}
                            onClick={() => void act(member, 'unlock')}
                          >
                            {t('staff.unlock')}
                          </button>
                        )}
                        {member.status === 'active' ? (
                          <button
                            type="button"
                            className="button button-small button-danger"
                            data-testid="staff-disable"
                            disabled={busy}
                            onClick={() => void act(member, 'disable')}
                          >
                            {t('staff.disable')}
                          </button>
                        ) : (
                          <button
                            type="button"
                            className="button button-small"
                            data-testid="staff-enable"
                            disabled={busy}
                            onClick={() => void act(member, 'enable')}
                          >
                            {t('staff.enable')}
                          </button>
                        )}
                      </div>
                    </td>
                  )}
                </tr>
              );
            })}
          </DataTable>
        )}
      </QueryView>
      {canManage && (
        <section className="card" aria-labelledby="staff-add-title">
          <h2 id="staff-add-title">{t('staff.addTitle')}</h2>
          {created ? <TotpEnrolment created={created} onDone={() => setCreated(null)} /> : <AddStaffForm onCreated={handleCreated} />}
        </section>
      )}
    </div>
  );
}
