import type { ReactNode } from 'react';
import { Brand } from './brand';
import { LanguageSwitch } from './language-switch';

/** Frame for the pages anyone can open: home, staff sign-in, not found. */
export function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <div className="public-layout">
      <header className="topbar">
        <Brand to="/" />
        <LanguageSwitch />
      </header>
      <main className="public-main">{children}</main>
    </div>
  );
}
