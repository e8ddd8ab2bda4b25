import { loadDemoCatalogue } from '../../src/demo/load-demo.js';
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
