// Strings of the console's audit log page. Chinese is the source; English is typed by it. The action
// phrases come from the server (src/audit/action-phrases.ts), which also writes them into the CSV export.

export const auditMessagesZhCN = {
  auditLog: {
    intro: '谁在何时对什么做了什么。可按时间、操作人、对象和操作筛选；导出包含全部符合条件的记录。',
    from: '起始日期',
    to: '截止日期（含）',
    actor: '操作人（用户名或编号）',
    targetType: '对象类型',
    targetId: '对象编号',
    action: '操作代码（开头）',
    apply: '筛选',
    clear: '清除',
    export: '导出 CSV',
    newer: '较新',
    older: '较早',
    actorTypes: { staff: '员工', subscriber: '用户', system: '系统', anonymous: '匿名' },
    anyTarget: '全部',
    targetTypes: { staff: '员工', subscriber: '用户', plan: '资费套餐' },
  },
};

export type AuditMessages = typeof auditMessagesZhCN;

export const auditMessagesEn: AuditMessages = {
  auditLog: {
    intro: 'Who did what to what, and when. Filter by date, actor, target and action; the export holds every matching entry.',
    from: 'From',
    to: 'To (inclusive)',
    actor: 'Actor (username or id)',
    targetType: 'Target type',
    targetId: 'Target id',
    action: 'Action code (prefix)',
    apply: 'Filter',
    clear: 'Clear',
    export: 'Export CSV',
    newer: 'Newer',
    older: 'Older',
    actorTypes: { staff: 'Staff', subscriber: 'Subscriber', system: 'System', anonymous: 'Anonymous' },
    anyTarget: 'Any',
    targetTypes: { staff: 'Staff', subscriber: 'Subscriber', plan: 'Plan' },
  },
};
