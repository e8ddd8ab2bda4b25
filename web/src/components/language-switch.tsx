import { useTranslation } from 'react-i18next';
import { changeLanguage, isLanguage, languages, type Language } from '../i18n/i18n';

// Each language is named in itself, so a reader who cannot read the current one still finds theirs.
const languageNames: Record<Language, string> = { 'zh-CN': '简体中文', en: 'English' };

export function LanguageSwitch() {
  const { i18n } = useTranslation();
  return (
    <label className="language-switch">
      <GlobeIcon />
      <select
        data-testid="language-switch"
        // Bilingual on purpose, for the same reason as the option names.
        aria-label="语言 / Language"
        value={i18n.resolvedLanguage ?? i18n.language}
        onChange={(event) => {
          if (isLanguage(event.target.value)) changeLanguage(event.target.value);
        }}
      >
        {languages.map((language) => (
          <option key={language} value={language} lang={language}>
            {languageNames[language]}
          </option>
        ))}
      </select>
    </label>
  );
}

function GlobeIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="1.8">
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9c-2.5-2.6-3.8-5.6-3.8-9S9.5 5.6 12 3z" />
    </svg>
  );
}
