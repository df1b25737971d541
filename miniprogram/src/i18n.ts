/**
 * The mini-program's words, zh-CN first and English complete (a test keeps the two key sets
 * equal). The language follows the phone's (`Taro.getSystemInfoSync().language`) unless the
 * agent picked one; `t()` is reactive, so pages re-render when it changes.
 */
import { ref } from 'vue';

const zh = {
  app: { title: '坐席助手' },
  login: {
    title: '登录',
    tabPassword: '账号密码',
    tabCode: '短信验证码',
    email: '邮箱',
    emailPlaceholder: '请输入邮箱',
    password: '密码',
    passwordPlaceholder: '请输入密码',
    mobile: '手机号',
    mobilePlaceholder: '请输入手机号',
    code: '验证码',
    codePlaceholder: '6 位验证码',
    sendCode: '获取验证码',
    resendIn: '{s} 秒后重发',
    codeSent: '验证码已发送',
    submit: '登录',
    language: 'English',
  },
  state: {
    offline: '离线',
    idle: '空闲',
    notReady: '示忙',
    rest: '小休',
    ringing: '振铃中',
    busy: '通话中',
    afterCallWork: '话后整理',
    title: '坐席状态',
    pickReason: '选择小休原因',
    since: '已持续 {t}',
    cannotChoose: '通话中不能切换状态',
  },
  home: {
    tab: '工作台',
    dialTitle: '外呼客户',
    numberLabel: '客户号码',
    numberPlaceholder: '输入或粘贴号码',
    dial: '呼叫',
    dialHint: '系统先呼叫您绑定的手机，接听后再呼叫客户，客户看到的是公司号码。',
    notDialable: '请输入 5–20 位数字',
    mustBeOnline: '请先上线（空闲、示忙或小休）再外呼',
    signOut: '退出登录',
    polling: '实时连接已断开，正在轮询状态…',
    connecting: '正在连接…',
  },
  call: {
    incoming: '来电',
    internal: '同事来电',
    answerOnMobile: '请在手机上接听',
    dialingAgent: '正在呼叫您的手机…',
    agentAnswered: '您已接听，正在呼叫客户…',
    dialingCustomer: '正在呼叫客户…',
    customerRinging: '客户振铃中…',
    connected: '通话中',
    ringing: '振铃中',
    ended: '通话已结束',
    hangup: '挂断',
    cancel: '取消呼叫',
    dismiss: '关闭',
    via: '客户拨打 {n}',
    shownAs: '外显号码 {n}',
    group: '技能组 {g}',
    crmNotFound: '客户资料中没有此号码',
    crmUnavailable: '客户资料暂不可用',
    status: '结果：{s}',
  },
  recent: {
    tab: '最近通话',
    empty: '还没有通话记录',
    inbound: '呼入',
    outbound: '呼出',
    internal: '内部',
    duration: '通话 {t}',
    note: '备注',
    notePlaceholder: '添加备注',
    saveNote: '保存备注',
    saved: '已保存',
    redial: '回拨',
    loadMore: '加载更多',
    loading: '加载中…',
  },
  endStatus: {
    ok: '已接通',
    notAnswer: '客户未接听',
    busy: '客户忙',
    userReject: '客户拒接',
    numberNotExist: '空号',
    numberInvalid: '号码无效',
    notInService: '无法接通',
    operatorError: '线路故障',
    clientError: '坐席未接听',
    callerCancel: '已取消',
    callerCancelWhileRing: '振铃中取消',
    other: '其他',
  },
};

type Dict = typeof zh;

const en: Dict = {
  app: { title: 'Agent' },
  login: {
    title: 'Sign in',
    tabPassword: 'Password',
    tabCode: 'SMS code',
    email: 'Email',
    emailPlaceholder: 'Your email',
    password: 'Password',
    passwordPlaceholder: 'Your password',
    mobile: 'Mobile',
    mobilePlaceholder: 'Your mobile number',
    code: 'Code',
    codePlaceholder: '6-digit code',
    sendCode: 'Send code',
    resendIn: 'Resend in {s} s',
    codeSent: 'Code sent',
    submit: 'Sign in',
    language: '中文',
  },
  state: {
    offline: 'Offline',
    idle: 'Idle',
    notReady: 'Not ready',
    rest: 'Rest',
    ringing: 'Ringing',
    busy: 'On a call',
    afterCallWork: 'Wrap-up',
    title: 'Your state',
    pickReason: 'Pick a rest reason',
    since: 'for {t}',
    cannotChoose: 'You cannot change state during a call',
  },
  home: {
    tab: 'Workbench',
    dialTitle: 'Call a customer',
    numberLabel: 'Customer number',
    numberPlaceholder: 'Type or paste a number',
    dial: 'Call',
    dialHint: 'Your bound mobile rings first; once you answer, the customer is called and sees the company number.',
    notDialable: 'Enter 5–20 digits',
    mustBeOnline: 'Go online (idle, not ready or rest) before dialling',
    signOut: 'Sign out',
    polling: 'Live connection lost; checking your state every few seconds…',
    connecting: 'Connecting…',
  },
  call: {
    incoming: 'Incoming call',
    internal: 'Colleague calling',
    answerOnMobile: 'Answer it on your mobile',
    dialingAgent: 'Calling your mobile…',
    agentAnswered: 'You answered; calling the customer…',
    dialingCustomer: 'Calling the customer…',
    customerRinging: 'The customer’s phone is ringing…',
    connected: 'On the call',
    ringing: 'Ringing',
    ended: 'Call ended',
    hangup: 'Hang up',
    cancel: 'Cancel call',
    dismiss: 'Close',
    via: 'Dialled {n}',
    shownAs: 'Shown as {n}',
    group: 'Group {g}',
    crmNotFound: 'This number is not in the CRM',
    crmUnavailable: 'The CRM is not available',
    status: 'Result: {s}',
  },
  recent: {
    tab: 'Recent',
    empty: 'No calls yet',
    inbound: 'Inbound',
    outbound: 'Outbound',
    internal: 'Internal',
    duration: 'Talked {t}',
    note: 'Note',
    notePlaceholder: 'Add a note',
    saveNote: 'Save note',
    saved: 'Saved',
    redial: 'Call back',
    loadMore: 'Load more',
    loading: 'Loading…',
  },
  endStatus: {
    ok: 'Connected',
    notAnswer: 'Customer did not answer',
    busy: 'Customer busy',
    userReject: 'Customer declined',
    numberNotExist: 'Number does not exist',
    numberInvalid: 'Invalid number',
    notInService: 'Not reachable',
    operatorError: 'Line failure',
    clientError: 'You did not answer',
    callerCancel: 'Cancelled',
    callerCancelWhileRing: 'Cancelled while ringing',
    other: 'Other',
  },
};

/** Both dictionaries, for the test that keeps them equal. */
export const MESSAGES = { 'zh-CN': zh, en } as const;

export type Lang = keyof typeof MESSAGES;

/** The language in use (reactive). */
export const lang = ref<Lang>('zh-CN');

/** zh-CN for Chinese phones (and by default), English for the rest. */
export function pickLang(system: string | undefined): Lang {
  return !system || system.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** `t('call.via', { n: '4001' })`; an unknown key shows itself, so a gap is visible, not blank. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  let node: unknown = MESSAGES[lang.value];
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  const text = typeof node === 'string' ? node : key;
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

/** The end status of a record or call in words (`ok` → 已接通). */
export function endStatusText(s: string | undefined | null): string {
  if (!s) return '';
  const key = `endStatus.${s}`;
  const text = t(key);
  return text === key ? s : text;
}
