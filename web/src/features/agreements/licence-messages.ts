// Strings of the console's client licence pages (clause 3). Chinese is the source; English has the same shape.

export const licenceConsoleMessagesZhCN = {
  licenceConsole: {
    title: '客户端软件许可',
    intro:
      '客户端软件许可协议（服务协议第3条）的各个版本。新版本随软件发布：在代码中新增各语言的文本文件并登记版本号和生效时间，随版本部署后于生效时间起成为现行版本；用户在每台设备上接受一次。',
    version: '版本',
    effective: '生效时间',
    current: '现行',
    summary: '说明',
    accepted: '已接受',
    acceptedCounts: '{{subscribers}} 位用户，{{devices}} 台设备',
    hash: '文本摘要（SHA-256）',
    text: '查看文本',
    empty: '尚无许可协议版本。',
    acceptancesTitle: '软件许可接受记录',
    acceptancesEmpty: '该用户尚未在任何设备上接受软件许可协议。',
    acceptedAt: '接受时间',
    device: '设备标识',
    userAgent: '浏览器标识',
    language: '文本语言',
  },
};

export const licenceConsoleMessagesEn: typeof licenceConsoleMessagesZhCN = {
  licenceConsole: {
    title: 'Client software licence',
    intro:
      'The versions of the client software licence (clause 3 of the service agreement). A new version ships with the software: a text file per language and an entry with its number and effective time are added in the code; once deployed, it becomes current at its effective time, and subscribers accept it once on each device.',
    version: 'Version',
    effective: 'In effect from',
    current: 'current',
    summary: 'Summary',
    accepted: 'Accepted by',
    acceptedCounts: '{{subscribers}} subscribers, {{devices}} devices',
    hash: 'Text digest (SHA-256)',
    text: 'Read the text',
    empty: 'No licence versions yet.',
    acceptancesTitle: 'Client licence acceptances',
    acceptancesEmpty: 'This subscriber has not accepted the client licence on any device.',
    acceptedAt: 'Accepted at',
    device: 'Device id',
    userAgent: 'Browser (User-Agent)',
    language: 'Language',
  },
};
