import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { useRoleLabel } from '../../lib/use-role-label';
import { staffRoles, type StaffRole } from '../../types/api';
import { createStaffMember, type CreatedStaffMember } from './staff-api';

export function AddStaffForm({ onCreated }: { onCreated: (created: CreatedStaffMember) => void }) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<StaffRole[]>([]);
  const [rolesMissing, setRolesMissing] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  function toggleRole(role: StaffRole, checked: boolean): void {
    setRoles((current) => (checked ? [...current, role] : current.filter((r) => r !== role)));
    setRolesMissing(false);
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    // Checkboxes cannot be `required` as a group, and the server refuses an account without a role.
    if (roles.length === 0) {
      setRolesMissing(true);
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      onCreated(await createStaffMember({ username: username.trim(), displayName: displayName.trim(), password, roles }));
    } catch (caught) {
      setError(caught);
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <form className="form" onSubmit={handleSubmit} data-testid="staff-add-form">
      <div className="form-grid">
        <div className="field">
          <label htmlFor="staff-add-username">{t('staff.username')}</label>
          <input
            id="staff-add-username"
            data-testid="staff-add-username"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="staff-add-display-name">{t('staff.displayName')}</label>
          <input
            id="staff-add-display-name"
            data-testid="staff-add-display-name"
            autoComplete="off"
            required
            value={displayName}
            onChange={(event) => setDisplayName(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="staff-add-password">{t('staff.password')}</label>
          <input
            id="staff-add-password"
            data-testid="staff-add-password"
            type="password"
            // Stops the browser from filling in the administrator's own saved password.
            autoComplete="new-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
      </div>
      <fieldset className="checkbox-group" aria-describedby={rolesMissing ? 'staff-add-roles-missing' : undefined}>
        <legend>{t('staff.roles')}</legend>
        {staffRoles.map((role) => (
          <label key={role} className="checkbox">
            <input
              type="checkbox"
              data-testid={`staff-add-role-${role}`}
              checked={roles.includes(role)}
              onChange={(event) => toggleRole(role, event.target.checked)}
            />
            {roleLabel(role)}
          </label>
        ))}
        {rolesMissing && (
          <p id="staff-add-roles-missing" className="field-error" role="alert">
            {t('staff.rolesRequired')}
          </p>
        )}
      </fieldset>
      {error !== null && <ProblemAlert error={error} testId="staff-add-error" />}
      <div>
        <button type="submit" className="button button-primary" data-testid="staff-add-submit" disabled={submitting}>
          {submitting ? t('staff.adding') : t('staff.addSubmit')}
        </button>
      </div>
    </form>
  );
}
