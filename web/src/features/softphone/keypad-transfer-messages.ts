// Strings of the in-call keypad and of call transfer. Chinese is the source; English has the same shape.

export const keypadTransferMessagesZhCN = {
  keypad: {
    open: '拨号键盘',
    close: '收起键盘',
    label: '拨号键盘（也可直接按键盘上的 0–9、* 和 #）',
    sent: '已发送：{{digits}}',
    transport: { rfc4733: '随语音发送（RFC 4733）', info: '以 SIP INFO 发送' },
  },
  transfer: {
    open: '转接',
    cancel: '取消',
    number: '转接到的号码',
    submit: '转接',
    status: {
      requested: '正在请求对方转接到 {{target}}…',
      accepted: '对方已同意，正在呼叫 {{target}}…',
      ringing: '{{target}} 正在振铃…',
      succeeded: '已转接到 {{target}}。',
      failed: '转接到 {{target}} 未成功（{{detail}}），通话继续。',
    },
    incoming: '转接中…正在接通 {{target}}',
    incomingBy: '（由 {{by}} 转接）',
    incomingFailed: '转接到 {{target}} 未成功（{{detail}}），回到原通话。',
  },
};

export const keypadTransferMessagesEn: typeof keypadTransferMessagesZhCN = {
  keypad: {
    open: 'Keypad',
    close: 'Hide keypad',
    label: 'Keypad (the keys 0–9, * and # on your keyboard work too)',
    sent: 'Sent: {{digits}}',
    transport: { rfc4733: 'in the audio (RFC 4733)', info: 'as SIP INFO' },
  },
  transfer: {
    open: 'Transfer',
    cancel: 'Cancel',
    number: 'Number to transfer to',
    submit: 'Transfer',
    status: {
      requested: 'Asking the other party to call {{target}}…',
      accepted: 'Accepted; calling {{target}}…',
      ringing: '{{target}} is ringing…',
      succeeded: 'Transferred to {{target}}.',
      failed: 'The transfer to {{target}} did not succeed ({{detail}}); the call goes on.',
    },
    incoming: 'Transferring… connecting you to {{target}}',
    incomingBy: '(transferred by {{by}})',
    incomingFailed: 'The transfer to {{target}} did not succeed ({{detail}}); back to the original call.',
  },
};
