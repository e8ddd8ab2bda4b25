// Strings of the public navigation, the portal's status card, the signed agreement's downloads and
// the terms change reader. Chinese is the source; English is typed by it.

export const standingMessagesZhCN = {
  publicNav: {
    prices: '资费',
    apply: '申请开户',
    portal: '用户登录',
    phone: '网页电话',
    homeApply: '立即申请',
    homePortal: '登录自助服务',
    homePhone: '打开网页电话',
    applyForPlan: '申请此套餐',
  },
  standing: {
    headlines: {
      applied: '资料审核中',
      documents_requested: '需补充证件材料',
      approved: '审核通过，待签署协议',
      rejected: '申请未通过',
      active: '服务正常',
      suspended: '服务已暂停',
      terminated: '协议已终止',
      terminating: '协议解除办理中',
    },
    suspension: {
      overdue: '账单逾期未付，服务已暂停（协议第五条）。缴清后立即恢复。',
      'credit-limit': '本月费用已达信用额度，拨出电话已暂停（协议第九条）。提前缴纳本月费用或调高额度后恢复。',
      // Clause 10: neutral words; the order itself is shown only where the legal officer allowed it.
      judicial: '服务已暂停。',
      'false-data': '登记资料有待核实，服务已暂停（协议第一条）。提交真实有效的证件材料，核实后恢复。',
      abuse: '因涉嫌违法使用，服务已暂停（协议第三条）。',
    },
    blocks: { all: '呼入和呼出均暂停', outgoing: '仍可接听来电，不能拨出' },
    since: '自 {{time}} 起',
    terminationWaits: '您已于 {{time}} 申请解除协议。尚欠 {{amount}}，结清后协议即终止（协议第十一条）；在此之前仍可接听来电，不能拨出。',
    terminationCompleting: '您已于 {{time}} 申请解除协议，费用已结清，协议即将终止。',
    owed: '当前应付 {{amount}}。',
    owedOverdue: '当前应付 {{amount}}，其中有逾期账单，请尽快缴纳以免产生违约金或暂停服务。',
    nothingOwed: '当前没有应付费用。',
    actions: {
      pay: '在线缴费 {{amount}}',
      payBill: '缴纳逾期账单 {{amount}}',
      payMonthFees: '提前缴纳本月费用 {{amount}}',
      payFinal: '缴清最终费用 {{amount}}',
      contactSupport: '联系客服：{{contact}}',
      readNotices: '阅读通知',
      sendDocuments: '补充证件材料',
      raiseCreditLimit: '调整信用额度',
    },
  },
  agreementDocs: {
    pdf: '下载 PDF',
    json: '签署副本（JSON，供机器校验）',
    verifyHint: 'PDF 内含签署记录、乙方电子签章指纹和验证方法。',
  },
  termsReader: {
    read: '阅读新版全文及修改对照',
    hide: '收起',
    diffTitle: '与现行第 {{version}} 版的对照',
    legend: '图例：',
    inserted: '新增',
    deleted: '删除',
    fullTitle: '第 {{version}} 版全文',
    noChanges: '文本没有变化。',
  },
};

export type StandingMessages = typeof standingMessagesZhCN;

export const standingMessagesEn: StandingMessages = {
  publicNav: {
    prices: 'Prices',
    apply: 'Apply',
    portal: 'Sign in',
    phone: 'Web phone',
    homeApply: 'Apply now',
    homePortal: 'Sign in to your account',
    homePhone: 'Open the web phone',
    applyForPlan: 'Apply for this plan',
  },
  standing: {
    headlines: {
      applied: 'Details under review',
      documents_requested: 'Documents needed',
      approved: 'Approved, agreement to sign',
      rejected: 'Application declined',
      active: 'Service active',
      suspended: 'Service suspended',
      terminated: 'Agreement ended',
      terminating: 'Ending the agreement',
    },
    suspension: {
      overdue: 'A bill is overdue, so the service is suspended (clause 5). It is restored as soon as it is paid.',
      'credit-limit':
        "This month's fees reached the credit limit, so outgoing calls are paused (clause 9). Pay this month's fees early or raise the limit to resume.",
      judicial: 'Service suspended.',
      'false-data':
        'Your registration data is being verified, so the service is suspended (clause 1). Send valid documents; it resumes once verified.',
      abuse: 'The service is suspended on a report of unlawful use (clause 3).',
    },
    blocks: { all: 'Incoming and outgoing calls are blocked', outgoing: 'You can still be called but cannot call out' },
    since: 'since {{time}}',
    terminationWaits:
      'You asked to end the agreement on {{time}}. {{amount}} is still owed; the agreement ends as soon as it is paid (clause 11). Until then you can be called but cannot call out.',
    terminationCompleting: 'You asked to end the agreement on {{time}}; everything is paid and the agreement is about to end.',
    owed: 'Owed now: {{amount}}.',
    owedOverdue: 'Owed now: {{amount}}, including an overdue bill. Pay soon to avoid late fees or a suspension.',
    nothingOwed: 'Nothing is owed now.',
    actions: {
      pay: 'Pay {{amount}} online',
      payBill: 'Pay the overdue bill, {{amount}}',
      payMonthFees: "Pay this month's fees early, {{amount}}",
      payFinal: 'Settle the final amount, {{amount}}',
      contactSupport: 'Contact support: {{contact}}',
      readNotices: 'Read your notices',
      sendDocuments: 'Send documents',
      raiseCreditLimit: 'Change the credit limit',
    },
  },
  agreementDocs: {
    pdf: 'Download PDF',
    json: 'Signed copy (JSON, for machines)',
    verifyHint: "The PDF holds the signature record, the operator's seal fingerprint and how to verify it.",
  },
  termsReader: {
    read: 'Read the new text and what changes',
    hide: 'Hide',
    diffTitle: 'Compared with version {{version}}, in force',
    legend: 'Key:',
    inserted: 'added',
    deleted: 'removed',
    fullTitle: 'Version {{version}} in full',
    noChanges: 'The text does not change.',
  },
};
