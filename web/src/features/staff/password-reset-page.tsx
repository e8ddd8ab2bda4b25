import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FormProblem } from '../../components/form-errors';
import { ProblemAlert } from '../../components/problem-alert';
import { PublicLayout } from '../../components/public-layout';
import { TextField } from '../../components/text-field';
import { Link } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import { completePasswordReset, previewPasswordReset, type CompletedPasswordReset, type PasswordResetPreview } from './staff-api';

type LinkState = { status: 'checking' } | { status: 'refused'; error: unknown } | { status: 'open'; preview: PasswordResetPreview };

/**
 * `/console/reset/<token>`, public: the person an administrator gave a reset link chooses a new
 * password here. The administrator never sees it. Signing in afterwards happens on the sign-in page,
 * which also enrols a new authenticator when the second factor was reset.
 */
export function PasswordResetPage({ token }: { token: string }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const [link, setLink] = useState<LinkState>({ status: 'checking' });
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [completed, setCompleted] = useState<CompletedPasswordReset | null>(null);
  const submit = useAction();

  useEffect(() => {
    let current = true;
    previewPasswordReset(token).then(
      (preview) => current && setLink({ status: 'open', preview }),
      (error: unknown) => current && setLink({ status: 'refused', error }),
    );
    return () => {
      current = false;
    };
  }, [token]);

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (password !== confirmation) {
      setMismatch(true);
      return;
    }
    const result = await submit.run(() => completePasswordReset(token, password));
    if (result) setCompleted(result);
  }

  return (
    <PublicLayout>
      <section className="card login-card" aria-labelledby="reset-title" data-testid="password-reset">
        <h1 id="reset-title">{t('passwordReset.title')}</h1>
        {link.status === 'checking' && <p className="muted">{t('passwordReset.checking')}</p>}
        {link.status === 'refused' && (
          <>
            <ProblemAlert error={link.error} testId="password-reset-refused" />
            <p>{t('passwordReset.askAgain')}</p>
          </>
        )}
        {link.status === 'open' && completed && (
          <div role="status" data-testid="password-reset-done">
            <p>{completed.totpEnrolmentRequired ? t('passwordReset.doneEnrol') : t('passwordReset.done')}</p>
            <Link to="/console/login" className="button button-primary" data-testid="password-reset-sign-in">
              {t('passwordReset.signIn')}
            </Link>
          </div>
        )}
        {link.status === 'open' && !completed && (
          <>
            <p className="muted" data-testid="password-reset-greeting">
              {t('passwordReset.greeting', {
                name: link.preview.displayName,
                username: link.preview.username,
                until: formatDateTime(link.preview.expiresAt),
              })}
            </p>
            <FormProblem error={submit.error}>
              <form className="form" onSubmit={handleSubmit}>
                {/* Lets password managers file the new password under the right account. */}
                <input type="hidden" name="username" autoComplete="username" value={link.preview.username} />
                <TextField
                  id="reset-password"
                  label={t('passwordReset.password')}
                  name="password"
                  type="password"
                  autoComplete="new-password"
                  minLength={12}
                  maxLength={200}
                  required
                  hint={t('passwordReset.passwordHint')}
                  value={password}
                  onValueChange={(value) => {
                    setPassword(value);
                    setMismatch(false);
                  }}
                />
                <TextField
                  id="reset-confirm"
                  label={t('passwordReset.confirm')}
                  type="password"
                  autoComplete="new-password"
                  maxLength={200}
                  required
                  value={confirmation}
                  onValueChange={(value) => {
                    setConfirmation(value);
                    setMismatch(false);
                  }}
                />
                {mismatch && (
                  <p className="field-error" role="alert" data-testid="reset-mismatch">
                    {t('passwordReset.mismatch')}
                  </p>
                )}
                {submit.error !== null && <ProblemAlert error={submit.error} testId="password-reset-error" />}
                <button type="submit" className="button button-primary" data-testid="reset-submit" disabled={submit.busy}>
                  {submit.busy ? t('passwordReset.submitting') : t('passwordReset.submit')}
                </button>
              </form>
            </FormProblem>
          </>
        )}
      </section>
    </PublicLayout>
  );
}
