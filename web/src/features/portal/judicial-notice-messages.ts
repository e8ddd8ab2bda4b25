// Strings of the portal's notice of a judicial suspension (clause 10): neutral, with the support
// contact; the order's details only when the legal officer allowed them. Chinese is the source.

export const judicialNoticeMessagesZhCN = {
  judicialNotice: {
    title: '服务已暂停',
    body: '您的服务已暂停。如有疑问，请联系客服：{{contact}}',
    detailsTitle: '暂停依据',
    authority: '机关：{{value}}',
    caseNumber: '案号：{{value}}',
    legalBasis: '依据：{{value}}',
    period: '期间：{{from}} 至 {{until}}',
    untilLifted: '解除为止',
  },
};

export const judicialNoticeMessagesEn: typeof judicialNoticeMessagesZhCN = {
  judicialNotice: {
    title: 'Service suspended',
    body: 'Your service is suspended. For questions, contact customer service: {{contact}}',
    detailsTitle: 'Grounds',
    authority: 'Authority: {{value}}',
    caseNumber: 'Case: {{value}}',
    legalBasis: 'Basis: {{value}}',
    period: 'Period: {{from}} to {{until}}',
    untilLifted: 'until lifted',
  },
};
