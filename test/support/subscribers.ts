import type { TestService } from './test-service.js';

/** An organisation applies through the public API with valid data; returns the new subscriber's id. */
export async function applyAsOrganisation(service: TestService, legalName: string): Promise<string> {
  const response = await service.app.inject({
    method: 'POST',
    url: '/api/subscribers/applications',
    payload: {
      kind: 'organisation',
      legalName,
      creditCode: '91350100M000100Y43',
      address: '福建省福州市鼓楼区1号',
      contactName: '李四',
      contactPhone: '+8659187654321',
    },
  });
  if (response.statusCode !== 201) throw new Error(`application failed: ${response.statusCode} ${response.body}`);
  return response.json().id as string;
}
