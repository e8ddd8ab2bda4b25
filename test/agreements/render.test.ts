import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agreementParameters, loadOrCreateOperatorSeal, renderAgreement, type AgreementParameters } from '../../src/agreements/index.js';
import { percent } from '../../src/agreements/render.js';
import { loadConfig } from '../../src/platform/config/config.js';
import type { Settings } from '../../src/platform/config/settings.js';

const settings: Settings = {
  ...loadConfig({ NODE_ENV: 'test' }).settings,
  providerName: '榕城宽带有限公司',
  providerWebsite: 'https://videophone.rongcheng.example',
  arbitrationBody: '福州仲裁委员会',
  lateFeeRatePerDay: '0.003',
  outageCreditThresholdHours: 12,
  objectionWindowMonths: 2,
  warrantyMonths: 18,
};
const order = { planName: '家庭视频 30', monthlyRentFen: 30_00, creditLimitFen: 200_00 };
const parameters: AgreementParameters = agreementParameters(settings, order);

describe('rendering the agreement text', () => {
  it('gives the same bytes for the same inputs, in both languages', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const first = Buffer.from(renderAgreement(1, language, parameters), 'utf8');
      const second = Buffer.from(renderAgreement(1, language, structuredClone(parameters)), 'utf8');
      expect(first.equals(second)).toBe(true);
    }
  });

  it('prints the operator’s parameters and the order in Chinese', () => {
    const text = renderAgreement(1, 'zh-CN', parameters);
    for (const expected of [
      '榕城宽带有限公司',
      'https://videophone.rongcheng.example',
      '福州仲裁委员会',
      '所欠费用的0.3%',
      '连续不足12小时',
      '公告发布后2个月内',
      '保修期为18个月',
      '家庭视频 30',
      '¥30.00',
      '¥200.00',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text.match(/^第.+条 /gm)).toHaveLength(18);
  });

  it('prints the operator’s parameters and the order in English', () => {
    const text = renderAgreement(1, 'en', parameters);
    for (const expected of [
      '榕城宽带有限公司',
      'https://videophone.rongcheng.example',
      'submitted directly to 福州仲裁委员会',
      'a late fee of 0.3% of the unpaid amount per day',
      'shorter than 12 consecutive hours',
      'within 2 month(s)',
      'for 18 months from delivery',
      'Plan chosen: 家庭视频 30; monthly rent: ¥30.00; credit limit: ¥200.00',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text.match(/^\d+\. /gm)).toHaveLength(18);
  });

  it('leaves a placeholder for the order when there is none yet', () => {
    expect(renderAgreement(1, 'en', agreementParameters(settings, null))).toContain('Plan chosen: as stated in the order;');
    expect(renderAgreement(1, 'zh-CN', agreementParameters(settings, null))).toContain('所选套餐：以订单为准');
  });

  it('refuses a version that has no text', () => {
    expect(() => renderAgreement(99, 'en', parameters)).toThrow('no text for agreement version 99');
  });

  it('version 2 differs from version 1 only in its title and clauses 15 and 16, and fills every blank', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const v1 = renderAgreement(1, language, parameters).split('\n');
      const v2 = renderAgreement(2, language, parameters).split('\n');
      expect(v2).toHaveLength(v1.length);
      const changed = v2.flatMap((line, i) => (line === v1[i] ? [] : [i]));
      const clause15 = v2.findIndex((line) => line === '15. Changes to this agreement' || line === '第十五条 协议变更');
      expect(changed).toEqual([0, clause15 + 1, clause15 + 4]);
      const text = v2.join('\n');
      expect(text).toContain(language === 'en' ? '(version 2)' : '（第2版）');
      expect(text).toContain('福州仲裁委员会');
      expect(text).toContain(language === 'en' ? '2 month(s) after the notice' : '2个月后的对应日');
      expect(text).not.toMatch(/undefined|\$\{/);
    }
  });

  it('writes daily rates as exact percentages', () => {
    expect([percent('0.003'), percent('0.0005'), percent('0.1'), percent('0'), percent('0.123456789')]).toEqual([
      '0.3%',
      '0.05%',
      '10%',
      '0%',
      '12.3456789%',
    ]);
  });
});

describe('the operator’s seal kept under DATA_DIR', () => {
  it('is generated once, readable only by its owner, and the same key on the next start', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vp-seal-'));
    const first = loadOrCreateOperatorSeal(dataDir);
    const file = path.join(dataDir, 'secrets', 'agreement-seal.pem');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadOrCreateOperatorSeal(dataDir);
    expect(second.keyId).toBe(first.keyId);
    expect(first.keyId).toMatch(/^ed25519:[0-9a-f]{16}$/);
    expect(second.publicKeyPem).toBe(first.publicKeyPem);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
