import { loadDemoCatalogue } from '../../src/demo/load-demo.js';
import type { LightMyRequestResponse } from 'fastify';
import { demoOrder, demoPerson, portalCookie, signShownAgreement, uniqueMobile, type ActiveSubscriber } from '../support/subscribers.js';
import type { TestService } from '../support/test-service.js';

/** The operator's calendar in the tests: Asia/Shanghai, UTC+8. `local('2027-01-10 10:00')`. */
export function local(dateTime: string): Date {
  return new Date(`${dateTime.replace(' ', 'T')}:00+08:00`);
}

/**
 * A person to an active service through the public API whose order bought a terminal of `model`
 * (the demo catalogue's `vp-t100` by default), delivered to their home address.
 */
export async function subscriberWithTerminal(
  service: TestService,
  reviewerCookie: string,
  fullName: string,
  model = 'vp-t100',
): Promise<ActiveSubscriber> {
  await loadDemoCatalogue(service.ctx);
  const phone = uniqueMobile();
  const applied = await service.app.inject({
    method: 'POST',
    url: '/api/subscribers/applications',
    payload: {
      ...demoPerson,
      fullName,
      contactPhone: phone,
      ...demoOrder,
      terminalCode: model,
      deliveryAddress: '福建省福州市鼓楼区五四路 100 号',
    },
  });
  if (applied.statusCode !== 201) throw new Error(`application failed: ${applied.statusCode} ${applied.body}`);
  const id = applied.json().id as string;
  const approved = await service.app.inject({
    method: 'POST',
    url: `/api/console/subscribers/${id}/verification`,
    headers: { cookie: reviewerCookie },
    payload: { decision: 'approve' },
  });
  if (approved.statusCode !== 200) throw new Error(`approval failed: ${approved.statusCode} ${approved.body}`);
  const cookie = await portalCookie(service, phone);
  const signed = await signShownAgreement(service, cookie);
  if (signed.statusCode !== 201 || !signed.json().activated)
    throw new Error(`signing did not activate: ${signed.statusCode} ${signed.body}`);
  return { id, phone, number: signed.json().number as string, cookie };
}

export interface Console {
  (method: 'GET' | 'POST', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
}

/** The technician's console over HTTP, signed in once per call. */
export function technicianConsole(service: TestService, cookie: () => Promise<string>): Console {
  return async (method, url, payload) =>
    service.app.inject({
      method,
      url,
      headers: { cookie: await cookie() },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
}

/** The person's portal over HTTP, signed in afresh for each call (sessions end while the clock runs for months). */
export function portalOf(service: TestService, person: ActiveSubscriber): Console {
  return async (method, url, payload) =>
    service.app.inject({
      method,
      url,
      headers: { cookie: await portalCookie(service, person.phone) },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
}

/**
 * Receives a VP-T100 into stock, reserves it for the person's order, ships it on `shippedAt` and
 * records the carrier's delivery at `deliveredAt` (both operator-local times); returns the unit id.
 */
export async function deliverTerminal(
  service: TestService,
  tech: Console,
  person: ActiveSubscriber,
  unit: { serialNumber: string; mac: string },
  times: { shippedAt: string; deliveredAt?: string },
): Promise<string> {
  const received = await tech('POST', '/api/console/devices/units', { modelCode: 'vp-t100', ...unit });
  if (received.statusCode !== 201) throw new Error(`receive: ${received.statusCode} ${received.body}`);
  const id = received.json().id as string;
  const reserved = await tech('POST', `/api/console/devices/units/${id}/reservation`, { subscriberId: person.id });
  if (reserved.statusCode !== 200) throw new Error(`reserve: ${reserved.statusCode} ${reserved.body}`);
  service.clock.set(local(times.shippedAt));
  const shipped = await tech('POST', `/api/console/devices/units/${id}/shipment`, {
    carrier: '顺丰速运',
    tracking: `SF${unit.serialNumber}`,
  });
  if (shipped.statusCode !== 200) throw new Error(`ship: ${shipped.statusCode} ${shipped.body}`);
  if (times.deliveredAt) {
    service.clock.set(local(times.deliveredAt));
    const delivered = await tech('POST', `/api/console/devices/units/${id}/delivery`, { by: 'carrier' });
    if (delivered.statusCode !== 200) throw new Error(`deliver: ${delivered.statusCode} ${delivered.body}`);
  }
  return id;
}
