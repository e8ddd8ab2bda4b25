import type { FastifyInstance } from 'fastify';
import type { PaymentsContext } from './context.js';
import { consolePaymentRoutes } from './routes/console.js';
import { notifyRoutes } from './routes/notify.js';
import { portalPaymentRoutes } from './routes/portal.js';
import { simulatorPageRoutes } from './routes/simulator-page.js';

/** Online payment's HTTP surface: the portal's pay flow, staff's mismatches and refunds, providers' notifications, the simulator's page. */
export async function paymentRoutes(app: FastifyInstance, options: { ctx: PaymentsContext }): Promise<void> {
  await app.register(portalPaymentRoutes, options);
  await app.register(consolePaymentRoutes, options);
  await app.register(notifyRoutes, options);
  if (options.ctx.simulator) await app.register(simulatorPageRoutes, { simulator: options.ctx.simulator });
}
