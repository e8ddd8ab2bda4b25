import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { formatMoney } from '../platform/money.js';
import type { BillDetail } from './statements.js';

/**
 * A bill as PDF, in Chinese and English (clause 5: bills the subscriber can keep). Chinese needs a
 * font with CJK glyphs embedded: WenQuanYi Zen Hei from Debian's fonts-wqy-zenhei (GPL with the
 * font exception, so embedding it in documents is allowed). BILL_PDF_FONT names another file.
 */
const billKindLabels: Record<string, string> = {
  final: '（最终账单 final bill）',
  supplementary: '（补充账单 supplementary bill）',
};

export const defaultCjkFont = '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc';

const kindLabels: Record<string, string> = {
  rent: '月租 Monthly rent',
  usage: '视频通话费 Video calls',
  late_fee: '滞纳金 Late fee',
  adjustment: '调整 Adjustment',
  correction: '更正 Correction',
};

export function cjkFontPath(): string | null {
  const path = process.env.BILL_PDF_FONT ?? defaultCjkFont;
  return existsSync(path) ? path : null;
}

export async function renderBillPdf(bill: BillDetail, operator: { name: string; currency: string }): Promise<Buffer> {
  const font = cjkFontPath();
  if (!font) throw new Error(`no CJK font for bill PDFs at ${process.env.BILL_PDF_FONT ?? defaultCjkFont}`);
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `Bill ${bill.period}`, Author: operator.name } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // A .ttc holds several faces; the second argument picks the one by its PostScript name.
  doc.registerFont('cjk', font, 'WenQuanYiZenHei');
  doc.font('cjk');
  const money = (fen: number) => formatMoney(fen, operator.currency, 'zh-CN');
  doc.fontSize(18).text(`${operator.name}`);
  doc.fontSize(14).text(`账单 Bill — ${bill.period.slice(0, 7)}${billKindLabels[bill.kind] ?? ''}`);
  doc.moveDown(0.5).fontSize(10);
  doc.text(`账单编号 Bill no.: ${bill.id}`);
  doc.text(`出账日期 Issued: ${bill.issueDate}    缴费截止日 Due: ${bill.dueDate}`);
  if (bill.serviceFrom && bill.serviceTo) doc.text(`服务期间 Service: ${bill.serviceFrom} – ${bill.serviceTo}`);
  doc.moveDown();
  for (const line of bill.lines) {
    doc.text(`${line.position}. ${kindLabels[line.kind] ?? line.kind}: ${line.description}`, { continued: true });
    doc.text(`  ${money(line.amountFen)}`, { align: 'right' });
  }
  for (const credit of bill.credits) {
    doc.text(`退还 Credit ${credit.postedAt.slice(0, 10)}: ${money(credit.amountFen)} — ${credit.description}`);
  }
  for (const payment of bill.payments) {
    doc.text(`付款 Paid ${payment.paidAt.slice(0, 10)}: ${money(payment.amountFen)}`);
    // Clause 5: a date further back than the tolerance moved the late fee; the bill says why.
    if (payment.backdateReason) doc.text(`  倒签原因 Dated back because: ${payment.backdateReason}`);
  }
  doc.moveDown();
  doc.fontSize(12).text(`合计 Total: ${money(bill.totalFen)}    未付 Outstanding: ${money(bill.outstandingFen)}`);
  doc.fontSize(9).moveDown();
  doc.text(
    `逾期每日按未付本金的 ${Number(bill.lateFee.ratePerDay) * 100}% 收取滞纳金（协议第五条）。Late payment: ${Number(bill.lateFee.ratePerDay) * 100}% of the unpaid principal per day (clause 5).`,
  );
  doc.end();
  return done;
}
