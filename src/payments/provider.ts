/**
 * The provider-neutral contract of online payment (the pattern of Kill Bill's payment plugins and
 * Stripe's PaymentIntents): the platform creates a payment for an amount it decided is owed, the
 * provider answers with something the subscriber acts on (a QR code to scan or a page to open), and
 * later tells the outcome in a signed asynchronous notification. Each adapter (Alipay, WeChat Pay,
 * the local simulator) implements this and nothing more; what is owed, applying the money exactly
 * once and restoring service stay with billing.
 */
import type { Fen } from '../platform/money.js';

export type OnlineProviderId = 'alipay' | 'wechatpay' | 'simulator';

export interface CreatePaymentRequest {
  /** Our own reference, unique per payment intent (the provider's out_trade_no / merchant order no.). */
  merchantReference: string;
  amountFen: Fen;
  /** Shown to the subscriber by the provider ("Videophone bill 2026-11"), at most 64 characters. */
  description: string;
  /** When the provider should stop accepting the payment. */
  expiresAt: Date;
  /** Where the provider sends its asynchronous notification (absolute URL). */
  notifyUrl: string;
  /** Where a redirect flow returns the subscriber (absolute URL). */
  returnUrl: string;
}

export type PaymentAction =
  /** A code the subscriber scans with the provider's app (Alipay precreate, WeChat Native). */
  | { kind: 'qr'; qrContent: string }
  /** A page the subscriber is sent to (Alipay page pay). */
  | { kind: 'redirect'; url: string };

export interface CreatedPayment {
  action: PaymentAction;
  /** The provider's own id for the payment when it gives one at creation. */
  providerReference?: string;
}

/** What a verified notification or a query says about one payment. */
export interface PaymentOutcome {
  merchantReference: string;
  /** The provider's transaction id (unique per provider): the reference the ledger records. */
  providerReference: string;
  status: 'succeeded' | 'failed' | 'pending' | 'closed';
  /** The amount the provider says was paid, in fen (checked against the intent before applying). */
  amountFen: Fen;
  paidAt?: Date;
}

export interface RefundRequest {
  merchantReference: string;
  /** Our own refund reference, unique per refund (idempotency key at the provider). */
  refundReference: string;
  amountFen: Fen;
  /** The original payment's total, which WeChat Pay requires. */
  originalAmountFen: Fen;
  reason: string;
}

export interface RefundOutcome {
  refundReference: string;
  providerRefundReference: string;
  status: 'succeeded' | 'pending' | 'failed';
}

/** The HTTP request a notification arrived in, exactly as received (signatures cover the raw body). */
export interface IncomingNotification {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  /** For form-encoded notifications (Alipay), the parsed fields. */
  contentType: string | undefined;
}

export type VerifiedNotification =
  | {
      ok: true;
      outcome: PaymentOutcome;
      /** The body the provider expects back ("success", JSON). */ acknowledgement: AcknowledgementReply;
    }
  | { ok: false; reason: string };

export interface AcknowledgementReply {
  status: number;
  contentType: string;
  body: string;
}

export interface OnlinePaymentProvider {
  id: OnlineProviderId;
  createPayment(request: CreatePaymentRequest): Promise<CreatedPayment>;
  /** Checks the signature (and decrypts where the provider encrypts) before anything is believed. */
  verifyNotification(notification: IncomingNotification, now: Date): Promise<VerifiedNotification>;
  /** The provider's record of one payment, for reconciliation and for an intent left pending. */
  queryPayment(merchantReference: string): Promise<PaymentOutcome | null>;
  refund(request: RefundRequest): Promise<RefundOutcome>;
}
