import { useTranslation } from 'react-i18next';
import { isStaffRole } from '../types/api';

/** Translated role name; a role this build does not know yet is shown as the server names it. */
export function useRoleLabel(): (role: string) => string {
  const { t } = useTranslation();
  return (role) => (isStaffRole(role) ? t(`roles.${role}`) : role);
}
