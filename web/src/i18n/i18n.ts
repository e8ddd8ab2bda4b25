import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN, type Messages } from './zh-CN';

declare module 'i18next' {
  // Makes `t("some.key")` a type error when the key does not exist.
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];

const defaultLanguage: Language = 'zh-CN';
const storageKey = 'videophone.language';

export function isLanguage(value: string | null): value is Language {
  return (languages as readonly (string | null)[]).includes(value);
}

function storedLanguage(): Language | null {
  // Storage can be unavailable (private browsing, blocked cookies); the default language still works.
  try {
    const value = window.localStorage.getItem(storageKey);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

/** The browser's preference, when it names one of ours: an English browser gets English. */
function browserLanguage(): Language | null {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return null;
}

function storeLanguage(language: Language): void {
  try {
    window.localStorage.setItem(storageKey, language);
  } catch {
    // Not persisting is acceptable: the choice still applies to this page.
  }
}

function reflectInDocument(language: string): void {
  document.documentElement.lang = language;
  document.title = i18next.t('app.name');
}

export function initI18n(): void {
  i18next.on('languageChanged', reflectInDocument);
  void i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    // A stored choice wins; else the browser's language; else Chinese, which the operator's staff
    // and subscribers read first.
    lng: storedLanguage() ?? browserLanguage() ?? defaultLanguage,
    fallbackLng: defaultLanguage,
    supportedLngs: languages,
    // Resources are bundled, so initialising synchronously lets the first render be translated.
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes already.
    showSupportNotice: false, // no advertisement in the subscriber's browser console
  });
  reflectInDocument(i18next.language);
}

export function changeLanguage(language: Language): void {
  storeLanguage(language);
  void i18next.changeLanguage(language);
}
