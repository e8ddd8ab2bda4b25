import type { FastifyInstance } from 'fastify';
import type { BillingContext } from './context.js';
import { consoleAccountRoutes, portalAccountRoutes } from './routes/accounts.js';
import { billRunRoutes } from './routes/bill-runs.js';
import { consoleBillRoutes, portalBillRoutes } from './routes/bills.js';
import { paymentWebhookRoutes } from './routes/payment-webhook.js';
import { paymentRoutes } from './routes/payments.js';
import { receivablesRoutes } from './routes/receivables.js';
import { reconciliationRoutes } from './routes/reconciliation.js';

export interface BillingRouteOptions {
  ctx: BillingContext;
  webhookSecrets: Record<string, string>;
}

/**
 * Billing's HTTP surface: the subscriber's portal, the billing clerk's console, and providers' webhooks.
 * The parts are registered in this order because the OpenAPI document lists paths as they are
 * registered, and the web app's generated API types follow the document.
 */
export async function billingRoutes(app: FastifyInstance, options: BillingRouteOptions): Promise<void> {
  // ── Portal (clause 5: the subscriber sees every bill, line by line, and what is owed) ──
  await app.register(portalBillRoutes, options);
  await app.register(portalAccountRoutes, options);

  // ── Console ──
  await app.register(billRunRoutes, options);
  await app.register(consoleAccountRoutes, options);
  await app.register(consoleBillRoutes, options);
  await app.register(receivablesRoutes, options);
  await app.register(paymentRoutes, options);
  await app.register(reconciliationRoutes, options);

  // ── Payment providers' webhooks ──
  await app.register(paymentWebhookRoutes, options);
}
