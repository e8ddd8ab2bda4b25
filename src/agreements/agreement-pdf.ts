import { createHash, createPublicKey } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { cjkFontFace, cjkFontFile } from '../platform/cjk-font.js';
import { verifySignedCopy, type SignedCopy } from './signing.js';

/**
 * The signed agreement as a PDF people keep and read (clause 17): the exact text of the version
 * signed, both parties' signature details, the operator's seal fingerprint, and how to verify it.
 *
 * The PDF is a pure function of the signed copy: fixed dates (the signing time), no random file ID
 * (pdfkit derives it from the document info), so the same copy always gives the same bytes. The
 * JSON signed copy travels inside the PDF's document information; verifying a PDF re-checks that
 * copy's hash and seal and renders it again: a PDF whose text or details were edited no longer
 * matches byte for byte.
 */
export const SIGNED_COPY_INFO_KEY = 'VideophoneSignedCopy';
const signedCopyPrefix = 'vp-signed-copy:';

const languageNames: Record<string, string> = { 'zh-CN': '中文 Chinese', en: '英文 English' };

/** SHA-256 of the seal's public key (SPKI DER), in groups of four: what a person compares by eye. */
export function sealFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return hex.match(/.{4}/g)!.join(' ');
}

export async function renderAgreementPdf(copy: SignedCopy): Promise<Buffer> {
  const font = cjkFontFile();
  if (!font) throw new Error('no CJK font for agreement PDFs (install fonts-wqy-zenhei or set BILL_PDF_FONT)');
  const { signature } = copy;
  const signedAt = new Date(signature.signedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: {
      Title: `可视电话服务协议 Videophone service agreement v${signature.version}`,
      Subject: `Signed agreement ${signature.id}`,
      CreationDate: signedAt,
      ModDate: signedAt,
      // pdfkit writes custom info entries as literal strings; base64 needs no escaping.
      [SIGNED_COPY_INFO_KEY]: signedCopyPrefix + Buffer.from(JSON.stringify(copy), 'utf8').toString('base64'),
    } as PDFKit.DocumentInfo,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font, cjkFontFace);
  doc.font('cjk');

  doc.fontSize(16).text(`可视电话服务协议 第${signature.version}版`);
  doc
    .fontSize(11)
    .text(`Videophone service agreement, version ${signature.version} — ${languageNames[signature.language] ?? signature.language}`);
  doc.moveDown();

  doc.fontSize(12).text('签署记录 Signature record');
  doc.fontSize(9);
  doc.text(`记录编号 Record: ${signature.id}`);
  doc.text(`用户（甲方）Subscriber: ${signature.subscriberId}`);
  doc.text(`签署时间 Signed at: ${signature.signedAt} (UTC)`);
  doc.text('签署方式 How: 用户在用户门户阅读全文后在线签署 signed online in the subscriber portal after reading the full text');
  doc.text(`IP: ${signature.ip ?? '—'}`);
  doc.text(`浏览器 User agent: ${signature.userAgent ?? '—'}`);
  doc.text(`协议文本 SHA-256 Text SHA-256: ${signature.textSha256}`);
  doc.moveDown(0.5);

  doc.fontSize(12).text('服务提供方（乙方）电子签章 Operator’s electronic seal');
  doc.fontSize(9);
  doc.text(`签章密钥 Seal key: ${signature.operatorKeyId} (Ed25519)`);
  doc.text(`签章指纹 Seal fingerprint (SHA-256 of the public key): ${sealFingerprint(copy.operatorPublicKey)}`);
  doc.text(`签章值 Seal signature: ${signature.operatorSignature}`);
  doc.moveDown(0.5);

  doc.fontSize(12).text('如何验证 How to verify');
  doc.fontSize(9);
  doc.text(
    '本文件内含机器可读的签署副本（JSON）。将本 PDF 或 JSON 副本提交至 POST /api/agreements/verifications，或运行 `videophone agreement verify <文件>`：' +
      '验证协议文本的 SHA-256、乙方签章，并确认本 PDF 未被改动。',
  );
  doc.text(
    'This file carries the machine-readable signed copy (JSON). Send this PDF or the JSON copy to POST /api/agreements/verifications, or run ' +
      '`videophone agreement verify <file>`: it checks the text’s SHA-256, the operator’s seal, and that this PDF was not altered.',
  );
  doc.moveDown();

  doc.fontSize(12).text('协议全文 Full text');
  doc.moveDown(0.5);
  doc.fontSize(10).text(copy.text);
  doc.end();
  return done;
}

export type AgreementDocumentCheck =
  | { valid: true; format: 'pdf' | 'json'; signature: SignedCopy['signature'] }
  | {
      valid: false;
      format: 'pdf' | 'json' | 'unknown';
      reason: 'unreadable' | 'no-signed-copy' | 'text-or-seal-invalid' | 'unknown-seal' | 'pdf-altered';
    };

/**
 * Checks a signed agreement someone presents, PDF or JSON: the text hashes to the recorded hash, the
 * seal is valid and is the operator's own (a copy sealed by any other key proves nothing), and a PDF
 * is exactly the one this copy renders to.
 */
export async function verifyAgreementDocument(bytes: Buffer, operatorKeyIds: readonly string[]): Promise<AgreementDocumentCheck> {
  const isPdf = bytes.subarray(0, 5).toString('latin1') === '%PDF-';
  const format = isPdf ? 'pdf' : 'json';
  const copy = isPdf ? signedCopyInPdf(bytes) : parseSignedCopy(bytes.toString('utf8'));
  if (copy === 'unreadable') return { valid: false, format: isPdf ? 'pdf' : 'unknown', reason: 'unreadable' };
  if (copy === null) return { valid: false, format, reason: 'no-signed-copy' };
  if (!verifySignedCopy(copy)) return { valid: false, format, reason: 'text-or-seal-invalid' };
  if (!operatorKeyIds.includes(copy.signature.operatorKeyId)) return { valid: false, format, reason: 'unknown-seal' };
  if (isPdf && !(await renderAgreementPdf(copy)).equals(bytes)) return { valid: false, format, reason: 'pdf-altered' };
  return { valid: true, format, signature: copy.signature };
}

function signedCopyInPdf(bytes: Buffer): SignedCopy | null | 'unreadable' {
  const match = /\(vp-signed-copy:([A-Za-z0-9+/=]+)\)/.exec(bytes.toString('latin1'));
  if (!match) return null;
  return parseSignedCopy(Buffer.from(match[1]!, 'base64').toString('utf8'));
}

function parseSignedCopy(text: string): SignedCopy | 'unreadable' {
  try {
    const value = JSON.parse(text) as Partial<SignedCopy> | null;
    const s = value?.signature;
    if (
      typeof value?.text !== 'string' ||
      typeof value.operatorPublicKey !== 'string' ||
      typeof s !== 'object' ||
      s === null ||
      typeof s.id !== 'string' ||
      typeof s.subscriberId !== 'string' ||
      typeof s.version !== 'number' ||
      typeof s.language !== 'string' ||
      typeof s.textSha256 !== 'string' ||
      typeof s.signedAt !== 'string' ||
      typeof s.operatorSignature !== 'string' ||
      typeof s.operatorKeyId !== 'string'
    ) {
      return 'unreadable';
    }
    return value as SignedCopy;
  } catch {
    return 'unreadable';
  }
}
