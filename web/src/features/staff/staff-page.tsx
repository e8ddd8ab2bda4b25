import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { CopyableValue } from '../../components/totp-enrolment-details';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import { useRoleLabel } from '../../lib/use-role-label';
import type { Staff, StaffRole } from '../../types/api';
import { AddStaffForm } from './add-staff-form';
import { RolesEditor } from './roles-editor';
import {
  applyStaffAction,
  isLocked,
  issuePasswordReset,
  passwordResetUrl,
  setStaffRoles,
  staffListPath,
  type CreatedStaffMember,
  type IssuedPasswordReset,
  type StaffAction,
  type StaffMember,
} from './staff-api';
import { TotpEnrolment } from './totp-enrolment';

/** What the last action left to show: a reset link (once), or a note that the authenticator was reset. */
type Outcome = { kind: 'reset-link'; member: StaffMember; issued: IssuedPasswordReset } | { kind: 'totp-reset'; member: StaffMember };

export function StaffPage({ staff }: { staff: Staff }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const roleLabel = useRoleLabel();
  const canManage = staff.permissions.includes('staff.manage');
  const { state, reload } = useApiQuery<{ items: StaffMember[] }>(staffListPath);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [created, setCreated] = useState<CreatedStaffMember | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  /** Every change asks first: each one ends sessions, locks someone out or hands out access. */
  async function act(member: StaffMember, question: string, work: () => Promise<void>): Promise<void> {
    if (!window.confirm(question)) return;
    setPendingId(member.id);
    setActionError(null);
    setOutcome(null);
    try {
      await work();
      reload();
    } catch (caught) {
      setActionError(caught);
    } finally {
      setPendingId(null);
    }
  }

  const confirmations: Record<StaffAction, string> = {
    unlock: 'staffAdmin.confirmUnlock',
    disable: 'staffAdmin.confirmDisable',
    enable: 'staffAdmin.confirmEnable',
    'totp-reset': 'staffAdmin.confirmResetTotp',
  };

  function runAction(member: StaffMember, action: StaffAction): Promise<void> {
    const question = t(confirmations[action] as 'staffAdmin.confirmUnlock', { name: member.displayName });
    return act(member, question, async () => {
      await applyStaffAction(member.id, action);
      if (action === 'totp-reset') setOutcome({ kind: 'totp-reset', member });
    });
  }

  function resetPassword(member: StaffMember): Promise<void> {
    return act(member, t('staffAdmin.confirmResetPassword', { name: member.displayName }), async () => {
      setOutcome({ kind: 'reset-link', member, issued: await issuePasswordReset(member.id) });
    });
  }

  function saveRoles(member: StaffMember, roles: StaffRole[]): Promise<void> {
    const names = roles.map((role) => roleLabel(role)).join(t('staffAdmin.roleSeparator'));
    return act(member, t('staffAdmin.confirmRoles', { name: member.displayName, roles: names }), async () => {
      await setStaffRoles(member.id, roles);
      setEditingId(null);
    });
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
      {outcome?.kind === 'reset-link' && (
        <div className="enrolment" role="status" data-testid="staff-reset-link-panel">
          <h2>{t('staffAdmin.resetLinkTitle', { name: outcome.member.displayName })}</h2>
          <p>{t('staffAdmin.resetLinkBody', { until: formatDateTime(outcome.issued.expiresAt) })}</p>
          <CopyableValue label={t('staffAdmin.resetLinkLabel')} value={passwordResetUrl(outcome.issued.token)} testId="staff-reset-link" />
          <button type="button" className="button button-primary" data-testid="staff-reset-link-done" onClick={() => setOutcome(null)}>
            {t('staffAdmin.resetLinkDone')}
          </button>
        </div>
      )}
      {outcome?.kind === 'totp-reset' && (
        <p className="alert" role="status" data-testid="staff-totp-reset-done">
          {t('staffAdmin.totpResetDone', { name: outcome.member.displayName })}
        </p>
      )}
      <QueryView state={state} onRetry={reload}>
        {({ items }) => (
          <DataTable
            testId="staff-table"
            headings={[
              t('staff.username'),
              t('staff.displayName'),
              t('staff.roles'),
              t('staff.status'),
              t('staffAdmin.totp'),
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
                    {editingId === member.id ? (
                      <RolesEditor
                        initial={member.roles}
                        busy={busy}
                        onSave={(roles) => void saveRoles(member, roles)}
                        onCancel={() => setEditingId(null)}
                      />
                    ) : (
                      <ul className="role-list">
                        {member.roles.map((role) => (
                          <li key={role} className="badge">
                            {roleLabel(role)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    <span className={member.status === 'active' ? 'badge badge-success' : 'badge'} data-testid="staff-status">
                      {t(member.status === 'active' ? 'staff.active' : 'staff.disabled')}
                    </span>
                    <div className={locked ? 'small text-danger' : 'small muted'} data-testid="staff-lock">
                      {locked && member.lockedUntil
                        ? t('staff.lockedUntil', { until: formatDateTime(member.lockedUntil) })
                        : t('staffAdmin.notLocked')}
                    </div>
                  </td>
                  <td>
                    <span className={member.totpEnrolled ? 'badge badge-success' : 'badge'} data-testid="staff-totp">
                      {t(member.totpEnrolled ? 'staffAdmin.totpEnrolled' : 'staffAdmin.totpNotEnrolled')}
                    </span>
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
                            onClick={() => void runAction(member, 'unlock')}
                          >
                            {t('staff.unlock')}
                          </button>
                        )}
                        {editingId !== member.id && (
                          <button
                            type="button"
                            className="button button-small"
                            data-testid="staff-edit-roles"
                            disabled={busy}
                            onClick={() => setEditingId(member.id)}
                          >
                            {t('staffAdmin.editRoles')}
                          </button>
                        )}
                        <button
                          type="button"
                          className="button button-small"
                          data-testid="staff-reset-password"
                          disabled={busy}
                          onClick={() => void resetPassword(member)}
                        >
                          {t('staffAdmin.resetPassword')}
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          data-testid="staff-reset-totp"
                          disabled={busy}
                          onClick={() => void runAction(member, 'totp-reset')}
                        >
                          {t('staffAdmin.resetTotp')}
                        </button>
                        {member.status === 'active' ? (
                          <button
                            type="button"
                            className="button button-small button-danger"
                            data-testid="staff-disable"
                            disabled={busy}
                            onClick={() => void runAction(member, 'disable')}
                          >
                            {t('staff.disable')}
                          </button>
                        ) : (
                          <button
                            type="button"
                            className="button button-small"
                            data-testid="staff-enable"
                            disabled={busy}
                            onClick={() => void runAction(member, 'enable')}
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
