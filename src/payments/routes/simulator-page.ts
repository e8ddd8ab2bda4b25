import type { FastifyInstance, FastifyReply } from 'fastify';
import Type from 'typebox';
import type { PaymentSimulator, SimulatorOrder } from '../providers/simulator.js';

/**
 * The simulator's cashier page, where its QR code points: what a payer sees in the provider's app
 * after scanning. Served only while the simulator runs (never in production). Plain HTML forms, in
 * Chinese and English side by side, so it works on a phone without the web app.
 */
export async function simulatorPageRoutes(scope: FastifyInstance, options: { simulator: PaymentSimulator }): Promise<void> {
  const { simulator } = options;
  // The page's buttons post empty forms.
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  const TradeNo = Type.Object({ tradeNo: Type.String({ pattern: '^SIM[0-9A-F]{24}$' }) });

  scope.get('/simulator/pay/:tradeNo', { schema: { hide: true, params: TradeNo } }, async (request, reply) => {
    const { tradeNo } = request.params as { tradeNo: string };
    const order = await simulator.order(tradeNo);
    return sendPage(reply, order, (request.query as { sent?: string }).sent ?? null);
  });

  const actions: Record<string, (tradeNo: string) => Promise<unknown>> = {
    pay: (tradeNo) => simulator.settle(tradeNo, 'succeeded'),
    fail: (tradeNo) => simulator.settle(tradeNo, 'failed'),
    duplicate: (tradeNo) => simulator.sendDuplicate(tradeNo),
    'out-of-order': (tradeNo) => simulator.sendOutOfOrder(tradeNo),
  };
  scope.post(
    '/simulator/pay/:tradeNo/:action',
    { schema: { hide: true, params: Type.Object({ tradeNo: TradeNo.properties.tradeNo, action: Type.String() }) } },
    async (request, reply) => {
      const { tradeNo, action } = request.params as { tradeNo: string; action: string };
      const run = actions[action];
      if (!run) return reply.code(404).send();
      await run(tradeNo);
      const sent = action === 'duplicate' || action === 'out-of-order' ? `?sent=${action}` : '';
      return reply.redirect(`/simulator/pay/${tradeNo}${sent}`, 303);
    },
  );
}

const statusText: Record<SimulatorOrder['status'], string> = {
  pending: '待支付 Awaiting payment',
  succeeded: '支付成功 Paid',
  failed: '支付失败 Payment failed',
  closed: '已关闭 Closed',
};

function sendPage(reply: FastifyReply, order: SimulatorOrder | null, sent: string | null) {
  const body = order
    ? `<h1>支付模拟器 <small>Payment simulator</small></h1>
<p class="warn">本页模拟支付机构，不会产生真实扣款。 This page simulates a payment provider; no money moves.</p>
<dl>
<dt>商品 Item</dt><dd>${escape(order.description)}</dd>
<dt>金额 Amount</dt><dd data-testid="simulator-amount">¥${(order.amountFen / 100).toFixed(2)}</dd>
<dt>交易号 Trade no.</dt><dd data-testid="simulator-trade-no">${escape(order.tradeNo)}</dd>
<dt>状态 Status</dt><dd data-testid="simulator-status">${statusText[order.status]}</dd>
<dt>通知 Notification</dt><dd data-testid="simulator-delivery">${
        order.acknowledgedAt
          ? '已确认 acknowledged'
          : order.deliveryAttempts > 0
            ? `未确认，已尝试 ${order.deliveryAttempts} 次 not acknowledged yet (${order.deliveryAttempts} tries)`
            : '—'
      }</dd>
</dl>
${
  order.status === 'pending'
    ? `<form method="post" action="/simulator/pay/${order.tradeNo}/pay"><button type="submit" data-testid="simulator-pay">确认支付 Pay</button></form>
<form method="post" action="/simulator/pay/${order.tradeNo}/fail"><button type="submit" class="secondary" data-testid="simulator-fail">模拟支付失败 Fail the payment</button></form>`
    : `<p><a href="${escape(order.returnUrl)}" data-testid="simulator-return">返回商户 Back to Videophone</a></p>
<h2>测试 Testing</h2>
<form method="post" action="/simulator/pay/${order.tradeNo}/duplicate"><button type="submit" class="secondary" data-testid="simulator-duplicate">再次发送通知（重复） Send the notification again</button></form>
<form method="post" action="/simulator/pay/${order.tradeNo}/out-of-order"><button type="submit" class="secondary" data-testid="simulator-out-of-order">发送过期的相反通知（乱序） Send a stale opposite notification</button></form>
${sent ? `<p data-testid="simulator-sent">已发送 Sent: ${escape(sent)}</p>` : ''}`
}`
    : '<h1>支付模拟器 <small>Payment simulator</small></h1><p>没有这笔交易。 No such payment.</p>';
  return reply
    .code(order ? 200 : 404)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>支付模拟器 Payment simulator</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}h1 small{font-size:.55em;color:#666}dt{color:#666;font-size:.85em;margin-top:.6rem}dd{margin:0;font-size:1.1em}button{width:100%;padding:.8rem;margin-top:.8rem;font-size:1.05em;border:0;border-radius:.4rem;background:#1677ff;color:#fff}button.secondary{background:#eee;color:#1b1b1b}.warn{background:#fff7e6;padding:.5rem;border-radius:.3rem;font-size:.9em}</style></head>
<body>${body}</body></html>`,
    );
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
