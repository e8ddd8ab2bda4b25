import { useTranslation } from 'react-i18next';
import { Link } from '../lib/router';

export function Brand({ to }: { to: string }) {
  const { t } = useTranslation();
  return (
    <Link to={to} className="brand">
      <svg aria-hidden="true" viewBox="0 0 32 32" width="28" height="28">
        <rect width="32" height="32" rx="7" fill="currentColor" />
        <rect x="6" y="10" width="14" height="12" rx="2" fill="#fff" />
        <path d="M21 14.5 26 11v10l-5-3.5z" fill="#fff" />
      </svg>
      <span>{t('app.name')}</span>
    </Link>
  );
}
