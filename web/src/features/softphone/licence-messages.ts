// Strings of the softphone's licence screen (clause 3). Chinese is the source; English has the same shape.

export const licenceMessagesZhCN = {
  licence: {
    title: '客户端软件许可协议',
    intro: '使用视频电话前，请阅读并接受本协议。新版本生效后，您需要在每台设备上重新接受一次。',
    version: '第 {{version}} 版，{{date}} 起生效',
    textLanguage: '协议文本语言',
    accept: '接受',
    accepting: '正在记录…',
    backToPortal: '不接受，返回自助服务',
    record: '我们将记录接受的版本、时间、本设备标识和浏览器标识，以及所读文本的摘要值。',
  },
};

export const licenceMessagesEn: typeof licenceMessagesZhCN = {
  licence: {
    title: 'Client software licence',
    intro:
      'Read and accept this licence before using the video phone. When a new version takes effect, you accept it once more on each device.',
    version: 'Version {{version}}, in effect from {{date}}',
    textLanguage: 'Language of the text',
    accept: 'Accept',
    accepting: 'Recording…',
    backToPortal: 'Do not accept; back to self-service',
    record:
      'We record the version, the time, this device’s identifier and your browser’s identification, and the digest of the text you read.',
  },
};
