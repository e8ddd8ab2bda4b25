import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/demo/load-demo.js';
import { demoOrder, uniqueMobile } from '../support/subscribers.js';
import { startTestService, type TestService } from '../support/test-service.js';

describe('applying for the service (agreement clause 1)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('pglite', { start: '2026-03-01T02:00:00Z' });
    await loadDemoCatalogue(service.ctx);
  });
  afterAll(() => service?.close());

  const apply = (body: Record<string, unknown>) =>
    service.app.inject({ method: 'POST', url: '/api/subscribers/applications', payload: { ...demoOrder, ...body } });
  const person = {
    kind: 'individual',
    fullName: '张伟民',
    birthDate: '1949-12-31',
    address: '北京市朝阳区建国路88号',
    idType: 'prc_resident_id',
    idNumber: '11010519491231002x',
    employer: '示例科技有限公司',
    contactPhone: '138 0013 8000',
  };
  const newPhone = () => ({ contactPhone: uniqueMobile() });

  it('accepts a person with a valid resident ID whose birth date agrees, normalising the number and phone', async () => {
    const response = await apply({ ...person, ...newPhone() });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ status: 'applied' });
    const row = await service.ctx.db.selectFrom('subscribers').selectAll().where('id', '=', response.json().id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'individual', status: 'applied' });
  });

  it('accepts an organisation with a valid unified social credit code', async () => {
    const response = await apply({
      kind: 'organisation',
      legalName: '示例宽带有限公司',
      creditCode: '91350100M000100Y43',
      address: '福建省福州市鼓楼区1号',
      contactName: '李四',
      contactPhone: '+86 591 8765 4321',
    });
    expect(response.statusCode).toBe(201);
  });

  it('creates the order on the plan version of the day and a portal login with the contact phone', async () => {
    const phone = uniqueMobile();
    const response = await apply({
      ...person,
      contactPhone: phone,
      terminalCode: 'vp-t100',
      deliveryAddress: '北京市朝阳区建国路88号3单元',
    });
    expect(response.statusCode).toBe(201);
    const order = await service.ctx.db
      .selectFrom('orders')
      .selectAll()
      .where('subscriber_id', '=', response.json().id)
      .executeTakeFirstOrThrow();
    const plan = await service.ctx.db.selectFrom('plans').selectAll().where('id', '=', order.plan_id).executeTakeFirstOrThrow();
    expect(plan.code).toBe('standard');
    expect(order).toMatchObject({ status: 'pending', credit_limit_fen: 200_00 });
    expect(order.terminal_price_fen).toBeGreaterThan(0);
    // The delivery address is personal data: sealed, not in clear.
    expect(order.delivery_address_sealed).not.toContain('建国路');
    const signIn = await service.app.inject({
      method: 'POST',
      url: '/api/portal/sign-in',
      payload: { login: phone, password: demoOrder.password },
    });
    expect(signIn.statusCode).toBe(200);
  });

  it('refuses a second live application with the same contact phone, and an order the catalogue does not offer', async () => {
    const phone = uniqueMobile();
    expect((await apply({ ...person, contactPhone: phone })).statusCode).toBe(201);
    const again = await apply({ ...person, contactPhone: phone });
    expect(again.statusCode).toBe(409);
    const wrongOrder = await apply({
      ...person,
      ...newPhone(),
      planCode: 'gold',
      creditLimitFen: 12_345,
      password: 'short',
      terminalCode: 'vp-t100',
    });
    expect(wrongOrder.statusCode).toBe(400);
    expect(
      wrongOrder
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['creditLimitFen', 'deliveryAddress', 'password', 'planCode']);
  });

  it('names every faulty field at once', async () => {
    const response = await apply({
      ...person,
      fullName: '',
      birthDate: '1949-13-01',
      idNumber: '110105194912310021',
      contactPhone: '12345',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(
      response
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['birthDate', 'contactPhone', 'fullName', 'idNumber']);
  });

  it('refuses a resident ID whose check character is wrong', async () => {
    const response = await apply({ ...person, idNumber: '110105194912310021' });
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'idNumber', message: expect.stringMatching(/check/i) })]);
  });

  it('refuses a resident ID whose birth date disagrees with the one given', async () => {
    const response = await apply({ ...person, birthDate: '1950-01-01' });
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'idNumber', message: expect.stringMatching(/birth/i) })]);
  });

  it('refuses an unknown kind of ID document on the idType field', async () => {
    const response = await apply({ ...person, idType: 'library_card' });
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'idType', message: expect.any(String) })]);
  });

  it('refuses an organisation whose credit code fails its check character', async () => {
    const response = await apply({
      kind: 'organisation',
      legalName: '示例宽带有限公司',
      creditCode: '91350100M000100Y44',
      address: '福建省福州市鼓楼区1号',
      contactName: '李四',
      contactPhone: '+8659187654321',
    });
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'creditCode', message: expect.stringMatching(/check/i) })]);
  });

  it('refuses fields it does not know, by schema', async () => {
    const response = await apply({ ...person, favouriteColour: 'red' });
    expect(response.statusCode).toBe(400);
  });
});

describe('the application rate limit', () => {
  it('answers 429 once an address exceeds its applications per minute, independently of the sign-in limit', async () => {
    const limited = await startTestService('pglite', {
      env: { APPLICATION_RATE_LIMIT_PER_MINUTE: '2', SIGN_IN_RATE_LIMIT_PER_MINUTE: '100' },
    });
    try {
      const apply = () =>
        limited.app.inject({
          method: 'POST',
          url: '/api/subscribers/applications',
          remoteAddress: '198.51.100.9',
          payload: { kind: 'organisation' },
        });
      expect((await apply()).statusCode).toBe(400);
      expect((await apply()).statusCode).toBe(400);
      const refused = await apply();
      expect(refused.statusCode).toBe(429);
      expect(refused.json().code).toBe('too-many-requests');
    } finally {
      await limited.close();
    }
  });
});
