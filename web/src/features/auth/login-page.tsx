import { FormProblem } from '../../components/form-errors';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { PublicLayout } from '../../components/public-layout';
import { ApiProblemError } from '../../lib/api-client';
import { navigate } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import { logIn } from './auth-api';
import { TextField } from '../../components/text-field';
import { TotpEnrolmentDetails } from '../../components/totp-enrolment-details';
import type { TotpEnrolment } from '../../types/api';

/** Where to go after signing in: the console page that sent us here, never anywhere off the console. */
function pathAfterLogin(): string {
  const next = new URLSearchParams(window.location.search).get('next') ?? '';
  const isConsolePage = next === '/console' || (next.startsWith('/console/') && next !== '/console/login');
  return isConsolePage ? next : '/console';
}

export function LoginPage() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState('');
  // The server tells us after the password check whether a code is needed; we do not guess before.
  const [needsTotp, setNeedsTotp] = useState(false);
  // After an administrator reset the second factor, the server offers a new one to enrol instead.
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const signIn = useAction();

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const signedIn = await signIn.run(async () => {
      try {
        await logIn(needsTotp ? { username, password, totpCode } : { username, password });
        return true;
      } catch (caught) {
        const code = caught instanceof ApiProblemError ? caught.problem.code : null;
        // A right password without a code: not an error, the form now asks for the code.
        if (code === 'totp-required' && !needsTotp) {
          setNeedsTotp(true);
          return false;
        }
        if (code === 'totp-enrolment-required' && !needsTotp && caught instanceof ApiProblemError && caught.problem.enrolment) {
          setEnrolment(caught.problem.enrolment);
          setNeedsTotp(true);
          return false;
        }
        if (code === 'invalid-totp') setTotpCode('');
        throw caught;
      }
    });
    if (signedIn) navigate(pathAfterLogin(), { replace: true });
  }

  return (
    <PublicLayout>
      <section className="card login-card" aria-labelledby="login-title">
        <h1 id="login-title">{t('login.title')}</h1>
        <p className="muted">{t('login.intro')}</p>
        <FormProblem error={signIn.error}>
          <form className="form" onSubmit={handleSubmit}>
            <TextField
              id="login-username"
              label={t('login.username')}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={username}
              onValueChange={setUsername}
            />
            <TextField
              id="login-password"
              label={t('login.password')}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onValueChange={setPassword}
            />
            {enrolment && (
              <section className="enrolment" data-testid="login-enrolment" aria-labelledby="login-enrolment-title">
                <h2 id="login-enrolment-title">{t('totpEnrolment.title')}</h2>
                <p>{t('totpEnrolment.body')}</p>
                <TotpEnrolmentDetails enrolment={enrolment} />
              </section>
            )}
            {needsTotp && (
              <TextField
                id="login-totp"
                label={t('login.totp')}
                name="totpCode"
                className="totp-input"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                required
                // Focus moves here as soon as the server asks for a code.
                autoFocus
                hint={t('login.totpHint')}
                value={totpCode}
                // No maxLength: a pasted "123 456" must survive long enough to lose its space.
                onValueChange={(value) => setTotpCode(value.replace(/\D/g, '').slice(0, 6))}
              />
            )}
            {signIn.error !== null && <ProblemAlert error={signIn.error} testId="login-error" />}
            <button type="submit" className="button button-primary" data-testid="login-submit" disabled={signIn.busy}>
              {signIn.busy ? t('login.submitting') : needsTotp ? t('login.verify') : t('login.submit')}
            </button>
          </form>
        </FormProblem>
      </section>
    </PublicLayout>
  );
}
