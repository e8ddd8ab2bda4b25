/**
 * WeChat Pay (微信支付) API v3, Native payment: the service creates an order and shows its `code_url`
 * as a QR code; the subscriber scans it in WeChat; WeChat Pay notifies the outcome.
 *
 * Built on `wechatpay-axios-plugin`, the community Node SDK that WeChat Pay's documentation lists: it
 * signs each request (the `WECHATPAY2-SHA256-RSA2048` Authorization header over
 * `method\nURL\ntimestamp\nnonce\nbody\n`) and verifies each answer's `Wechatpay-Signature` with the
 * platform key, refusing answers more than 5 minutes off. Notifications reach us as plain HTTP requests,
 * so this adapter checks them with the same SDK's primitives (Rsa, AesGcm) in the documented order:
 * serial → timestamp → signature → decrypt the resource → check it is ours.
 * (`wechatpay-node-v3`, the other candidate, pins a deprecated superagent 8.0.6.)
 */
import type { KeyObject } from 'node:crypto';
import { Aes, Formatter, Rsa, Wechatpay } from 'wechatpay-axios-plugin';
import type { Fen } from '../../platform/money.js';
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

export interface WechatPayProviderOptions {
  mchId: string;
  appId: string;
  /** Serial of the merchant's API certificate; names the key our requests are signed with. */
  merchantSerialNo: string;
  merchantPrivateKey: KeyObject;
  /** WeChat Pay's public key (or platform certificate's key), which signs answers and notifications. */
  platformPublicKey: KeyObject;
  /** Its id as sent in Wechatpay-Serial (`PUB_KEY_ID_…` or the certificate serial). */
  platformPublicKeyId: string;
  /** The APIv3 key (32 bytes) that encrypts notification resources with AEAD_AES_256_GCM. */
  apiV3Key: Buffer;
  /** `https://api.mch.weixin.qq.com/` (with the trailing slash). */
  baseUrl: string;
  /** Notifications signed further than this from now are refused (replays); WeChat Pay's SDKs use 5 minutes. */
  timestampToleranceSeconds?: number;
  timeoutMs?: number;
}

/** v3 notification acknowledgement: 200 or 204 with no body means received; anything else and WeChat Pay retries. */
const ACKNOWLEDGEMENT: AcknowledgementReply = { status: 204, contentType: 'application/json', body: '' };
const DEFAULT_TOLERANCE_SECONDS = 300;

/** The decrypted `resource` of a TRANSACTION.SUCCESS notification, which is also the query answer. */
interface Transaction {
  appid?: string;
  mchid?: string;
  out_trade_no?: string;
  transaction_id?: string;
  trade_state?: string;
  success_time?: string;
  amount?: { total?: unknown; payer_total?: unknown; currency?: string };
}

interface NotificationEnvelope {
  id?: string;
  event_type?: string;
  resource_type?: string;
  resource?: { algorithm?: string; ciphertext?: string; associated_data?: string; nonce?: string; original_type?: string };
}

export function createWechatPayProvider(options: WechatPayProviderOptions): OnlinePaymentProvider {
  const tolerance = options.timestampToleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const client = new Wechatpay({
    mchid: options.mchId,
    serial: options.merchantSerialNo,
    privateKey: options.merchantPrivateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certs: { [options.platformPublicKeyId]: options.platformPublicKey },
    baseURL: options.baseUrl,
    timeout: options.timeoutMs ?? 10_000,
  });

  async function createPayment(request: CreatePaymentRequest): Promise<CreatedPayment> {
    if (!Number.isSafeInteger(request.amountFen) || request.amountFen < 1) {
      throw new RangeError(`WeChat Pay takes a positive number of fen, not ${request.amountFen}`);
    }
    const answer = await send(() =>
      client.chain('v3/pay/transactions/native').post({
        appid: options.appId,
        mchid: options.mchId,
        description: request.description.slice(0, 127),
        out_trade_no: request.merchantReference,
        time_expire: rfc3339Beijing(request.expiresAt),
        notify_url: request.notifyUrl,
        amount: { total: request.amountFen, currency: 'CNY' },
      }),
    );
    const codeUrl = (answer.data as { code_url?: unknown }).code_url;
    if (typeof codeUrl !== 'string') throw new PaymentProviderError('wechatpay', 'invalid-answer', 'no code_url in the answer');
    return { action: { kind: 'qr', qrContent: codeUrl } };
  }

  async function verifyNotification(notification: IncomingNotification, now: Date): Promise<VerifiedNotification> {
    const timestamp = header(notification, 'wechatpay-timestamp');
    const nonce = header(notification, 'wechatpay-nonce');
    const signature = header(notification, 'wechatpay-signature');
    const serial = header(notification, 'wechatpay-serial');
    if (!timestamp || !nonce || !signature || !serial)
      return { ok: false, reason: 'Wechatpay-Timestamp, -Nonce, -Signature or -Serial missing' };
    // A key we do not have (WeChat Pay rotating its key, or someone else's): never fall back to another.
    if (serial !== options.platformPublicKeyId) return { ok: false, reason: `signed with an unknown key ${serial}` };
    const signedAt = Number(timestamp);
    if (!/^\d+$/.test(timestamp) || Math.abs(now.getTime() / 1000 - signedAt) > tolerance) {
      return { ok: false, reason: `timestamp ${timestamp} is more than ${tolerance} s from now` };
    }
    // Signed text: timestamp\nnonce\nbody\n over the body exactly as received.
    if (!Rsa.verify(Formatter.response(timestamp, nonce, notification.rawBody), signature, options.platformPublicKey)) {
      return { ok: false, reason: 'the signature does not verify with WeChat Pay’s public key' };
    }
    const envelope = parseJson<NotificationEnvelope>(notification.rawBody);
    const resource = envelope?.resource;
    if (!resource || resource.algorithm !== 'AEAD_AES_256_GCM' || !resource.ciphertext || !resource.nonce) {
      return { ok: false, reason: 'no AEAD_AES_256_GCM resource' };
    }
    let plaintext: string;
    try {
      plaintext = Aes.AesGcm.decrypt(resource.ciphertext, options.apiV3Key, resource.nonce, resource.associated_data ?? '');
    } catch {
      return { ok: false, reason: 'the resource does not decrypt with the APIv3 key' };
    }
    const transaction = parseJson<Transaction>(plaintext);
    if (!transaction) return { ok: false, reason: 'the resource is not JSON' };
    if (transaction.mchid !== options.mchId || transaction.appid !== options.appId) {
      return { ok: false, reason: `notification for another merchant or application (${transaction.mchid}, ${transaction.appid})` };
    }
    const outcome = transactionOutcome(transaction);
    if (typeof outcome === 'string') return { ok: false, reason: outcome };
    return { ok: true, outcome, acknowledgement: ACKNOWLEDGEMENT };
  }

  async function queryPayment(merchantReference: string): Promise<PaymentOutcome | null> {
    let answer: { data: unknown };
    try {
      answer = await send(() =>
        client.chain(`v3/pay/transactions/out-trade-no/${encodeURIComponent(merchantReference)}`).get({ params: { mchid: options.mchId } }),
      );
    } catch (error) {
      if (error instanceof PaymentProviderError && error.code === 'ORDER_NOT_EXIST') return null;
      throw error;
    }
    const outcome = transactionOutcome(answer.data as Transaction);
    if (typeof outcome === 'string') throw new PaymentProviderError('wechatpay', 'invalid-answer', outcome);
    return outcome;
  }

  async function refund(request: RefundRequest): Promise<RefundOutcome> {
    let answer: { data: unknown };
    try {
      answer = await send(() =>
        client.chain('v3/refund/domestic/refunds').post({
          out_trade_no: request.merchantReference,
          // out_refund_no makes the refund idempotent: the same number twice refunds once.
          out_refund_no: request.refundReference,
          reason: request.reason.slice(0, 80),
          amount: { refund: request.amountFen, total: request.originalAmountFen, currency: 'CNY' },
        }),
      );
    } catch (error) {
      // A 4xx other than rate limiting is a final refusal (NOT_ENOUGH, INVALID_REQUEST…); 5xx and 429 are retried.
      if (error instanceof WechatPayError && error.httpStatus !== undefined && error.httpStatus < 500 && error.httpStatus !== 429) {
        return { refundReference: request.refundReference, providerRefundReference: '', status: 'failed' };
      }
      throw error;
    }
    const data = answer.data as { refund_id?: unknown; status?: unknown };
    const status = data.status === 'SUCCESS' ? 'succeeded' : data.status === 'PROCESSING' ? 'pending' : 'failed'; // CLOSED, ABNORMAL
    return { refundReference: request.refundReference, providerRefundReference: String(data.refund_id ?? ''), status };
  }

  return { id: 'wechatpay', createPayment, verifyNotification, queryPayment, refund };
}

/** The SDK's errors (axios's, with WeChat Pay's `{code, message}` body) as a PaymentProviderError. */
async function send<T>(request: () => PromiseLike<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const { response, code: sdkCode } = error as { response?: { status?: number; data?: unknown }; code?: unknown };
    const body = (typeof response?.data === 'object' && response.data !== null ? response.data : {}) as {
      code?: unknown;
      message?: unknown;
    };
    // WeChat Pay's own code first; else the SDK's (EV3_RES_HEADER_SIGNATURE_DIGEST for an answer that
    // fails verification) or the network's (ECONNREFUSED…).
    const code =
      typeof body.code === 'string'
        ? body.code
        : typeof sdkCode === 'string'
          ? sdkCode
          : response
            ? `http-${response.status}`
            : 'unreachable';
    const message = typeof body.message === 'string' ? body.message : (error as Error).message;
    throw new WechatPayError(code, message, response?.status, error);
  }
}

class WechatPayError extends PaymentProviderError {
  constructor(
    code: string,
    message: string,
    readonly httpStatus: number | undefined,
    cause: unknown,
  ) {
    super('wechatpay', code, message, { cause });
  }
}

function transactionOutcome(transaction: Transaction): PaymentOutcome | string {
  const { out_trade_no: merchantReference, transaction_id: providerReference, trade_state: tradeState, amount } = transaction;
  if (!merchantReference) return 'out_trade_no missing';
  const status = tradeStateOutcome(tradeState);
  if (!status) return `unknown trade_state ${JSON.stringify(tradeState)}`;
  // An order never paid has no transaction id yet.
  if (!providerReference && status === 'succeeded') return 'transaction_id missing';
  if (amount?.currency !== undefined && amount.currency !== 'CNY') return `amount in ${amount.currency}, not CNY`;
  const amountFen = amount?.total;
  if (!isPositiveFen(amountFen)) return `amount.total is not a number of fen: ${JSON.stringify(amountFen)}`;
  const paidAt = transaction.success_time ? new Date(transaction.success_time) : undefined;
  return {
    merchantReference,
    providerReference: providerReference ?? '',
    status,
    amountFen,
    ...(paidAt && !Number.isNaN(paidAt.getTime()) ? { paidAt } : {}),
  };
}

function tradeStateOutcome(tradeState: string | undefined): PaymentOutcome['status'] | null {
  switch (tradeState) {
    case 'SUCCESS':
    case 'REFUND': // paid, then (partly) refunded: the payment itself succeeded
      return 'succeeded';
    case 'NOTPAY':
    case 'USERPAYING':
      return 'pending';
    case 'CLOSED':
    case 'REVOKED':
      return 'closed';
    case 'PAYERROR':
      return 'failed';
    default:
      return null;
  }
}

function isPositiveFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** A header by its name in any case (Node lowercases them; a framework or a test may not). */
function header(notification: IncomingNotification, name: string): string | undefined {
  const entry = Object.entries(notification.headers).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson<T>(text: string): T | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as T) : null;
  } catch {
    return null;
  }
}

/** RFC 3339 in Beijing time (`2026-12-03T20:15:00+08:00`), as WeChat Pay writes its dates. */
export function rfc3339Beijing(date: Date): string {
  const beijing = new Date(date.getTime() + 8 * 3_600_000);
  return `${beijing.toISOString().slice(0, 19)}+08:00`;
}
