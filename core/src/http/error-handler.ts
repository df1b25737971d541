import type { Next } from 'koa';
import { ERROR_MESSAGES_ZH } from '../errors/messages-zh.js';
import { AppError, createError, ERROR_CODES } from '../errors/registry.js';
import { translateDetailMessages, translateThrowSiteMessage } from '../errors/throw-site-zh.js';
import { isProviderUnavailable } from '../telephony/types.js';
import { messageLanguage } from './message-language.js';
import type { AppContext } from './types.js';

/**
 * Turns every error into `{ error: { code, message, details? } }`. Unknown errors become
 * `internal` with no detail leaked; they are logged with the request id so they can be found.
 */
export function errorHandler() {
  return async function handleErrors(ctx: AppContext, next: Next): Promise<void> {
    try {
      await next();
      // The routers' allowedMethods() answer a known path with a wrong method by 405 (or 501 for
      // a method no router implements, e.g. TRACE) and an `Allow` list: both become a coded 405.
      if ((ctx.status === 405 || ctx.status === 501) && !ctx.body) {
        const allow = ctx.response.get('Allow');
        if (allow) {
          throw createError('method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}; use ${allow}`, {
            headers: { Allow: allow },
          });
        }
        throw createError('route_not_found', `No route for ${ctx.method} ${ctx.path}`);
      }
      if (ctx.status === 404 && ctx.body === undefined) {
        throw createError('route_not_found', `No route for ${ctx.method} ${ctx.path}`);
      }
    } catch (caught) {
      let err: AppError;
      if (caught instanceof AppError) {
        err = caught;
      } else if (isProviderUnavailable(caught)) {
        // jambonz had no feature server free (480) or failed (5xx): nothing is wrong with the
        // request and the caller may simply try again, so it is not an "internal" error.
        ctx.state.log?.warn({ err: caught }, 'telephony provider unavailable');
        err = createError('telephony_busy', undefined, { headers: { 'Retry-After': '5' } });
      } else if (isHttpError(caught) && caught.status < 500) {
        // Errors thrown by Koa itself (e.g. ctx.throw, router 405) keep their status.
        err = createError(caught.status === 405 ? 'method_not_allowed' : 'validation_failed', caught.message);
        Object.defineProperty(err, 'status', { value: caught.status });
      } else if (isDatabaseTimeout(caught)) {
        // statement_timeout / lock_timeout (database.timeouts): the deadline did its job.
        ctx.state.log?.warn({ err: caught }, 'database deadline reached');
        err = createError('database_busy', undefined, { headers: { 'Retry-After': '2' } });
      } else {
        ctx.state.log?.error({ err: caught }, 'unhandled error');
        err = createError('internal');
      }
      if (err.status >= 500 && caught instanceof AppError) ctx.state.log?.error({ err: caught }, 'request failed');
      ctx.status = err.status;
      for (const [k, v] of Object.entries(err.headers)) ctx.set(k, v);
      // The message in the client's language: the code's own sentence, or the one written at
      // the throw site (and those of `details`) from its table, values put back in. A sentence
      // the table lacks stays English rather than failing the answer.
      const zh = messageLanguage(ctx) === 'zh';
      const message = !zh
        ? err.message
        : err.message === ERROR_CODES[err.code].message
          ? ERROR_MESSAGES_ZH[err.code]
          : (translateThrowSiteMessage(err.message) ?? err.message);
      const details = zh ? translateDetailMessages(err.details) : err.details;
      ctx.body = {
        error: { code: err.code, message, ...(details !== undefined ? { details } : {}) },
      };
    }
  };
}

/** SQLSTATEs of a statement cancelled by statement_timeout (57014) or lock_timeout (55P03). */
const DEADLINE_SQLSTATES = new Set(['57014', '55P03']);

function isDatabaseTimeout(e: unknown): boolean {
  // drizzle wraps the driver's error; the SQLSTATE is on it or on its cause.
  for (let cur = e, depth = 0; typeof cur === 'object' && cur !== null && depth < 3; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && DEADLINE_SQLSTATES.has(code)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

function isHttpError(e: unknown): e is { status: number; message: string } {
  return typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number';
}
