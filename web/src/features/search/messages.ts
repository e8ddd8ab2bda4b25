// Strings of the console's customer search (the box in the header). Chinese is the source; English is typed by it.

export const searchMessagesZhCN = {
  customerSearch: {
    label: '查找客户',
    placeholder: '姓名、号码、联系电话、证件号后四位…',
    shortcutHint: '按 / 或 Ctrl+K 搜索',
    searching: '正在搜索…',
    noMatch: '没有找到匹配的客户。',
    resultsLabel: '搜索结果',
    bill: '账单 {{period}}',
    noName: '（无姓名）',
    matchedBy: {
      name: '姓名',
      number: '视频电话号码',
      'contact-phone': '联系电话',
      'id-last-four': '证件号后四位',
      account: '账户编号',
      bill: '账单编号',
    },
    statuses: {
      applied: '待审核',
      documents_requested: '待补材料',
      approved: '已通过',
      rejected: '已拒绝',
      active: '在用',
      suspended: '已停机',
      terminated: '已销户',
    },
  },
};

export type SearchMessages = typeof searchMessagesZhCN;

export const searchMessagesEn: SearchMessages = {
  customerSearch: {
    label: 'Find a customer',
    placeholder: 'Name, number, contact phone, last four of ID…',
    shortcutHint: 'Press / or Ctrl+K to search',
    searching: 'Searching…',
    noMatch: 'No customer matches.',
    resultsLabel: 'Search results',
    bill: 'Bill {{period}}',
    noName: '(no name)',
    matchedBy: {
      name: 'Name',
      number: 'Videophone number',
      'contact-phone': 'Contact phone',
      'id-last-four': 'Last four of ID',
      account: 'Account number',
      bill: 'Bill number',
    },
    statuses: {
      applied: 'Under review',
      documents_requested: 'Documents needed',
      approved: 'Approved',
      rejected: 'Rejected',
      active: 'Active',
      suspended: 'Suspended',
      terminated: 'Terminated',
    },
  },
};
