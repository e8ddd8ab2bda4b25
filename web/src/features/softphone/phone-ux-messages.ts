// Strings of the softphone's ringing, attention, peer state, quality bars, fullscreen and history
// labels. Chinese is the source; English has the same shape.

export const phoneUxMessagesZhCN = {
  phoneUx: {
    sound: {
      title: '铃声与通知',
      enable: '开启声音',
      enabledHint: '来电铃声和回铃音已开启。',
      disabledHint: '浏览器要求先点击页面才能播放声音：请点击“开启声音”，否则来电时不会响铃。',
      unavailable: '此浏览器无法播放铃声。',
      notifications: '在后台时用桌面通知提醒来电',
      notificationsDenied: '浏览器已禁止本站的通知，可在地址栏的网站设置中重新允许。',
      notificationsUnsupported: '此浏览器不支持桌面通知。',
      offerNotifications: '切换到其他标签页时也想知道有来电？开启桌面通知。',
      offerAccept: '开启通知',
      offerDismiss: '暂不',
    },
    attention: {
      incomingTitle: '({{count}}) 来电…',
      missedTitle: '({{count}}) 未接来电',
      notificationTitle: '视频电话来电',
    },
    peer: {
      muted: '对方已静音',
      cameraOff: '对方已关闭摄像头',
      held: '通话被对方保持',
      poorConnection: '网络连接质量差',
    },
    bars: {
      label: '通话质量：{{bars}}/4 格',
      details: '详细数据',
    },
    stage: {
      fullscreen: '全屏',
      exitFullscreen: '退出全屏',
      pictureInPicture: '画中画',
      exitPictureInPicture: '退出画中画',
      connectingPhone: '正在连接服务器…',
    },
    outcome: {
      answered: '已接通',
      ringing: '振铃中',
      missed: '未接',
      declined: '已拒接',
      cancelled: '已取消',
      busy: '忙线',
      'no-answer': '无人接听',
      unreachable: '无法接通',
      failed: '呼叫失败',
      failedWith: '呼叫失败：{{reason}}',
    },
    failureReason: {
      '402': '信用额度已用完',
      '403': '服务被拒绝',
      '404': '号码不存在',
      '488': '媒体格式不兼容',
      server: '服务器错误',
      other: 'SIP {{status}}',
    },
  },
};

export const phoneUxMessagesEn: typeof phoneUxMessagesZhCN = {
  phoneUx: {
    sound: {
      title: 'Ringing and notifications',
      enable: 'Turn sound on',
      enabledHint: 'The ringtone and ringback are on.',
      disabledHint: 'The browser plays sound only after a click on the page: choose “Turn sound on”, or incoming calls will not ring.',
      unavailable: 'This browser cannot play the ringtone.',
      notifications: 'Notify me of calls when the phone is in the background',
      notificationsDenied: 'The browser blocks notifications from this site; allow them again in the site settings next to the address.',
      notificationsUnsupported: 'This browser does not support desktop notifications.',
      offerNotifications: 'Want to know about calls while you are in another tab? Turn on desktop notifications.',
      offerAccept: 'Turn on notifications',
      offerDismiss: 'Not now',
    },
    attention: {
      incomingTitle: '({{count}}) Incoming call…',
      missedTitle: '({{count}}) Missed call',
      notificationTitle: 'Incoming video call',
    },
    peer: {
      muted: 'They are muted',
      cameraOff: 'Their camera is off',
      held: 'They put the call on hold',
      poorConnection: 'Poor connection',
    },
    bars: {
      label: 'Call quality: {{bars}} of 4 bars',
      details: 'Details',
    },
    stage: {
      fullscreen: 'Full screen',
      exitFullscreen: 'Exit full screen',
      pictureInPicture: 'Picture in picture',
      exitPictureInPicture: 'Exit picture in picture',
      connectingPhone: 'Connecting to the server…',
    },
    outcome: {
      answered: 'Answered',
      ringing: 'Ringing',
      missed: 'Missed',
      declined: 'Declined',
      cancelled: 'Cancelled',
      busy: 'Busy',
      'no-answer': 'No answer',
      unreachable: 'Unreachable',
      failed: 'Failed',
      failedWith: 'Failed: {{reason}}',
    },
    failureReason: {
      '402': 'credit limit reached',
      '403': 'refused by the service',
      '404': 'no such number',
      '488': 'incompatible media',
      server: 'server error',
      other: 'SIP {{status}}',
    },
  },
};
