import type { Next } from 'koa';
import { AppError, createError } from '../errors/registry.js';
import type { AppContext } from './types.js';

/**
 * Turns every error into `{ error: { code, message, details? } }`. Unknown errors become
 * `internal` with no detail leaked; they are logged with the request id so they can be found.
 */
export function errorHandler() {
  return async function handleErrors(ctx: AppContext, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw createError('route_not_found', `No route for ${ctx.method} ${ctx.path}`);
      }
    } catch (caught) {
      let err: AppError;
      if (caught instanceof AppError) {
        err = caught;
      } else if (isHttpError(caught) && caught.status < 500) {
        // Errors thrown by Koa itself (e.g. ctx.throw, router 405) keep their status.
        err = createError(caught.status === 405 ? 'method_not_allowed' : 'validation_failed', caught.message);
        Object.defineProperty(err, 'status', { value: caught.status });
      } else {
        ctx.state.log?.error({ err: caught }, 'unhandled error');
        err = createError('internal');
      }
      if (err.status >= 500 && caught instanceof AppError) ctx.state.log?.error({ err: caught }, 'request failed');
      ctx.status = err.status;
      for (const [k, v] of Object.entries(err.headers)) ctx.set(k, v);
      ctx.body = {
        error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) },
      };
    }
  };
}

function isHttpError(e: unknown): e is { status: number; message: string } {
  return typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number';
}
