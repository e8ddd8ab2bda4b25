import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { changeLanguage, isLanguage, languages } from '../../i18n/i18n';
import { useAction } from '../../lib/use-action';
import { Link } from '../../lib/router';
import { acceptLicence, fetchLicence, licenceDeviceId, type Licence, type LicenceLanguage } from './licence-api';
import './licence.css';

type Gate = { state: 'checking' } | { state: 'error'; error: unknown } | { state: 'asking'; licence: Licence } | { state: 'accepted' };

const languageNames: Record<LicenceLanguage, string> = { 'zh-CN': '中文', en: 'English' };

/**
 * Clause 3: the phone starts only once this device has accepted the licence in force. The server
 * refuses SIP credentials until then; `recheck` is for the phone to come back here when it is told so
 * (a new version took effect after this page checked).
 */
export function LicenceGate({ children }: { children: (deviceId: string, recheck: () => void) => ReactNode }) {
  const { i18n } = useTranslation();
  const language: LicenceLanguage = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  const [deviceId] = useState(licenceDeviceId);
  const [gate, setGate] = useState<Gate>({ state: 'checking' });
  const [checks, setChecks] = useState(0);
  const recheck = useCallback(() => {
    setGate({ state: 'checking' });
    setChecks((count) => count + 1);
  }, []);

  useEffect(() => {
    let current = true;
    fetchLicence(language, deviceId).then(
      (licence) => {
        if (!current) return;
        // Once accepted, a change of language does not ask again.
        setGate((previous) =>
          previous.state === 'accepted' ? previous : licence.accepted ? { state: 'accepted' } : { state: 'asking', licence },
        );
      },
      (error: unknown) => current && setGate({ state: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [language, deviceId, checks]);

  if (gate.state === 'accepted') return <>{children(deviceId, recheck)}</>;
  if (gate.state === 'error') return <ProblemAlert error={gate.error} testId="licence-error" />;
  if (gate.state === 'checking') return null;
  return <LicenceScreen licence={gate.licence} deviceId={deviceId} onAccepted={() => setGate({ state: 'accepted' })} />;
}

function LicenceScreen({ licence, deviceId, onAccepted }: { licence: Licence; deviceId: string; onAccepted: () => void }) {
  const { t, i18n } = useTranslation();
  const effectiveOn = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }).format(new Date(licence.effectiveAt));
  const action = useAction();
  const accept = () =>
    action.run(async () => {
      await acceptLicence({ version: licence.version, deviceId, language: licence.language });
      onAccepted();
    });
  return (
    <div
      className="licence-screen"
      role="dialog"
      aria-modal="true"
      aria-labelledby="licence-title"
      data-testid="softphone-licence"
      data-version={licence.version}
    >
      <section className="card licence-card">
        <header className="licence-header">
          <h1 id="licence-title">{t('licence.title')}</h1>
          <div className="licence-languages" role="group" aria-label={t('licence.textLanguage')}>
            {languages.map((option) => (
              <button
                key={option}
                type="button"
                lang={option}
                className={`button button-small ${option === licence.language ? 'button-primary' : 'button-quiet'}`}
                aria-pressed={option === licence.language}
                data-testid={`licence-language-${option}`}
                onClick={() => changeLanguage(option)}
              >
                {languageNames[option]}
              </button>
            ))}
          </div>
        </header>
        <p className="muted">{t('licence.intro')}</p>
        <p className="small muted" data-testid="licence-version">
          {t('licence.version', { version: licence.version, date: effectiveOn })}
        </p>
        <div className="licence-text" lang={licence.language} tabIndex={0} data-testid="licence-text">
          {licence.text}
        </div>
        <p className="small muted">{t('licence.record')}</p>
        {action.error !== null && <ProblemAlert error={action.error} testId="licence-accept-error" />}
        <div className="licence-actions">
          <button
            type="button"
            className="button button-primary"
            data-testid="licence-accept"
            disabled={action.busy}
            onClick={() => void accept()}
          >
            {action.busy ? t('licence.accepting') : t('licence.accept')}
          </button>
          <Link to="/portal" className="button button-quiet" data-testid="licence-back-to-portal">
            {t('licence.backToPortal')}
          </Link>
        </div>
      </section>
    </div>
  );
}
