import getRawBody from 'raw-body';
import type { Next } from 'koa';
import { createError } from '../errors/registry.js';
import type { AppContext } from './types.js';

/**
 * Reads the body once, keeps the raw bytes and parses JSON. Written here rather than taken
 * from koa-bodyparser because we need both the raw bytes (webhook signatures) and strict,
 * coded errors for the three ways a body goes wrong (too big, wrong type, bad JSON).
 */
export function bodyParser(opts: {
  limitBytes: number;
  /**
   * Paths whose bodies are kept raw and not parsed here: signed webhooks must be refused with
   * 403 on a bad signature before their content is looked at at all.
   */
  rawPrefixes?: readonly string[];
  /**
   * Paths whose JSON bodies are parsed as usual but whose other bodies are kept raw (on
   * `rawBody`) for the route instead of refused: plugin routes, e.g. a WeCom callback that
   * posts XML and checks its own signature.
   */
  rawUnlessJsonPrefixes?: readonly string[];
  /**
   * Exact paths whose POST bodies are left unread here: their route streams the body itself,
   * with its own size limit and content types (audio uploads, ADM-01).
   */
  streamPaths?: readonly string[];
}) {
  return async function parseBody(ctx: AppContext, next: Next): Promise<void> {
    if (
      !['POST', 'PUT', 'PATCH', 'DELETE'].includes(ctx.method) ||
      (!ctx.request.length && !ctx.get('transfer-encoding'))
    ) {
      return next();
    }
    if (ctx.method === 'POST' && opts.streamPaths?.includes(ctx.path)) return next();
    if (ctx.request.length > opts.limitBytes) {
      throw createError('payload_too_large', `The body may be at most ${opts.limitBytes} bytes`);
    }
    let raw: Buffer;
    try {
      raw = await getRawBody(ctx.req, { limit: opts.limitBytes, length: ctx.request.length || undefined });
    } catch (err) {
      const type = (err as { type?: string }).type;
      if (type === 'entity.too.large') {
        throw createError('payload_too_large', `The body may be at most ${opts.limitBytes} bytes`);
      }
      throw createError('validation_failed', 'The body could not be read', { cause: err });
    }
    ctx.request.rawBody = raw;
    if (raw.length === 0) return next();
    if (opts.rawPrefixes?.some((p) => ctx.path.startsWith(p))) return next();
    if (!ctx.is('application/json', 'application/*+json')) {
      if (opts.rawUnlessJsonPrefixes?.some((p) => ctx.path.startsWith(p))) return next();
      throw createError('unsupported_media_type');
    }
    try {
      ctx.request.body = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      throw createError('malformed_json', undefined, { cause: err });
    }
    return next();
  };
}
