/**
 * Alipay (支付宝) through its official Node SDK, `alipay-sdk` v4, on the OpenAPI gateway (the
 * `gateway.do` protocol, RSA2 signatures): face-to-face precreate for a QR code, or computer-website
 * page pay for a redirect, chosen by configuration; the asynchronous notification; trade query; refund.
 *
 * Alipay writes amounts as yuan text ("12.34"); this adapter converts to and from integer fen with
 * string arithmetic (`toDecimalText` / `parseMoney`), never through a float.
 */
import { AlipaySdk, AlipayRequestError, type AlipaySdkCommonResult } from 'alipay-sdk';
import type { KeyObject } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import { parseMoney, toDecimalText, type Fen } from '../../platform/money.js';
import type {
  AcknowledgementReply,
  CreatePaymentRequest,
  CreatedPayment,
  IncomingNotification,
  OnlinePaymentProvider,
  PaymentOutcome,
  RefundOutcome,
  RefundRequest,
  VerifiedNotification,
} from '../provider.js';
import { PaymentProviderError } from './provider-error.js';

export interface AlipayProviderOptions {
  appId: string;
  /** The application's private key: signs every request. */
  appPrivateKey: KeyObject;
  /** Alipay's public key: verifies answers and notifications. */
  alipayPublicKey: KeyObject;
  gateway: string;
  flow: 'qr' | 'page';
  /** The merchant's PID; when set, a notification for another seller is refused. */
  sellerId: string | null;
  clock: Clock;
  /** How long one gateway call may take (the SDK's default is 5 s). */
  timeoutMs?: number;
}

/** Alipay's answer code for success; anything else is a refusal with a `sub_code`. */
const SUCCESS_CODE = '10000';
/** Alipay's largest single payment, 100,000,000.00 yuan. */
const MAX_AMOUNT_FEN = 100_000_000_00;
/** Alipay expects the body "success" and nothing else; any other answer makes it retry (up to 25 h). */
const ACKNOWLEDGEMENT: AcknowledgementReply = { status: 200, contentType: 'text/plain; charset=utf-8', body: 'success' };

export function createAlipayProvider(options: AlipayProviderOptions): OnlinePaymentProvider {
  const sdk = new AlipaySdk({
    appId: options.appId,
    privateKey: options.appPrivateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    keyType: 'PKCS8',
    alipayPublicKey: options.alipayPublicKey.export({ type: 'spki', format: 'pem' }).toString(),
    gateway: options.gateway,
    signType: 'RSA2',
    // Keep Alipay's field names (trade_no, total_amount) as its documentation writes them.
    camelcase: false,
    timeout: options.timeoutMs ?? 5_000,
  });

  /** Calls one gateway method; the SDK signs the request and verifies the signature of the answer. */
  async function call(
    method: string,
    bizContent: Record<string, unknown>,
    extra: Record<string, string> = {},
  ): Promise<AlipaySdkCommonResult> {
    try {
      // The request's `timestamp` is Beijing time from the injected clock (the SDK would use the host's zone).
      return await sdk.exec(method, { bizContent, timestamp: beijingDateTime(options.clock.now()), ...extra }, { validateSign: true });
    } catch (error) {
      if (error instanceof AlipayRequestError) {
        // An answer came (responseDataRaw) but was not a valid signed answer, or nothing came at all.
        const code = error.code ?? (error.responseDataRaw !== undefined ? 'invalid-answer' : 'unreachable');
        throw new PaymentProviderError('alipay', code, error.message, { cause: error });
      }
      // The SDK throws plain errors too, e.g. for an answer without the signature it must verify.
      throw new PaymentProviderError('alipay', 'invalid-answer', (error as Error).message, { cause: error });
    }
  }

  async function createPayment(request: CreatePaymentRequest): Promise<CreatedPayment> {
    if (!Number.isSafeInteger(request.amountFen) || request.amountFen < 1 || request.amountFen > MAX_AMOUNT_FEN) {
      throw new RangeError(`Alipay takes 0.01 to 100000000.00 yuan, not ${request.amountFen} fen`);
    }
    const bizContent = {
      out_trade_no: request.merchantReference,
      total_amount: fenToYuan(request.amountFen),
      subject: request.description.slice(0, 256),
      time_expire: beijingDateTime(request.expiresAt),
    };
    if (options.flow === 'page') {
      // alipay.trade.page.pay is not called from here: the subscriber's browser opens the signed URL.
      const url = sdk.pageExecute('alipay.trade.page.pay', 'GET', {
        bizContent: { ...bizContent, product_code: 'FAST_INSTANT_TRADE_PAY' },
        notify_url: request.notifyUrl,
        return_url: request.returnUrl,
        timestamp: beijingDateTime(options.clock.now()),
      });
      return { action: { kind: 'redirect', url } };
    }
    const answer = await call('alipay.trade.precreate', bizContent, { notify_url: request.notifyUrl });
    if (answer.code !== SUCCESS_CODE || typeof answer.qr_code !== 'string') throw refusal(answer);
    return { action: { kind: 'qr', qrContent: answer.qr_code } };
  }

  async function verifyNotification(notification: IncomingNotification): Promise<VerifiedNotification> {
    if (!notification.contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return { ok: false, reason: 'an Alipay notification is form-encoded' };
    }
    const fields = formFields(notification.rawBody);
    if (!fields) return { ok: false, reason: 'a field appears twice' };
    // The signature covers every field but sign and sign_type, sorted by name, values as received.
    if (!sdk.checkNotifySignV2(fields)) return { ok: false, reason: 'the signature does not verify with Alipay’s public key' };
    if (fields.app_id !== options.appId) return { ok: false, reason: `notification for another application (${fields.app_id})` };
    if (options.sellerId !== null && fields.seller_id !== options.sellerId) {
      return { ok: false, reason: `notification for another seller (${fields.seller_id})` };
    }
    const outcome = tradeOutcome(fields);
    if (typeof outcome === 'string') return { ok: false, reason: outcome };
    return { ok: true, outcome, acknowledgement: ACKNOWLEDGEMENT };
  }

  async function queryPayment(merchantReference: string): Promise<PaymentOutcome | null> {
    const answer = await call('alipay.trade.query', { out_trade_no: merchantReference });
    // A precreated trade exists at Alipay only once the code has been scanned.
    if (answer.code !== SUCCESS_CODE && answer.sub_code === 'ACQ.TRADE_NOT_EXIST') return null;
    if (answer.code !== SUCCESS_CODE) throw refusal(answer);
    const outcome = tradeOutcome(stringFields(answer));
    if (typeof outcome === 'string') throw new PaymentProviderError('alipay', 'invalid-answer', outcome);
    return outcome;
  }

  async function refund(request: RefundRequest): Promise<RefundOutcome> {
    const answer = await call('alipay.trade.refund', {
      out_trade_no: request.merchantReference,
      refund_amount: fenToYuan(request.amountFen),
      // out_request_no makes the refund idempotent: the same number twice refunds once.
      out_request_no: request.refundReference,
      refund_reason: request.reason.slice(0, 256),
    });
    if (answer.code !== SUCCESS_CODE) {
      // 40004 is a business refusal (not enough balance, amount above what is left…): final.
      if (answer.code === '40004') return { refundReference: request.refundReference, providerRefundReference: '', status: 'failed' };
      throw refusal(answer);
    }
    const providerRefundReference = `${String(answer.trade_no)}:${request.refundReference}`;
    if (answer.fund_change === 'Y') return { refundReference: request.refundReference, providerRefundReference, status: 'succeeded' };
    // fund_change N: no money moved by this call, e.g. a repeat of a refund already made; the refund
    // query tells whether the refund itself went through.
    const query = await call('alipay.trade.fastpay.refund.query', {
      out_trade_no: request.merchantReference,
      out_request_no: request.refundReference,
    });
    const status = query.code === SUCCESS_CODE && query.refund_status === 'REFUND_SUCCESS' ? 'succeeded' : 'pending';
    return { refundReference: request.refundReference, providerRefundReference, status };
  }

  return { id: 'alipay', createPayment, verifyNotification, queryPayment, refund };
}

/** `12_34` → `"12.34"`. */
export function fenToYuan(fen: Fen): string {
  return toDecimalText(fen, 'CNY');
}

/** `"12.34"` → `12_34`; null for anything but a non-negative amount with at most two decimals. */
export function yuanToFen(text: string): Fen | null {
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return null;
  return parseMoney(text, 'CNY');
}

/** The trade fields of a notification or a query answer, as the provider-neutral outcome; a string says what is wrong. */
function tradeOutcome(fields: Record<string, string>): PaymentOutcome | string {
  const { out_trade_no: merchantReference, trade_no: providerReference, trade_status: tradeStatus } = fields;
  if (!merchantReference || !providerReference) return 'out_trade_no or trade_no missing';
  const status = tradeStatusOutcome(tradeStatus);
  if (!status) return `unknown trade_status ${JSON.stringify(tradeStatus)}`;
  const amountFen = yuanToFen(fields.total_amount ?? '');
  if (amountFen === null) return `total_amount is not an amount of yuan: ${JSON.stringify(fields.total_amount)}`;
  // gmt_payment in a notification, send_pay_date in a query answer.
  const paidAtText = fields.gmt_payment ?? fields.send_pay_date;
  const paidAt = paidAtText ? parseBeijingDateTime(paidAtText) : undefined;
  return { merchantReference, providerReference, status, amountFen, ...(paidAt ? { paidAt } : {}) };
}

function tradeStatusOutcome(tradeStatus: string | undefined): PaymentOutcome['status'] | null {
  switch (tradeStatus) {
    case 'TRADE_SUCCESS': // paid, refundable
    case 'TRADE_FINISHED': // paid, past the refund period
      return 'succeeded';
    case 'TRADE_CLOSED': // expired unpaid, or fully refunded
      return 'closed';
    case 'WAIT_BUYER_PAY':
      return 'pending';
    default:
      return null;
  }
}

function refusal(answer: AlipaySdkCommonResult): PaymentProviderError {
  return new PaymentProviderError('alipay', answer.sub_code ?? answer.code, `${answer.msg}${answer.sub_msg ? `: ${answer.sub_msg}` : ''}`);
}

/** The form fields of a notification; null when one appears twice (no legitimate notification does). */
function formFields(rawBody: string): Record<string, string> | null {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawBody)) {
    if (Object.hasOwn(fields, name)) return null;
    fields[name] = value;
  }
  return fields;
}

function stringFields(answer: AlipaySdkCommonResult): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer)) if (typeof value === 'string') fields[name] = value;
  return fields;
}

const BEIJING_OFFSET_MS = 8 * 3_600_000; // China Standard Time is UTC+8 all year (no daylight saving)

/** `yyyy-MM-dd HH:mm:ss` in Beijing time, the format of every Alipay date. */
export function beijingDateTime(date: Date): string {
  return new Date(date.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

function parseBeijingDateTime(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) return undefined;
  return new Date(`${text.replace(' ', 'T')}+08:00`);
}
