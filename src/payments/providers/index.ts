/**
 * The real online payment providers, built from the configuration. Each is on only when all of its
 * credentials are configured (`src/platform/config`); key files are read here, once, at start.
 */
import { systemClock, type Clock } from '../../platform/clock.js';
import type { Config } from '../../platform/config/index.js';
import type { OnlinePaymentProvider } from '../provider.js';
import { createAlipayProvider } from './alipay.js';
import { readApiV3Key, readPrivateKey, readPublicKey } from './keys.js';
import { createWechatPayProvider } from './wechatpay.js';

export { createAlipayProvider, fenToYuan, yuanToFen, type AlipayProviderOptions } from './alipay.js';
export { createWechatPayProvider, type WechatPayProviderOptions } from './wechatpay.js';
export { PaymentProviderError } from './provider-error.js';

/** The configured Alipay and WeChat Pay adapters; an empty list when neither is configured. */
export function providersFromConfig(config: Pick<Config, 'paymentProviders'>, clock: Clock = systemClock): OnlinePaymentProvider[] {
  const providers: OnlinePaymentProvider[] = [];
  const { alipay, wechatpay } = config.paymentProviders;
  if (alipay) {
    providers.push(
      createAlipayProvider({
        appId: alipay.appId,
        appPrivateKey: readPrivateKey(alipay.privateKeyFile, 'ALIPAY_PRIVATE_KEY_FILE'),
        alipayPublicKey: readPublicKey(alipay.alipayPublicKeyFile, 'ALIPAY_PUBLIC_KEY_FILE'),
        gateway: alipay.gateway,
        flow: alipay.flow,
        sellerId: alipay.sellerId,
        clock,
      }),
    );
  }
  if (wechatpay) {
    providers.push(
      createWechatPayProvider({
        mchId: wechatpay.mchId,
        appId: wechatpay.appId,
        merchantSerialNo: wechatpay.merchantSerialNo,
        merchantPrivateKey: readPrivateKey(wechatpay.privateKeyFile, 'WECHATPAY_PRIVATE_KEY_FILE'),
        platformPublicKey: readPublicKey(wechatpay.platformPublicKeyFile, 'WECHATPAY_PLATFORM_PUBLIC_KEY_FILE'),
        platformPublicKeyId: wechatpay.platformPublicKeyId,
        apiV3Key: readApiV3Key(wechatpay.apiV3KeyFile, 'WECHATPAY_APIV3_KEY_FILE'),
        baseUrl: wechatpay.baseUrl,
      }),
    );
  }
  return providers;
}
