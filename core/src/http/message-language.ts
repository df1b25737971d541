import type { z } from 'zod';
import { zhCN } from 'zod/v4/locales';
import type { AppContext } from './types.js';

/** The language error and validation messages are written in: Chinese when the client prefers it. */
export type MessageLanguage = 'en' | 'zh';

/** The client's preferred language of the two (`Accept-Language`; English when it says none). */
export function messageLanguage(ctx: Pick<AppContext, 'acceptsLanguages'>): MessageLanguage {
  const best = ctx.acceptsLanguages('en', 'zh-CN', 'zh');
  return typeof best === 'string' && best.startsWith('zh') ? 'zh' : 'en';
}

/** zod's own messages in Chinese, for clients that ask for it (the console in zh-CN does). */
const ZH_ERRORS = zhCN().localeError;

/**
 * Parse options that make zod's generic messages follow the client's language; a schema's own
 * message (a sentence we wrote for that field) is kept as written.
 */
export function zodParseOptions(language: MessageLanguage): z.core.ParseContext<z.core.$ZodIssue> | undefined {
  return language === 'zh' ? { error: ZH_ERRORS } : undefined;
}
