import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOperatorSeal, readableDiff, renderAgreementPdf, sealFingerprint, type SignedCopy } from '../../src/agreements/index.js';
import { sealFields, sha256Hex } from '../../src/agreements/seal.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

/** The words a reader sees, as pdf.js extracts them (one string per page, pieces joined as drawn). */
async function pdfText(pdf: Buffer): Promise<string> {
  const loading = getDocument({ data: new Uint8Array(pdf), useSystemFonts: false });
  const document = await loading.promise;
  const pages: string[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const content = await (await document.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
  }
  await loading.destroy();
  return pages.join('\n');
}

describe('the signed agreement as a PDF (clause 17)', () => {
  let service: TestService;
  let support: string;
  let subscriber: ActiveSubscriber;
  let signatureId: string;
  let pdf: Buffer;
  let copy: SignedCopy;

  beforeAll(async () => {
    service = await startTestService('pglite');
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    support = await signInCookie(service, await addStaff(service, ['support_agent']));
    subscriber = await activeIndividual(service, reviewer, '李文书');
    const shown = await service.app.inject({ method: 'GET', url: '/api/portal/agreement', headers: { cookie: subscriber.cookie } });
    signatureId = shown.json().signatures[0].id;
    const download = await service.app.inject({
      method: 'GET',
      url: `/api/portal/agreement/signatures/${signatureId}/pdf`,
      headers: { cookie: subscriber.cookie },
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain(`videophone-agreement-${signatureId}.pdf`);
    pdf = download.rawPayload;
    copy = (
      await service.app.inject({
        method: 'GET',
        url: `/api/portal/agreement/signatures/${signatureId}`,
        headers: { cookie: subscriber.cookie },
      })
    ).json();
    // A service start, a subscriber made through the API and a PDF with an embedded CJK font subset.
  }, 240_000);
  afterAll(() => service?.close());

  const verify = (body: Buffer | string, type: string) =>
    service.app.inject({ method: 'POST', url: '/api/agreements/verifications', headers: { 'content-type': type }, payload: body });

  it('holds the text signed, both parties’ signature details and the operator’s seal fingerprint', async () => {
    const text = await pdfText(pdf);
    const squeezed = (s: string) => s.replace(/\s+/g, '');
    // Every line of the agreement text is in the PDF, Chinese included.
    for (const line of copy.text.split('\n').filter((l) => l.trim() !== '')) expect(squeezed(text)).toContain(squeezed(line));
    expect(text).toContain('第十八条');
    expect(squeezed(text)).toContain(squeezed(sealFingerprint(service.seal.publicKeyPem)));
    expect(text).toContain(copy.signature.textSha256);
    expect(text).toContain(copy.signature.signedAt);
    expect(text).toContain(subscriber.id);
    expect(squeezed(text)).toContain(squeezed(copy.signature.operatorSignature));
    expect(text).toContain('/api/agreements/verifications');
  });

  it('staff download the same PDF from the console', async () => {
    const download = await service.app.inject({
      method: 'GET',
      url: `/api/console/agreement-signatures/${signatureId}/pdf`,
      headers: { cookie: support },
    });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(pdf)).toBe(true);
  });

  it('another subscriber cannot download it', async () => {
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    const other = await activeIndividual(service, reviewer, '赵旁人');
    const response = await service.app.inject({
      method: 'GET',
      url: `/api/portal/agreement/signatures/${signatureId}/pdf`,
      headers: { cookie: other.cookie },
    });
    expect(response.statusCode).toBe(404);
  });

  it('verification accepts the genuine PDF and the genuine JSON copy', async () => {
    const asPdf = await verify(pdf, 'application/pdf');
    expect(asPdf.json()).toMatchObject({ valid: true, format: 'pdf', reason: null, signature: { id: signatureId } });
    const asJson = await verify(JSON.stringify(copy), 'application/json');
    expect(asJson.json()).toMatchObject({ valid: true, format: 'json', signature: { id: signatureId } });
  });

  it('verification refuses a PDF with one byte changed', async () => {
    const tampered = Buffer.from(pdf);
    const at = tampered.indexOf('(Signed agreement ');
    expect(at).toBeGreaterThan(0);
    tampered.write('(Signed agreemenT ', at, 'latin1');
    expect((await verify(tampered, 'application/pdf')).json()).toMatchObject({ valid: false, reason: 'pdf-altered' });
  });

  it('verification refuses a PDF made from an edited text, and the edited JSON copy', async () => {
    const edited: SignedCopy = { ...copy, text: copy.text.replace('第十八条', '第十八条（已改）') };
    expect((await verify(await renderAgreementPdf(edited), 'application/pdf')).json()).toMatchObject({
      valid: false,
      reason: 'text-or-seal-invalid',
    });
    expect((await verify(JSON.stringify(edited), 'application/json')).json()).toMatchObject({
      valid: false,
      reason: 'text-or-seal-invalid',
    });
  });

  it('verification refuses a copy sealed with a key that is not the operator’s', async () => {
    const forger = generateOperatorSeal();
    const text = copy.text.replace('第十八条', '第十八条（伪造）');
    const fields = { ...copy.signature, textSha256: sha256Hex(text) };
    const { subscriberId, version, language, textSha256, signedAt } = fields;
    const forged: SignedCopy = {
      text,
      signature: {
        ...fields,
        operatorKeyId: forger.keyId,
        operatorSignature: sealFields(forger, { subscriberId, version, language, textSha256, signedAt }),
      },
      operatorPublicKey: forger.publicKeyPem,
    };
    expect((await verify(await renderAgreementPdf(forged), 'application/pdf')).json()).toMatchObject({
      valid: false,
      reason: 'unknown-seal',
    });
  });

  it('verification says so when a file is no signed agreement at all', async () => {
    expect((await verify('{"hello":1}', 'application/json')).json()).toMatchObject({ valid: false, reason: 'unreadable' });
    expect((await verify(Buffer.from('%PDF-1.3\n%%EOF\n'), 'application/pdf')).json()).toMatchObject({
      valid: false,
      reason: 'no-signed-copy',
    });
  });

  it('a terms change is read in full, with a diff against the version in force', async () => {
    const response = await service.app.inject({
      method: 'GET',
      url: '/api/portal/agreement-versions/2/changes?lang=zh-CN',
      headers: { cookie: subscriber.cookie },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ version: 2, inForce: { version: 1 } });
    expect(body.text).toContain('可视电话服务协议（第2版）');
    // The diff rebuilds both texts: old = same + deleted, new = same + inserted.
    const rebuilt = (keep: string) =>
      body.diff
        .filter((s: { change: string }) => s.change !== keep)
        .map((s: { text: string }) => s.text)
        .join('');
    expect(rebuilt('deleted')).toBe(body.text);
    expect(rebuilt('inserted')).toBe(body.inForce.text);
    expect(body.diff.some((s: { change: string }) => s.change === 'inserted')).toBe(true);
  });
});

describe('a readable diff of Chinese text', () => {
  it('marks whole words, not scattered characters, and keeps the clauses that did not change', () => {
    const before = '第一条 用户资料\n甲方应按期缴纳服务费。\n第二条 服务内容\n';
    const after = '第一条 用户资料\n甲方应按期足额缴纳服务费，逾期加收违约金。\n第二条 服务内容\n';
    expect(readableDiff(before, after, 'zh-CN')).toEqual([
      { change: 'same', text: '第一条 用户资料\n甲方应按期' },
      { change: 'inserted', text: '足额' },
      { change: 'same', text: '缴纳服务费' },
      { change: 'inserted', text: '，逾期加收违约金' },
      { change: 'same', text: '。\n第二条 服务内容\n' },
    ]);
  });

  it('shows a removed clause as deleted', () => {
    const segments = readableDiff('甲。\n乙条款删除。\n丙。\n', '甲。\n丙。\n', 'zh-CN');
    expect(segments).toEqual([
      { change: 'same', text: '甲。\n' },
      { change: 'deleted', text: '乙条款删除。\n' },
      { change: 'same', text: '丙。\n' },
    ]);
  });
});
