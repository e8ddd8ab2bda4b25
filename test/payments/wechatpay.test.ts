import { createCipheriv, createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingNotification, OnlinePaymentProvider } from '../../src/payments/provider.js';
import { createWechatPayProvider, PaymentProviderError } from '../../src/payments/providers/index.js';

/*
 * The adapter runs on the real wechatpay-axios-plugin against a local HTTP server that plays WeChat
 * Pay's API v3 (https://pay.weixin.qq.com/doc/v3/merchant/4012365336): it checks the
 * WECHATPAY2-SHA256-RSA2048 Authorization of every request with the merchant's public key and signs
 * its answers with "WeChat Pay's" key. Notifications are built here as WeChat Pay documents them:
 * the resource encrypted with AEAD_AES_256_GCM under the APIv3 key, the body signed over
 * `timestamp\nnonce\nbody\n`.
 */

const MCH_ID = '1900000109';
const APP_ID = 'wxd678efh567hg6787';
const MERCHANT_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const PLATFORM_KEY_ID = 'PUB_KEY_ID_0119000001092026120300000001';
const API_V3_KEY = Buffer.from('a7cde1ABcdEF2aBCDef3abCDeF4AbcDe'); // 32 characters, as the merchant platform sets it
const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const merchantKeys = rsa();
const platformKeys = rsa();
const strangerKeys = rsa();

function sign(text: string, key: KeyObject): string {
  return createSign('RSA-SHA256').update(text, 'utf8').sign(key, 'base64');
}

interface ApiRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
  authorization: Record<string, string>;
  signatureValid: boolean;
}

type Route = (request: ApiRequest) => { status: number; body?: unknown };

class FakeWechatPayApi {
  readonly requests: ApiRequest[] = [];
  readonly routes = new Map<string, Route>();
  signingKey: KeyObject = platformKeys.privateKey;
  #server: Server | undefined;
  baseUrl = '';

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        const header = req.headers.authorization ?? '';
        const authorization = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map(([, name, value]) => [name, value]));
        // Signed text: method\nURL (path and query)\ntimestamp\nnonce\nbody\n
        const message = `${req.method}\n${req.url}\n${authorization.timestamp}\n${authorization.nonce_str}\n${text}\n`;
        const signatureValid =
          header.startsWith('WECHATPAY2-SHA256-RSA2048 ') &&
          authorization.mchid === MCH_ID &&
          authorization.serial_no === MERCHANT_SERIAL &&
          createVerify('RSA-SHA256')
            .update(message, 'utf8')
            .verify(merchantKeys.publicKey, authorization.signature ?? '', 'base64');
        const request: ApiRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          authorization,
          signatureValid,
        };
        this.requests.push(request);
        const route = [...this.routes].find(([pattern]) => new RegExp(`^${pattern}$`).test(`${request.method} ${request.path}`))?.[1];
        const answer = !signatureValid
          ? { status: 401, body: { code: 'SIGN_ERROR', message: '签名错误' } }
          : (route?.(request) ?? { status: 404, body: { code: 'NOT_FOUND', message: 'no route' } });
        const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
        // WeChat Pay signs every answer with the real time; the SDK refuses one more than 5 minutes off.
        const timestamp = String(Math.floor(Date.now() / 1000));
        const nonce = randomBytes(16).toString('hex');
        res.writeHead(answer.status, {
          'content-type': 'application/json; charset=utf-8',
          'wechatpay-timestamp': timestamp,
          'wechatpay-nonce': nonce,
          'wechatpay-serial': PLATFORM_KEY_ID,
          'wechatpay-signature': sign(`${timestamp}\n${nonce}\n${body}\n`, this.signingKey),
        });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  last(): ApiRequest {
    const request = this.requests.at(-1);
    if (!request) throw new Error('the API received nothing');
    return request;
  }
}

const api = new FakeWechatPayApi();

function provider(overrides: { platformPublicKey?: KeyObject } = {}): OnlinePaymentProvider {
  return createWechatPayProvider({
    mchId: MCH_ID,
    appId: APP_ID,
    merchantSerialNo: MERCHANT_SERIAL,
    merchantPrivateKey: merchantKeys.privateKey,
    platformPublicKey: overrides.platformPublicKey ?? platformKeys.publicKey,
    platformPublicKeyId: PLATFORM_KEY_ID,
    apiV3Key: API_V3_KEY,
    baseUrl: api.baseUrl,
  });
}

const paymentRequest = {
  merchantReference: 'pi_20261203_0002',
  amountFen: 97,
  description: 'Videophone 终止结算',
  expiresAt: new Date('2026-12-03T04:30:00.000Z'),
  notifyUrl: 'https://vp.example/api/payments/notify/wechatpay',
  returnUrl: 'https://vp.example/portal/payments/pi_20261203_0002',
};

const paidTransaction = {
  appid: APP_ID,
  mchid: MCH_ID,
  out_trade_no: 'pi_20261203_0002',
  transaction_id: '4200000001202612030000000001',
  trade_type: 'NATIVE',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  bank_type: 'OTHERS',
  success_time: '2026-12-03T12:01:03+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 97, payer_total: 97, currency: 'CNY', payer_currency: 'CNY' },
};

beforeAll(() => api.start());
afterAll(() => api.stop());

describe('WeChat Pay Native order', () => {
  it('signs the order so WeChat Pay verifies it with the merchant’s public key, and shows the code_url it answers', async () => {
    api.routes.set('POST /v3/pay/transactions/native', () => ({
      status: 200,
      body: { code_url: 'weixin://wxpay/bizpayurl?pr=p4lpSuKzz' },
    }));
    const created = await provider().createPayment(paymentRequest);

    expect(created.action).toEqual({ kind: 'qr', qrContent: 'weixin://wxpay/bizpayurl?pr=p4lpSuKzz' });
    const request = api.last();
    expect(request.signatureValid).toBe(true);
    expect(request.body).toEqual({
      appid: APP_ID,
      mchid: MCH_ID,
      description: 'Videophone 终止结算',
      out_trade_no: 'pi_20261203_0002',
      time_expire: '2026-12-03T12:30:00+08:00',
      notify_url: 'https://vp.example/api/payments/notify/wechatpay',
      amount: { total: 97, currency: 'CNY' },
    });
  });

  it('believes no answer signed with another key than WeChat Pay’s', async () => {
    api.signingKey = strangerKeys.privateKey;
    try {
      const refused = provider().createPayment(paymentRequest);
      await expect(refused).rejects.toBeInstanceOf(PaymentProviderError);
      await expect(refused).rejects.toMatchObject({ code: 'EV3_RES_HEADER_SIGNATURE_DIGEST' });
    } finally {
      api.signingKey = platformKeys.privateKey;
    }
  });

  it('reports WeChat Pay’s refusal with its code', async () => {
    api.routes.set('POST /v3/pay/transactions/native', () => ({ status: 400, body: { code: 'ORDERPAID', message: '该订单已支付' } }));
    await expect(provider().createPayment(paymentRequest)).rejects.toMatchObject({ provider: 'wechatpay', code: 'ORDERPAID' });
  });
});

describe('WeChat Pay query by out_trade_no', () => {
  it('tells the transaction’s state and amount in fen', async () => {
    api.routes.set('GET /v3/pay/transactions/out-trade-no/pi_20261203_0002\\?mchid=1900000109', () => ({
      status: 200,
      body: paidTransaction,
    }));
    expect(await provider().queryPayment('pi_20261203_0002')).toEqual({
      merchantReference: 'pi_20261203_0002',
      providerReference: '4200000001202612030000000001',
      status: 'succeeded',
      amountFen: 97,
      paidAt: new Date('2026-12-03T04:01:03.000Z'),
    });
    expect(api.last()).toMatchObject({ signatureValid: true, method: 'GET' });
  });

  it('answers null for an order WeChat Pay does not know (ORDER_NOT_EXIST)', async () => {
    api.routes.set('GET /v3/pay/transactions/out-trade-no/pi_unknown.*', () => ({
      status: 404,
      body: { code: 'ORDER_NOT_EXIST', message: '订单不存在' },
    }));
    expect(await provider().queryPayment('pi_unknown')).toBeNull();
  });
});

describe('WeChat Pay refund', () => {
  const refundRequest = {
    merchantReference: 'pi_20261203_0002',
    refundReference: 'rf_20261210_0002',
    amountFen: 50,
    originalAmountFen: 97,
    reason: 'credit refunded on termination',
  };

  it('refunds under our refund reference as out_refund_no, with the original total WeChat Pay requires', async () => {
    api.routes.set('POST /v3/refund/domestic/refunds', (request) => ({
      status: 200,
      body: { refund_id: '50000000382019052709732678859', out_refund_no: request.body.out_refund_no, status: 'SUCCESS' },
    }));
    expect(await provider().refund(refundRequest)).toEqual({
      refundReference: 'rf_20261210_0002',
      providerRefundReference: '50000000382019052709732678859',
      status: 'succeeded',
    });
    expect(api.last()).toMatchObject({
      signatureValid: true,
      body: { out_trade_no: 'pi_20261203_0002', out_refund_no: 'rf_20261210_0002', amount: { refund: 50, total: 97, currency: 'CNY' } },
    });
  });

  it('reports PROCESSING as pending, a business refusal as failed, and throws on a server error to be retried', async () => {
    api.routes.set('POST /v3/refund/domestic/refunds', () => ({ status: 200, body: { refund_id: '5000', status: 'PROCESSING' } }));
    expect(await provider().refund(refundRequest)).toMatchObject({ status: 'pending' });
    api.routes.set('POST /v3/refund/domestic/refunds', () => ({ status: 403, body: { code: 'NOT_ENOUGH', message: '基本账户余额不足' } }));
    expect(await provider().refund(refundRequest)).toMatchObject({ status: 'failed' });
    api.routes.set('POST /v3/refund/domestic/refunds', () => ({ status: 500, body: { code: 'SYSTEM_ERROR', message: '系统错误' } }));
    await expect(provider().refund(refundRequest)).rejects.toMatchObject({ code: 'SYSTEM_ERROR' });
  });
});

describe('WeChat Pay payment notification', () => {
  const now = new Date('2026-12-03T04:01:05.000Z');
  const nowSeconds = Math.floor(now.getTime() / 1000);

  /** AEAD_AES_256_GCM as WeChat Pay documents it: base64(ciphertext ‖ 16-byte tag), 12-character nonce, associated data. */
  function encryptResource(plaintext: string, key: Buffer, nonce: string, associatedData: string): string {
    const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(nonce)).setAAD(Buffer.from(associatedData));
    return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
  }

  function notification(
    options: { transaction?: Record<string, unknown>; key?: KeyObject; timestamp?: number; serial?: string; apiV3Key?: Buffer } = {},
  ): IncomingNotification {
    const nonce = 'fdasflkja484';
    const envelope = {
      id: 'EV-2026120312010300001',
      create_time: '2026-12-03T12:01:04+08:00',
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: {
        original_type: 'transaction',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: encryptResource(
          JSON.stringify(options.transaction ?? paidTransaction),
          options.apiV3Key ?? API_V3_KEY,
          nonce,
          'transaction',
        ),
        associated_data: 'transaction',
        nonce,
      },
    };
    const body = JSON.stringify(envelope);
    const timestamp = String(options.timestamp ?? nowSeconds);
    const headerNonce = 'n6k0ZrZ6O1bsqeXBk3SXHqT1jyEwlCcF';
    return {
      headers: {
        'wechatpay-timestamp': timestamp,
        'wechatpay-nonce': headerNonce,
        'wechatpay-serial': options.serial ?? PLATFORM_KEY_ID,
        'wechatpay-signature': sign(`${timestamp}\n${headerNonce}\n${body}\n`, options.key ?? platformKeys.privateKey),
        'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
      },
      contentType: 'application/json',
      rawBody: body,
    };
  }

  it('verifies the signature, decrypts the resource and acknowledges with 204', async () => {
    expect(await provider().verifyNotification(notification(), now)).toEqual({
      ok: true,
      outcome: {
        merchantReference: 'pi_20261203_0002',
        providerReference: '4200000001202612030000000001',
        status: 'succeeded',
        amountFen: 97,
        paidAt: new Date('2026-12-03T04:01:03.000Z'),
      },
      acknowledgement: { status: 204, contentType: 'application/json', body: '' },
    });
  });

  it('refuses a body changed after signing', async () => {
    const genuine = notification();
    const tampered = { ...genuine, rawBody: genuine.rawBody.replace('EV-2026120312010300001', 'EV-2026120312010300002') };
    expect(await provider().verifyNotification(tampered, now)).toMatchObject({ ok: false, reason: expect.stringContaining('signature') });
  });

  it('refuses a notification signed with another key, or naming a key it does not have', async () => {
    expect(await provider().verifyNotification(notification({ key: strangerKeys.privateKey }), now)).toMatchObject({ ok: false });
    expect(await provider({ platformPublicKey: strangerKeys.publicKey }).verifyNotification(notification(), now)).toMatchObject({
      ok: false,
    });
    expect(await provider().verifyNotification(notification({ serial: 'PUB_KEY_ID_0000000000' }), now)).toMatchObject({ ok: false });
  });

  it('accepts a timestamp up to 5 minutes from now and refuses a staler or later one (replays)', async () => {
    expect(await provider().verifyNotification(notification({ timestamp: nowSeconds - 300 }), now)).toMatchObject({ ok: true });
    expect(await provider().verifyNotification(notification({ timestamp: nowSeconds - 301 }), now)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('timestamp'),
    });
    expect(await provider().verifyNotification(notification({ timestamp: nowSeconds + 301 }), now)).toMatchObject({ ok: false });
  });

  it('refuses a resource encrypted with another APIv3 key', async () => {
    const otherKey = Buffer.from('0123456789abcdef0123456789abcdef');
    expect(await provider().verifyNotification(notification({ apiV3Key: otherKey }), now)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('decrypt'),
    });
  });

  it('refuses a genuine notification whose amount is not a positive number of fen in CNY', async () => {
    for (const amount of [
      { total: '97', currency: 'CNY' },
      { total: 0.97, currency: 'CNY' },
      { total: 0, currency: 'CNY' },
      { total: 97, currency: 'USD' },
      {},
    ]) {
      const verified = await provider().verifyNotification(notification({ transaction: { ...paidTransaction, amount } }), now);
      expect(verified, JSON.stringify(amount)).toMatchObject({ ok: false });
    }
  });

  it('refuses a genuine notification for another merchant or application', async () => {
    expect(
      await provider().verifyNotification(notification({ transaction: { ...paidTransaction, mchid: '1900000001' } }), now),
    ).toMatchObject({ ok: false });
    expect(
      await provider().verifyNotification(notification({ transaction: { ...paidTransaction, appid: 'wx0000000000000000' } }), now),
    ).toMatchObject({
      ok: false,
    });
  });

  it('maps the trade states: CLOSED is closed, PAYERROR failed, NOTPAY pending', async () => {
    for (const [tradeState, status] of [
      ['CLOSED', 'closed'],
      ['PAYERROR', 'failed'],
      ['NOTPAY', 'pending'],
    ] as const) {
      const verified = await provider().verifyNotification(
        notification({ transaction: { ...paidTransaction, trade_state: tradeState } }),
        now,
      );
      expect(verified.ok && verified.outcome.status).toBe(status);
    }
  });
});
