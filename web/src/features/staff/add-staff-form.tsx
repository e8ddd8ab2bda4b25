import { FormProblem } from '../../components/form-errors';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { useRoleLabel } from '../../lib/use-role-label';
import { staffRoles, type StaffRole } from '../../types/api';
import { createStaffMember, type CreatedStaffMember } from './staff-api';
import { TextField } from '../../components/text-field';
import { useAction } from '../../lib/use-action';

export function AddStaffForm({ onCreated }: { onCreated: (created: CreatedStaffMember) => void }) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<StaffRole[]>([]);
  const [rolesMissing, setRolesMissing] = useState(false);
  const create = useAction();

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
    await create.run(async () => {
      onCreated(await createStaffMember({ username: username.trim(), displayName: displayName.trim(), password, roles }));
    });
  }

  return (
    <FormProblem error={create.error}>
      <form className="form" onSubmit={handleSubmit} data-testid="staff-add-form">
        <div className="form-grid">
          <TextField
            id="staff-add-username"
            label={t('staff.username')}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onValueChange={setUsername}
          />
          <TextField
            id="staff-add-display-name"
            label={t('staff.displayName')}
            autoComplete="off"
            required
            value={displayName}
            onValueChange={setDisplayName}
          />
          <TextField
            id="staff-add-password"
            label={t('staff.password')}
            type="password"
            // Stops the browser from filling in the administrator's own saved password.
            autoComplete="new-password"
            required
            value={password}
            onValueChange={setPassword}
          />
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
        {create.error !== null && <ProblemAlert error={create.error} testId="staff-add-error" />}
        <div>
          <button type="submit" className="button button-primary" data-testid="staff-add-submit" disabled={create.busy}>
            {create.busy ? t('staff.adding') : t('staff.addSubmit')}
          </button>
        </div>
      </form>
    </FormProblem>
  );
}
