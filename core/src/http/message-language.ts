import type { AppContext } from './types.js';

/** The language error and validation messages are written in: Chinese when the client prefers it. */
export type MessageLanguage = 'en' | 'zh';

/** The client's preferred language of the two (`Accept-Language`; English when it says none). */
export function messageLanguage(ctx: Pick<AppContext, 'acceptsLanguages'>): MessageLanguage {
  const best = ctx.acceptsLanguages('en', 'zh-CN', 'zh');
  return typeof best === 'string' && best.startsWith('zh') ? 'zh' : 'en';
}
