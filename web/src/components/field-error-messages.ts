// Words for the server's field error codes (src/platform/field-error-codes.ts): what a person reads
// next to a field. Chinese is the source; English is typed by it. A test keeps the two code lists equal.

export const fieldErrorMessagesZhCN = {
  fieldErrors: {
    required: '必填',
    'too-short': '至少 {{limit}} 个字符',
    'too-long': '最多 {{limit}} 个字符',
    pattern: '格式不正确',
    format: '格式不正确',
    formats: {
      date: '请填写有效的日期',
      'date-time': '请填写有效的日期和时间',
      email: '请填写有效的电子邮箱地址',
      uuid: '编号格式不正确',
      uri: '请填写有效的网址',
    },
    'too-small': '不能小于 {{limit}}',
    'too-large': '不能大于 {{limit}}',
    'not-integer': '请填写整数',
    type: '填写的内容类型不正确',
    'not-allowed-value': '请从可选项中选择',
    'unknown-field': '包含不认识的内容',
    'too-few': '至少 {{limit}} 项',
    'too-many': '最多 {{limit}} 项',
    'not-multiple': '必须是 {{limit}} 的整数倍',
    taken: '已被占用',
    unknown: '找不到对应的记录',
    'in-the-past': '不能早于现在',
    'in-the-future': '不能晚于现在',
    'out-of-order': '时间先后顺序不正确',
    invalid: '填写的内容无效',
    summary: '请修改标出的内容后再提交。',
    fieldLabel: '{{label}}：{{message}}',
  },
};

type FieldErrorMessages = typeof fieldErrorMessagesZhCN;

export const fieldErrorMessagesEn: FieldErrorMessages = {
  fieldErrors: {
    required: 'Required',
    'too-short': 'At least {{limit}} characters',
    'too-long': 'At most {{limit}} characters',
    pattern: 'Not in the expected format',
    format: 'Not in the expected format',
    formats: {
      date: 'Enter a valid date',
      'date-time': 'Enter a valid date and time',
      email: 'Enter a valid e-mail address',
      uuid: 'Not a valid reference',
      uri: 'Enter a valid web address',
    },
    'too-small': 'Must be at least {{limit}}',
    'too-large': 'Must be at most {{limit}}',
    'not-integer': 'Enter a whole number',
    type: 'Not the expected kind of value',
    'not-allowed-value': 'Choose one of the options',
    'unknown-field': 'Contains something unexpected',
    'too-few': 'At least {{limit}} items',
    'too-many': 'At most {{limit}} items',
    'not-multiple': 'Must be a multiple of {{limit}}',
    taken: 'Already taken',
    unknown: 'No such record',
    'in-the-past': 'Cannot be in the past',
    'in-the-future': 'Cannot be in the future',
    'out-of-order': 'The dates are in the wrong order',
    invalid: 'Not valid',
    summary: 'Please correct the marked fields and submit again.',
    fieldLabel: '{{label}}: {{message}}',
  },
};
