import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config/index.js';
import { providersFromConfig } from '../../src/payments/providers/index.js';

function faultsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.faults.map((fault) => `${fault.variable}: ${fault.message}`);
    throw error;
  }
  return [];
}

/** Key files as a merchant downloads them: PEM for WeChat Pay, Alipay's key tool's bare base64 for Alipay. */
function keyFiles() {
  const dir = mkdtempSync(path.join(tmpdir(), 'vp-pay-keys-'));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const bare = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
  const app = pair();
  const alipay = pair();
  const merchant = pair();
  const platform = pair();
  return {
    ALIPAY_APP_ID: '2021000122671080',
    ALIPAY_PRIVATE_KEY_FILE: write('alipay-app-private.txt', bare(app.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())),
    ALIPAY_PUBLIC_KEY_FILE: write('alipay-public.txt', bare(alipay.publicKey.export({ type: 'spki', format: 'pem' }).toString())),
    WECHATPAY_MCH_ID: '1900000109',
    WECHATPAY_APP_ID: 'wxd678efb567ab6787',
    WECHATPAY_SERIAL_NO: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    WECHATPAY_PRIVATE_KEY_FILE: write('apiclient_key.pem', merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    WECHATPAY_PLATFORM_PUBLIC_KEY_FILE: write('pub_key.pem', platform.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    WECHATPAY_PLATFORM_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000001092026120300000001',
    WECHATPAY_APIV3_KEY_FILE: write('apiv3.key', 'a7cde1ABcdEF2aBCDef3abCDeF4AbcDe\n'),
    notAKey: write('not-a-key.pem', 'hello'),
  };
}

const files = keyFiles();

describe('configuring Alipay and WeChat Pay', () => {
  it('has no real provider when none is configured', () => {
    const config = loadConfig({});
    expect(config.paymentProviders).toEqual({ alipay: null, wechatpay: null });
    expect(providersFromConfig(config)).toEqual([]);
  });

  it('builds both adapters from their variables and key files', () => {
    const { notAKey: _, ...environment } = files;
    const config = loadConfig(environment);
    expect(config.paymentProviders.alipay).toMatchObject({
      appId: '2021000122671080',
      gateway: 'https://openapi.alipay.com/gateway.do',
      flow: 'qr',
    });
    expect(config.paymentProviders.wechatpay).toMatchObject({ mchId: '1900000109', baseUrl: 'https://api.mch.weixin.qq.com/' });
    expect(providersFromConfig(config).map((provider) => provider.id)).toEqual(['alipay', 'wechatpay']);
  });

  it('names every missing credential of a provider configured by halves', () => {
    expect(faultsOf(() => loadConfig({ ALIPAY_APP_ID: '2021000122671080' }))).toEqual([
      'ALIPAY_PRIVATE_KEY_FILE: is required when ALIPAY_APP_ID is set',
      'ALIPAY_PUBLIC_KEY_FILE: is required when ALIPAY_APP_ID is set',
    ]);
    const { notAKey: _, WECHATPAY_APIV3_KEY_FILE: __, ...withoutApiV3Key } = files;
    expect(faultsOf(() => loadConfig(withoutApiV3Key))).toEqual([
      expect.stringMatching(/^WECHATPAY_APIV3_KEY_FILE: is required when WECHATPAY_MCH_ID, /),
    ]);
  });

  it('refuses malformed identifiers and an unknown flow', () => {
    const { notAKey: _, ...environment } = files;
    const faults = faultsOf(() =>
      loadConfig({ ...environment, ALIPAY_APP_ID: '2021-0001', WECHATPAY_APP_ID: 'gh_123', ALIPAY_FLOW: 'wap' }),
    );
    expect(faults.map((fault) => fault.split(':')[0])).toEqual(['ALIPAY_APP_ID', 'ALIPAY_FLOW', 'WECHATPAY_APP_ID']);
  });

  it('stops at start on a key file that is missing or holds no key, naming the variable', () => {
    const { notAKey, ...environment } = files;
    expect(faultsOf(() => providersFromConfig(loadConfig({ ...environment, ALIPAY_PUBLIC_KEY_FILE: notAKey })))).toEqual([
      expect.stringMatching(/^ALIPAY_PUBLIC_KEY_FILE: not an RSA public key/),
    ]);
    expect(
      faultsOf(() => providersFromConfig(loadConfig({ ...environment, WECHATPAY_PRIVATE_KEY_FILE: '/nonexistent/apiclient_key.pem' }))),
    ).toEqual([expect.stringMatching(/^WECHATPAY_PRIVATE_KEY_FILE: cannot read/)]);
    expect(faultsOf(() => providersFromConfig(loadConfig({ ...environment, WECHATPAY_APIV3_KEY_FILE: notAKey })))).toEqual([
      expect.stringMatching(/^WECHATPAY_APIV3_KEY_FILE: .* must hold the 32-character APIv3 key/),
    ]);
  });
});
