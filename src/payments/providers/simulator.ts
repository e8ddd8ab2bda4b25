import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type {
  CreatedPayment,
  CreatePaymentRequest,
  IncomingNotification,
  OnlinePaymentProvider,
  PaymentOutcome,
  RefundOutcome,
  RefundRequest,
  VerifiedNotification,
} from '../provider.js';
import type { PaymentSimulatorOrdersTable } from '../tables.js';

/**
 * A local payment provider for development, tests and the demo (never production: the configuration
 * refuses it there). It behaves as Alipay and WeChat Pay do where it matters to us: a QR code whose
 * content is a page (scanning it = opening it), a payer who pays or fails there, an asynchronous
 * signed notification to our notify URL retried until it is acknowledged, and its own books that
 * `queryPayment` answers from, for reconciliation. The page can also send a notification again and
 * one out of order, which real providers do without being asked.
 */
export const SIMULATOR_SIGNATURE_HEADER = 'x-simulator-signature';
export const SIMULATOR_TIMESTAMP_HEADER = 'x-simulator-timestamp';
const SIGNATURE_TOLERANCE_SECONDS = 300;
/** What the notify URL must answer for a notification to count as received (Alipay's convention). */
export const SIMULATOR_ACKNOWLEDGEMENT = 'success';
/** Waits between deliveries of one notification until it is acknowledged (a shortened Alipay schedule). */
export const SIMULATOR_RETRY_SECONDS = [15, 60, 240, 600, 3600, 7200, 21_600, 54_000] as const;

/** A notification as sent over HTTP: exactly the bytes the signature covers. */
export interface SimulatedNotification {
  headers: Record<string, string>;
  body: string;
}

/** How notifications reach the notify URL: HTTP by default; tests without a listening port deliver in process. */
export type NotificationTransport = (url: string, notification: SimulatedNotification) => Promise<{ status: number; body: string }>;

export const httpTransport: NotificationTransport = async (url, notification) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: notification.headers,
    body: notification.body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.text() };
};

type SimulatorStatus = PaymentSimulatorOrdersTable['status'];

interface NotificationBody {
  notify_id: string;
  trade_no: string;
  out_trade_no: string;
  trade_status: 'SUCCESS' | 'FAILED' | 'CLOSED';
  total_fen: number;
  paid_at: string | null;
}

export interface SimulatorOrder {
  tradeNo: string;
  merchantReference: string;
  amountFen: number;
  description: string;
  status: SimulatorStatus;
  returnUrl: string;
  expiresAt: Date;
  paidAt: Date | null;
  deliveryAttempts: number;
  acknowledgedAt: Date | null;
}

export class PaymentSimulator implements OnlinePaymentProvider {
  readonly id = 'simulator' as const;
  #transport: NotificationTransport;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly secret: string,
    transport: NotificationTransport = httpTransport,
  ) {
    this.#transport = transport;
  }

  /** Tests that call the app in process (no port) deliver notifications through `app.inject`. */
  deliverThrough(transport: NotificationTransport): void {
    this.#transport = transport;
  }

  async createPayment(request: CreatePaymentRequest): Promise<CreatedPayment> {
    const now = this.clock.now();
    const tradeNo = `SIM${now.toISOString().slice(0, 10).replaceAll('-', '')}${randomBytes(8).toString('hex').toUpperCase()}`;
    await this.db
      .insertInto('payment_simulator_orders')
      .values({
        trade_no: tradeNo,
        merchant_reference: request.merchantReference,
        amount_fen: request.amountFen,
        description: request.description,
        notify_url: request.notifyUrl,
        return_url: request.returnUrl,
        status: 'pending',
        created_at: now,
        expires_at: request.expiresAt,
      })
      .execute();
    // The simulator is served by this service, so its page lives next to the notify URL.
    const page = new URL(`/simulator/pay/${tradeNo}`, request.notifyUrl).toString();
    return { action: { kind: 'qr', qrContent: page }, providerReference: tradeNo };
  }

  async verifyNotification(notification: IncomingNotification, now: Date): Promise<VerifiedNotification> {
    const signature = headerOf(notification.headers, SIMULATOR_SIGNATURE_HEADER);
    const timestamp = headerOf(notification.headers, SIMULATOR_TIMESTAMP_HEADER);
    if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'signature or timestamp missing' };
    if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS)
      return { ok: false, reason: 'timestamp outside the tolerance' };
    const expected = Buffer.from(this.#sign(Number(timestamp), notification.rawBody), 'hex');
    const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
    // Constant time, so a forger learns nothing from how long a wrong signature took.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature does not match' };
    let body: NotificationBody;
    try {
      body = JSON.parse(notification.rawBody) as NotificationBody;
    } catch {
      return { ok: false, reason: 'body is not JSON' };
    }
    return {
      ok: true,
      outcome: {
        merchantReference: body.out_trade_no,
        providerReference: body.trade_no,
        status: body.trade_status === 'SUCCESS' ? 'succeeded' : body.trade_status === 'FAILED' ? 'failed' : 'closed',
        amountFen: body.total_fen,
        ...(body.paid_at ? { paidAt: new Date(body.paid_at) } : {}),
      },
      acknowledgement: { status: 200, contentType: 'text/plain; charset=utf-8', body: SIMULATOR_ACKNOWLEDGEMENT },
    };
  }

  async queryPayment(merchantReference: string): Promise<PaymentOutcome | null> {
    const row = await this.db
      .selectFrom('payment_simulator_orders')
      .selectAll()
      .where('merchant_reference', '=', merchantReference)
      .executeTakeFirst();
    if (!row) return null;
    const status = row.status === 'pending' && row.expires_at <= this.clock.now() ? 'closed' : row.status;
    return {
      merchantReference,
      providerReference: row.trade_no,
      status,
      amountFen: Number(row.amount_fen),
      ...(row.paid_at ? { paidAt: row.paid_at } : {}),
    };
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    const refunded = await this.db
      .updateTable('payment_simulator_orders')
      .set((eb) => ({ refunded_fen: eb('refunded_fen', '+', request.amountFen) }))
      .where('merchant_reference', '=', request.merchantReference)
      .where('status', '=', 'succeeded')
      .where((eb) => eb(eb('refunded_fen', '+', request.amountFen), '<=', eb.ref('amount_fen')))
      .returning('trade_no')
      .executeTakeFirst();
    if (!refunded) return { refundReference: request.refundReference, providerRefundReference: '', status: 'failed' };
    return {
      refundReference: request.refundReference,
      providerRefundReference: `SIMR${randomBytes(8).toString('hex').toUpperCase()}`,
      status: 'succeeded',
    };
  }

  // ── The payer's side: what the simulator's page does ──

  async order(tradeNo: string): Promise<SimulatorOrder | null> {
    const row = await this.db.selectFrom('payment_simulator_orders').selectAll().where('trade_no', '=', tradeNo).executeTakeFirst();
    if (!row) return null;
    return {
      tradeNo: row.trade_no,
      merchantReference: row.merchant_reference,
      amountFen: Number(row.amount_fen),
      description: row.description,
      status: row.status === 'pending' && row.expires_at <= this.clock.now() ? 'closed' : row.status,
      returnUrl: row.return_url,
      expiresAt: row.expires_at,
      paidAt: row.paid_at,
      deliveryAttempts: row.delivery_attempts,
      acknowledgedAt: row.acknowledged_at,
    };
  }

  /** The payer confirms (`succeeded`) or the payment is declined (`failed`); the notification follows. */
  async settle(tradeNo: string, outcome: 'succeeded' | 'failed'): Promise<boolean> {
    const now = this.clock.now();
    const settled = await this.db
      .updateTable('payment_simulator_orders')
      .set({ status: outcome, paid_at: outcome === 'succeeded' ? now : null, next_delivery_at: now })
      .where('trade_no', '=', tradeNo)
      .where('status', '=', 'pending')
      .where('expires_at', '>', now)
      .returning('trade_no')
      .executeTakeFirst();
    if (!settled) return false;
    await this.deliver(tradeNo);
    return true;
  }

  /**
   * Sends the notification of the order's current state; acknowledged, it is not sent again;
   * otherwise the next attempt is scheduled (the deliveries job sends it when due).
   */
  async deliver(tradeNo: string): Promise<{ acknowledged: boolean }> {
    const row = await this.db.selectFrom('payment_simulator_orders').selectAll().where('trade_no', '=', tradeNo).executeTakeFirst();
    if (!row || row.status === 'pending') return { acknowledged: false };
    const acknowledged = await this.#send(row, row.status);
    const attempts = row.delivery_attempts + 1;
    const wait = SIMULATOR_RETRY_SECONDS[Math.min(attempts - 1, SIMULATOR_RETRY_SECONDS.length - 1)]!;
    const now = this.clock.now();
    await this.db
      .updateTable('payment_simulator_orders')
      .set({
        delivery_attempts: attempts,
        acknowledged_at: acknowledged ? now : null,
        next_delivery_at: acknowledged || attempts >= SIMULATOR_RETRY_SECONDS.length + 1 ? null : new Date(now.getTime() + wait * 1000),
      })
      .where('trade_no', '=', tradeNo)
      .execute();
    return { acknowledged };
  }

  /** Sends every notification whose next attempt is due by `instant`. */
  async deliverDue(instant: Date): Promise<{ sent: number; acknowledged: number }> {
    const due = await this.db
      .selectFrom('payment_simulator_orders')
      .select('trade_no')
      .where('next_delivery_at', '<=', instant)
      .orderBy('next_delivery_at')
      .limit(500)
      .execute();
    let acknowledged = 0;
    for (const { trade_no } of due) if ((await this.deliver(trade_no)).acknowledged) acknowledged++;
    return { sent: due.length, acknowledged };
  }

  /** Providers deliver a notification more than once: this sends the current one again, as is. */
  async sendDuplicate(tradeNo: string): Promise<boolean> {
    const row = await this.db.selectFrom('payment_simulator_orders').selectAll().where('trade_no', '=', tradeNo).executeTakeFirst();
    if (!row || row.status === 'pending') return false;
    return this.#send(row, row.status);
  }

  /** A stale notification arriving late: "failed" for an order that was paid (out of order). */
  async sendOutOfOrder(tradeNo: string): Promise<boolean> {
    const row = await this.db.selectFrom('payment_simulator_orders').selectAll().where('trade_no', '=', tradeNo).executeTakeFirst();
    if (!row) return false;
    return this.#send(row, row.status === 'succeeded' ? 'failed' : 'succeeded');
  }

  /** The signed notification for an order in a given state (what #send delivers). */
  notificationOf(
    order: { trade_no: string; merchant_reference: string; amount_fen: number; paid_at: Date | null },
    status: SimulatorStatus,
  ): SimulatedNotification {
    const body: NotificationBody = {
      notify_id: randomBytes(12).toString('hex'),
      trade_no: order.trade_no,
      out_trade_no: order.merchant_reference,
      trade_status: status === 'succeeded' ? 'SUCCESS' : status === 'failed' ? 'FAILED' : 'CLOSED',
      total_fen: Number(order.amount_fen),
      paid_at: status === 'succeeded' ? (order.paid_at ?? this.clock.now()).toISOString() : null,
    };
    const raw = JSON.stringify(body);
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    return {
      headers: {
        'content-type': 'application/json',
        [SIMULATOR_TIMESTAMP_HEADER]: String(timestamp),
        [SIMULATOR_SIGNATURE_HEADER]: this.#sign(timestamp, raw),
      },
      body: raw,
    };
  }

  async #send(
    row: { trade_no: string; merchant_reference: string; amount_fen: number; paid_at: Date | null; notify_url: string },
    status: SimulatorStatus,
  ): Promise<boolean> {
    try {
      const answer = await this.#transport(row.notify_url, this.notificationOf(row, status));
      return answer.status === 200 && answer.body.trim() === SIMULATOR_ACKNOWLEDGEMENT;
    } catch {
      // Unreachable notify URL: like a provider, try again later.
      return false;
    }
  }

  #sign(timestamp: number, rawBody: string): string {
    return createHmac('sha256', this.secret).update(`${timestamp}.${rawBody}`).digest('hex');
  }
}

function headerOf(headers: IncomingNotification['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
