import { FormProblem } from '../../components/form-errors';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { PublicLayout } from '../../components/public-layout';
import { TextField } from '../../components/text-field';
import { Link, navigate } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import { portalSignIn } from './portal-api';

/** Where to go after signing in: the portal page that sent us here (the softphone, say), else the portal. */
function pathAfterLogin(): string {
  const next = new URLSearchParams(window.location.search).get('next') ?? '';
  return next.startsWith('/portal') && next !== '/portal/login' ? next : '/portal';
}

export function PortalLoginPage() {
  const { t } = useTranslation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useAction();

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const signedIn = await signIn.run(async () => {
      await portalSignIn(login, password);
      return true;
    });
    if (signedIn) navigate(pathAfterLogin(), { replace: true });
  }

  return (
    <PublicLayout>
      <section className="card login-card" aria-labelledby="portal-login-title">
        <h1 id="portal-login-title">{t('portalLogin.title')}</h1>
        <p className="muted">{t('portalLogin.intro')}</p>
        <FormProblem error={signIn.error}>
          <form className="form" onSubmit={handleSubmit}>
            <TextField
              id="portal-login"
              label={t('portalLogin.login')}
              name="login"
              type="tel"
              autoComplete="tel"
              required
              value={login}
              onValueChange={setLogin}
            />
            <TextField
              id="portal-password"
              label={t('portalLogin.password')}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onValueChange={setPassword}
            />
            {signIn.error !== null && <ProblemAlert error={signIn.error} testId="portal-login-error" />}
            <button type="submit" className="button button-primary" data-testid="portal-login-submit" disabled={signIn.busy}>
              {signIn.busy ? t('portalLogin.submitting') : t('portalLogin.submit')}
            </button>
          </form>
        </FormProblem>
        <p className="muted">
          {t('portalLogin.noAccount')} <Link to="/apply">{t('portalLogin.applyLink')}</Link>
        </p>
      </section>
    </PublicLayout>
  );
}
