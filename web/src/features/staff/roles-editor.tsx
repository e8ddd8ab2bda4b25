import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRoleLabel } from '../../lib/use-role-label';
import { isStaffRole, staffRoles, type StaffRole } from '../../types/api';

/** Checkboxes for one member's roles, in a table cell; saving asks for confirmation in the page. */
export function RolesEditor({
  initial,
  busy,
  onSave,
  onCancel,
}: {
  initial: readonly string[];
  busy: boolean;
  onSave: (roles: StaffRole[]) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  const [roles, setRoles] = useState<StaffRole[]>(initial.filter(isStaffRole));

  function toggle(role: StaffRole, checked: boolean): void {
    setRoles((current) => (checked ? [...current, role] : current.filter((r) => r !== role)));
  }

  return (
    <fieldset className="checkbox-group" data-testid="staff-roles-editor">
      <legend>{t('staff.roles')}</legend>
      {staffRoles.map((role) => (
        <label key={role} className="checkbox">
          <input
            type="checkbox"
            data-testid={`staff-role-${role}`}
            checked={roles.includes(role)}
            onChange={(event) => toggle(role, event.target.checked)}
          />
          {roleLabel(role)}
        </label>
      ))}
      {roles.length === 0 && (
        <p className="field-error" role="alert">
          {t('staff.rolesRequired')}
        </p>
      )}
      <div className="row-actions">
        <button
          type="button"
          className="button button-small button-primary"
          data-testid="staff-save-roles"
          disabled={busy || roles.length === 0}
          onClick={() => onSave(roles)}
        >
          {t('staffAdmin.saveRoles')}
        </button>
        <button type="button" className="button button-small" onClick={onCancel}>
          {t('staffAdmin.cancel')}
        </button>
      </div>
    </fieldset>
  );
}
