// Strings of the notices pages: the portal inbox and the console's failed deliveries. Chinese is the
// source; English is typed by it.

export const noticeMessagesZhCN = {
  notices: {
    title: '我的通知',
    intro: '运营商的服务通知：协议变更、账单、欠费提醒、服务暂停与恢复、信用额度提醒、争议答复等。通知同时发送到您的电子邮箱。',
    backToPortal: '返回自助服务',
    empty: '您还没有收到通知。',
    unread: '未读',
    urgent: '重要',
    received: '收到时间',
    readAt: '已读于 {{time}}',
    open: '阅读全文',
    close: '收起',
    more: '前往查看',
  },
  noticeDeliveries: {
    title: '通知发送情况',
    intro:
      '电子邮件、SIP 消息和短信发送失败或已放弃的通知。失败的会按退避间隔自动重试；重试多次仍失败的标为“已放弃”，可在此手动重试（记入审计日志）。',
    status: '状态',
    statuses: { pending: '待发送', sent: '已发送', failed: '失败待重试', dead: '已放弃', skipped: '已跳过' },
    allTrouble: '失败和已放弃',
    channel: '渠道',
    channels: { email: '电子邮件', sip: 'SIP 消息', sms: '短信' },
    notice: '通知',
    subscriber: '用户',
    attempts: '尝试次数',
    nextAttempt: '下次尝试',
    lastError: '最近错误',
    updated: '更新时间',
    retry: '重试',
    retried: '已安排重试，将在下一轮发送。',
    empty: '没有此状态的发送记录。',
  },
};

export type NoticeMessages = typeof noticeMessagesZhCN;

export const noticeMessagesEn: NoticeMessages = {
  notices: {
    title: 'My notices',
    intro:
      'Service notices from the operator: agreement changes, bills, overdue warnings, suspension and restoration, credit-limit alerts, dispute answers. They are also sent to your e-mail address.',
    backToPortal: 'Back to the portal',
    empty: 'You have no notices yet.',
    unread: 'Unread',
    urgent: 'Important',
    received: 'Received',
    readAt: 'Read {{time}}',
    open: 'Read',
    close: 'Close',
    more: 'Go there',
  },
  noticeDeliveries: {
    title: 'Notice deliveries',
    intro:
      'Notices whose e-mail, SIP MESSAGE or SMS failed or was given up. Failed ones are retried automatically with growing waits; after repeated failures a delivery is given up and can be retried here (audited).',
    status: 'Status',
    statuses: { pending: 'Pending', sent: 'Sent', failed: 'Failed, will retry', dead: 'Given up', skipped: 'Skipped' },
    allTrouble: 'Failed and given up',
    channel: 'Channel',
    channels: { email: 'E-mail', sip: 'SIP MESSAGE', sms: 'SMS' },
    notice: 'Notice',
    subscriber: 'Subscriber',
    attempts: 'Attempts',
    nextAttempt: 'Next attempt',
    lastError: 'Last error',
    updated: 'Updated',
    retry: 'Retry',
    retried: 'Retry scheduled for the next pass.',
    empty: 'No deliveries with this status.',
  },
};
