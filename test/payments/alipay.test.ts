import fc from 'fast-check';
import { createSign, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/platform/clock.js';
import type { OnlinePaymentProvider } from '../../src/payments/provider.js';
import { createAlipayProvider, fenToYuan, PaymentProviderError, yuanToFen } from '../../src/payments/providers/index.js';

/*
 * The adapter runs on the real alipay-sdk against a local HTTP server that plays Alipay's gateway:
 * it checks the RSA2 signature of every request with the application's public key and answers
 * signed with "Alipay's" private key, as https://opendocs.alipay.com/common/02kf5q describes.
 */

const APP_ID = '2021000122671080';
const SELLER_ID = '2088102177846880';
const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const appKeys = rsa();
const alipayKeys = rsa();
const strangerKeys = rsa();

interface GatewayRequest {
  method: string;
  params: Record<string, string>;
  bizContent: Record<string, unknown>;
  signatureValid: boolean;
}

/** Alipay's signing text: every parameter but `sign`, sorted by name, `name=value` joined by `&`. */
function signingText(params: Record<string, string>, exclude: string[]): string {
  return Object.keys(params)
    .filter((name) => !exclude.includes(name) && params[name] !== '')
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .join('&');
}

function rsa2Sign(text: string, key: KeyObject): string {
  return createSign('RSA-SHA256').update(text, 'utf8').sign(key, 'base64');
}

function rsa2Verify(text: string, signature: string, key: KeyObject): boolean {
  return createVerify('RSA-SHA256').update(text, 'utf8').verify(key, signature, 'base64');
}

type Answer = Record<string, unknown>;

class FakeAlipayGateway {
  readonly requests: GatewayRequest[] = [];
  answers = new Map<string, (request: GatewayRequest) => Answer>();
  /** The key the gateway signs its answers with ("Alipay's" unless a test swaps it). */
  signingKey: KeyObject = alipayKeys.privateKey;
  #server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://gateway');
        const params: Record<string, string> = Object.fromEntries(url.searchParams);
        for (const [name, value] of new URLSearchParams(body)) params[name] = value;
        const request: GatewayRequest = {
          method: params.method ?? '',
          params,
          bizContent: params.biz_content ? (JSON.parse(params.biz_content) as Record<string, unknown>) : {},
          signatureValid: rsa2Verify(signingText(params, ['sign']), params.sign ?? '', appKeys.publicKey),
        };
        this.requests.push(request);
        const answer: Answer = request.signatureValid
          ? (this.answers.get(request.method)?.(request) ?? { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.SYSTEM_ERROR' })
          : { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature' };
        const content = JSON.stringify(answer);
        const responseKey = `${request.method.replaceAll('.', '_')}_response`;
        res.setHeader('content-type', 'application/json;charset=utf-8');
        res.end(`{"${responseKey}":${content},"sign":"${rsa2Sign(content, this.signingKey)}"}`);
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/gateway.do`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  last(method: string): GatewayRequest {
    const found = this.requests.filter((request) => request.method === method).at(-1);
    if (!found) throw new Error(`the gateway received no ${method}`);
    return found;
  }
}

const gateway = new FakeAlipayGateway();
const clock = new TestClock('2026-12-03T04:00:00.000Z'); // 12:00 in Beijing

function provider(overrides: { flow?: 'qr' | 'page'; alipayPublicKey?: KeyObject } = {}): OnlinePaymentProvider {
  return createAlipayProvider({
    appId: APP_ID,
    appPrivateKey: appKeys.privateKey,
    alipayPublicKey: overrides.alipayPublicKey ?? alipayKeys.publicKey,
    gateway: gateway.url,
    flow: overrides.flow ?? 'qr',
    sellerId: SELLER_ID,
    clock,
  });
}

const paymentRequest = {
  merchantReference: 'pi_20261203_0001',
  amountFen: 123_45,
  description: 'Videophone 账单 2026-11',
  expiresAt: new Date('2026-12-03T04:30:00.000Z'),
  notifyUrl: 'https://vp.example/api/payments/notify/alipay',
  returnUrl: 'https://vp.example/portal/payments/pi_20261203_0001',
};

beforeAll(() => gateway.start());
afterAll(() => gateway.stop());

describe('Alipay amounts: yuan text ⇄ integer fen, exactly', () => {
  it('writes fen as yuan with two decimals', () => {
    expect(fenToYuan(1)).toBe('0.01');
    expect(fenToYuan(97)).toBe('0.97');
    expect(fenToYuan(123_45)).toBe('123.45');
    expect(fenToYuan(100_000_000_00)).toBe('100000000.00');
  });

  it('reads yuan without passing through a float (1.15 × 100 is 114.999… in binary)', () => {
    expect(yuanToFen('1.15')).toBe(115);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen('12.3')).toBe(12_30);
    expect(yuanToFen('88')).toBe(88_00);
    expect(yuanToFen('9007199254740.99')).toBe(900_719_925_474_099);
  });

  it('refuses anything that is not a plain non-negative amount with at most two decimals', () => {
    for (const text of ['1.005', '-1.00', '1e3', ' 1.00', '1.', '.5', '', '0x10', '１.00', '1,000.00']) expect(yuanToFen(text)).toBeNull();
  });

  it('round-trips every amount in fen, and every valid yuan text to its canonical form', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fen) => yuanToFen(fenToYuan(fen)) === fen));
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.integer({ min: 0, max: 2 }), (whole, decimals) => {
        const fraction = decimals === 0 ? '' : `.${String(whole % 10n ** BigInt(decimals)).padStart(decimals, '0')}`;
        const text = `${whole}${fraction}`;
        const fen = yuanToFen(text);
        // The same value read as a decimal by BigInt arithmetic: whole yuan × 100 + the fraction in fen.
        const expected = whole * 100n + (decimals === 0 ? 0n : BigInt(fraction.slice(1).padEnd(2, '0')));
        return fen === Number(expected) && fenToYuan(fen) === `${whole}.${String(expected % 100n).padStart(2, '0')}`;
      }),
    );
  });
});

describe('Alipay face-to-face precreate (QR)', () => {
  it('sends a request the gateway verifies with the application’s public key, and shows the QR code Alipay answers', async () => {
    gateway.answers.set('alipay.trade.precreate', (request) => ({
      code: '10000',
      msg: 'Success',
      out_trade_no: request.bizContent.out_trade_no,
      qr_code: 'https://qr.alipay.com/bax00000000000000000',
    }));
    const created = await provider().createPayment(paymentRequest);

    expect(created.action).toEqual({ kind: 'qr', qrContent: 'https://qr.alipay.com/bax00000000000000000' });
    const request = gateway.last('alipay.trade.precreate');
    expect(request.signatureValid).toBe(true);
    expect(request.params).toMatchObject({
      app_id: APP_ID,
      sign_type: 'RSA2',
      charset: 'utf-8',
      notify_url: paymentRequest.notifyUrl,
      timestamp: '2026-12-03 12:00:00',
    });
    expect(request.bizContent).toEqual({
      out_trade_no: 'pi_20261203_0001',
      total_amount: '123.45',
      subject: 'Videophone 账单 2026-11',
      time_expire: '2026-12-03 12:30:00',
    });
  });

  it('believes no answer signed with another key than Alipay’s', async () => {
    gateway.signingKey = strangerKeys.privateKey;
    try {
      const refused = provider().createPayment(paymentRequest);
      await expect(refused).rejects.toBeInstanceOf(PaymentProviderError);
      await expect(refused).rejects.toMatchObject({ code: 'invalid-answer', message: expect.stringContaining('验签失败') });
    } finally {
      gateway.signingKey = alipayKeys.privateKey;
    }
  });

  it('reports Alipay’s refusal with its sub_code', async () => {
    gateway.answers.set('alipay.trade.precreate', () => ({
      code: '40004',
      msg: 'Business Failed',
      sub_code: 'ACQ.TRADE_HAS_SUCCESS',
      sub_msg: '交易已被支付',
    }));
    await expect(provider().createPayment(paymentRequest)).rejects.toMatchObject({ provider: 'alipay', code: 'ACQ.TRADE_HAS_SUCCESS' });
  });
});

describe('Alipay computer-website pay (redirect)', () => {
  it('sends the subscriber to a gateway URL signed with the application’s key, carrying the return and notify URLs', async () => {
    const created = await provider({ flow: 'page' }).createPayment(paymentRequest);

    expect(created.action.kind).toBe('redirect');
    const url = new URL(created.action.kind === 'redirect' ? created.action.url : '');
    expect(`${url.origin}${url.pathname}`).toBe(gateway.url);
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      method: 'alipay.trade.page.pay',
      app_id: APP_ID,
      return_url: paymentRequest.returnUrl,
      notify_url: paymentRequest.notifyUrl,
    });
    expect(rsa2Verify(signingText(params, ['sign']), params.sign ?? '', appKeys.publicKey)).toBe(true);
    expect(JSON.parse(params.biz_content ?? '{}')).toMatchObject({ product_code: 'FAST_INSTANT_TRADE_PAY', total_amount: '123.45' });
  });
});

describe('Alipay asynchronous notification', () => {
  /** A notification as Alipay sends it: form-encoded, signed over every field but sign and sign_type. */
  function notification(fields: Record<string, string>, key: KeyObject = alipayKeys.privateKey) {
    const all: Record<string, string> = {
      gmt_create: '2026-12-03 12:01:02',
      charset: 'utf-8',
      seller_email: 'operator@vp.example',
      subject: 'Videophone 账单 2026-11 & 50% off+',
      buyer_id: '2088102177296610',
      invoice_amount: '123.45',
      notify_id: '2026120300222120103096610577001',
      fund_bill_list: '[{"amount":"123.45","fundChannel":"ALIPAYACCOUNT"}]',
      notify_type: 'trade_status_sync',
      trade_status: 'TRADE_SUCCESS',
      receipt_amount: '123.45',
      app_id: APP_ID,
      buyer_pay_amount: '123.45',
      sign_type: 'RSA2',
      seller_id: SELLER_ID,
      gmt_payment: '2026-12-03 12:01:03',
      notify_time: '2026-12-03 12:01:04',
      version: '1.0',
      out_trade_no: 'pi_20261203_0001',
      total_amount: '123.45',
      trade_no: '2026120322001496610500001234',
      auth_app_id: APP_ID,
      buyer_logon_id: 'ali***@example.com',
      point_amount: '0.00',
      ...fields,
    };
    all.sign = rsa2Sign(signingText(all, ['sign', 'sign_type']), key);
    return { headers: {}, contentType: 'application/x-www-form-urlencoded; charset=utf-8', rawBody: new URLSearchParams(all).toString() };
  }

  it('verifies a paid trade and acknowledges it with the body Alipay expects', async () => {
    const verified = await provider().verifyNotification(notification({}), clock.now());

    expect(verified).toEqual({
      ok: true,
      outcome: {
        merchantReference: 'pi_20261203_0001',
        providerReference: '2026120322001496610500001234',
        status: 'succeeded',
        amountFen: 123_45,
        paidAt: new Date('2026-12-03T04:01:03.000Z'),
      },
      acknowledgement: { status: 200, contentType: 'text/plain; charset=utf-8', body: 'success' },
    });
  });

  it('maps TRADE_FINISHED to succeeded and TRADE_CLOSED to closed', async () => {
    const finished = await provider().verifyNotification(notification({ trade_status: 'TRADE_FINISHED' }), clock.now());
    const closed = await provider().verifyNotification(notification({ trade_status: 'TRADE_CLOSED' }), clock.now());
    expect(finished.ok && finished.outcome.status).toBe('succeeded');
    expect(closed.ok && closed.outcome.status).toBe('closed');
  });

  it('refuses a notification whose amount was changed after signing', async () => {
    const genuine = notification({});
    const tampered = { ...genuine, rawBody: genuine.rawBody.replace('total_amount=123.45', 'total_amount=1234.50') };
    expect(tampered.rawBody).not.toBe(genuine.rawBody);
    expect(await provider().verifyNotification(tampered, clock.now())).toMatchObject({ ok: false });
  });

  it('refuses a notification signed with any key but Alipay’s', async () => {
    expect(await provider().verifyNotification(notification({}, strangerKeys.privateKey), clock.now())).toMatchObject({ ok: false });
    expect(await provider({ alipayPublicKey: strangerKeys.publicKey }).verifyNotification(notification({}), clock.now())).toMatchObject({
      ok: false,
    });
  });

  it('refuses a genuinely signed notification for another application or another seller', async () => {
    expect(await provider().verifyNotification(notification({ app_id: '2021000000000001' }), clock.now())).toMatchObject({
      ok: false,
      reason: expect.stringContaining('another application'),
    });
    expect(await provider().verifyNotification(notification({ seller_id: '2088000000000001' }), clock.now())).toMatchObject({
      ok: false,
      reason: expect.stringContaining('another seller'),
    });
  });

  it('refuses a genuinely signed notification whose amount is not yuan with two decimals, or whose status is unknown', async () => {
    for (const total_amount of ['123.456', '-1.00', 'abc', '']) {
      expect(await provider().verifyNotification(notification({ total_amount }), clock.now())).toMatchObject({ ok: false });
    }
    expect(await provider().verifyNotification(notification({ trade_status: 'TRADE_PENDING' }), clock.now())).toMatchObject({ ok: false });
  });

  it('refuses a body that is not form-encoded, or repeats a field', async () => {
    const genuine = notification({});
    expect(await provider().verifyNotification({ ...genuine, contentType: 'application/json' }, clock.now())).toMatchObject({ ok: false });
    const repeated = { ...genuine, rawBody: `${genuine.rawBody}&total_amount=0.01` };
    expect(await provider().verifyNotification(repeated, clock.now())).toMatchObject({ ok: false });
  });
});

describe('Alipay trade query', () => {
  it('tells the trade’s status and amount as Alipay records them', async () => {
    gateway.answers.set('alipay.trade.query', (request) => ({
      code: '10000',
      msg: 'Success',
      out_trade_no: request.bizContent.out_trade_no,
      trade_no: '2026120322001496610500001234',
      trade_status: 'TRADE_SUCCESS',
      total_amount: '123.45',
      send_pay_date: '2026-12-03 12:01:03',
      buyer_logon_id: 'ali***@example.com',
    }));
    expect(await provider().queryPayment('pi_20261203_0001')).toEqual({
      merchantReference: 'pi_20261203_0001',
      providerReference: '2026120322001496610500001234',
      status: 'succeeded',
      amountFen: 123_45,
      paidAt: new Date('2026-12-03T04:01:03.000Z'),
    });
    expect(gateway.last('alipay.trade.query')).toMatchObject({ signatureValid: true, bizContent: { out_trade_no: 'pi_20261203_0001' } });
  });

  it('answers null for a precreated trade nobody has scanned yet (ACQ.TRADE_NOT_EXIST)', async () => {
    gateway.answers.set('alipay.trade.query', () => ({
      code: '40004',
      msg: 'Business Failed',
      sub_code: 'ACQ.TRADE_NOT_EXIST',
      sub_msg: '交易不存在',
    }));
    expect(await provider().queryPayment('pi_never_scanned')).toBeNull();
  });
});

describe('Alipay refund', () => {
  const refundRequest = {
    merchantReference: 'pi_20261203_0001',
    refundReference: 'rf_20261210_0001',
    amountFen: 50,
    originalAmountFen: 123_45,
    reason: 'credit refunded on termination',
  };

  it('refunds under our refund reference as out_request_no, and reports success when money moved', async () => {
    gateway.answers.set('alipay.trade.refund', (request) => ({
      code: '10000',
      msg: 'Success',
      trade_no: '2026120322001496610500001234',
      out_trade_no: request.bizContent.out_trade_no,
      refund_fee: request.bizContent.refund_amount,
      fund_change: 'Y',
    }));
    expect(await provider().refund(refundRequest)).toEqual({
      refundReference: 'rf_20261210_0001',
      providerRefundReference: '2026120322001496610500001234:rf_20261210_0001',
      status: 'succeeded',
    });
    expect(gateway.last('alipay.trade.refund')).toMatchObject({
      signatureValid: true,
      bizContent: { out_trade_no: 'pi_20261203_0001', out_request_no: 'rf_20261210_0001', refund_amount: '0.50' },
    });
  });

  it('asks the refund query when a repeated refund moves no money (fund_change N)', async () => {
    gateway.answers.set('alipay.trade.refund', () => ({
      code: '10000',
      msg: 'Success',
      trade_no: '2026120322001496610500001234',
      fund_change: 'N',
    }));
    gateway.answers.set('alipay.trade.fastpay.refund.query', (request) => ({
      code: '10000',
      msg: 'Success',
      out_request_no: request.bizContent.out_request_no,
      refund_status: 'REFUND_SUCCESS',
      refund_amount: '0.50',
    }));
    expect(await provider().refund(refundRequest)).toMatchObject({ status: 'succeeded' });
    expect(gateway.last('alipay.trade.fastpay.refund.query').bizContent).toMatchObject({ out_request_no: 'rf_20261210_0001' });
  });

  it('reports a business refusal as a failed refund', async () => {
    gateway.answers.set('alipay.trade.refund', () => ({
      code: '40004',
      msg: 'Business Failed',
      sub_code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL',
    }));
    expect(await provider().refund(refundRequest)).toMatchObject({ status: 'failed' });
  });
});
