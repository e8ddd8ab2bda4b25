import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, usePathname } from '../lib/router';
import { Brand } from './brand';
import { LanguageSwitch } from './language-switch';

const publicLinks = [
  { to: '/prices', key: 'publicNav.prices', testId: 'nav-prices' },
  { to: '/apply', key: 'publicNav.apply', testId: 'nav-apply' },
  { to: '/portal/login', key: 'publicNav.portal', testId: 'nav-portal' },
  { to: '/phone', key: 'publicNav.phone', testId: 'nav-phone' },
] as const;

/** Frame for the pages anyone can open: home, prices, applying, the portal, staff sign-in, not found. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const pathname = usePathname();
  return (
    <div className="public-layout">
      <header className="topbar">
        <Brand to="/" />
        <nav className="topbar-tools public-nav" aria-label={t('app.name')}>
          {publicLinks.map((link) => (
            <Link key={link.to} to={link.to} data-testid={link.testId} aria-current={pathname === link.to ? 'page' : undefined}>
              {t(link.key)}
            </Link>
          ))}
          <LanguageSwitch />
        </nav>
      </header>
      <main className="public-main">{children}</main>
    </div>
  );
}
