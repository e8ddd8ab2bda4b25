import { FormProblem } from '../../components/form-errors';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { TextField } from '../../components/text-field';
import { putJson } from '../../lib/api-client';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import type { NoticeContact } from './notices-api';

/** Where the subscriber's notices are e-mailed, and the language they are written in. */
export function NoticeContactForm() {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<NoticeContact>('/api/portal/notice-contact');
  const [email, setEmail] = useState('');
  const [language, setLanguage] = useState<NoticeContact['language']>('zh-CN');
  const [saved, setSaved] = useState(false);
  const action = useAction();

  useEffect(() => {
    if (state.status === 'success') {
      setEmail(state.data.email ?? '');
      setLanguage(state.data.language);
    }
  }, [state]);

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault();
    setSaved(false);
    const done = await action.run(() => putJson<NoticeContact>('/api/portal/notice-contact', { email: email.trim() || null, language }));
    if (done) {
      setSaved(true);
      reload();
    }
  }

  return (
    <FormProblem error={action.error}>
      <form className="card stack" onSubmit={(event) => void save(event)} data-testid="notice-contact-form">
        <h2>{t('notices.contactTitle')}</h2>
        <TextField
          id="notice-email"
          label={t('notices.email')}
          hint={t('notices.emailHint')}
          type="email"
          value={email}
          onValueChange={setEmail}
        />
        <div className="field">
          <label htmlFor="notice-language">{t('notices.language')}</label>
          <select
            id="notice-language"
            data-testid="notice-language"
            value={language}
            onChange={(event) => setLanguage(event.target.value as NoticeContact['language'])}
          >
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </select>
        </div>
        <div>
          <button type="submit" className="button" disabled={action.busy}>
            {t('notices.save')}
          </button>
        </div>
        {saved && (
          <p className="notice" role="status" data-testid="notice-contact-saved">
            {t('notices.saved')}
          </p>
        )}
        {action.error !== null && <ProblemAlert error={action.error} />}
      </form>
    </FormProblem>
  );
}
