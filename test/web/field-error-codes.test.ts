import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { fieldErrorCodes } from '../../src/platform/field-error-codes.js';
import { en } from '../../web/src/i18n/en.js';
import { zhCN } from '../../web/src/i18n/zh-CN.js';

/** Every code the server can blame a field with has words in both languages, and no English in Chinese. */
describe('the words for field error codes', () => {
  it('covers every server code in Chinese and English', () => {
    for (const messages of [zhCN, en]) {
      const words = messages.fieldErrors as Record<string, unknown>;
      expect(fieldErrorCodes.filter((code) => typeof words[code] !== 'string')).toEqual([]);
    }
  });

  it('reads as Chinese in Chinese, with its parameters filled in', async () => {
    const instance = i18next.createInstance();
    await instance.init({ lng: 'zh-CN', resources: { 'zh-CN': { translation: zhCN } }, interpolation: { escapeValue: false } });
    for (const code of fieldErrorCodes) {
      const text = instance.t(`fieldErrors.${code}`, { limit: 18 });
      expect(text, code).toMatch(/[\u4e00-\u9fff]/);
      expect(text, code).not.toMatch(/[A-Za-z]{3,}/);
      expect(text, code).not.toContain('{{');
    }
  });
});

describe('the settings page', () => {
  it('describes every operator setting in both languages, with its clause', async () => {
    const { settingsSchema } = await import('../../src/platform/config/settings.js');
    const names = Object.keys(settingsSchema.properties);
    for (const messages of [zhCN, en]) {
      const described = messages.settingDescriptions as Record<string, { name: string; meaning: string; clause: string } | undefined>;
      expect(names.filter((name) => !described[name]?.name || !described[name]?.meaning || !described[name]?.clause)).toEqual([]);
      expect(Object.keys(described).filter((name) => !names.includes(name))).toEqual([]);
    }
  });
});
