import { createHash, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { Cradle } from '../container.js';
import { createError } from '../errors/registry.js';
import type { Principal, Scope } from '../modules/auth/principal.js';
import type { Edition } from '../modules/tenants/schema.js';
import type { Role } from '../modules/users/schema.js';
import { messageLanguage, zodParseOptions, type MessageLanguage } from './message-language.js';
import { findUnstorable } from './text.js';
import { issueDetails } from './unknown-keys.js';
import type { AppContext } from './types.js';

/** The error envelope every non-2xx response uses. */
export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'validation_failed' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

/**
 * Who may call a route. `public` = anyone; `platform` = the platform operator holding
 * `PLATFORM_API_KEY` (no tenant: tenant tokens and API keys are refused); otherwise a valid
 * access token or API key is needed, and then:
 * - `roles`: user roles allowed (omitted = every role);
 * - `scopes`: API-key scopes that grant access (omitted = API keys refused);
 * - `edition`: the tenant edition required (`advanced` answers `403 edition_required`).
 */
export type RouteAccess = 'public' | { roles?: readonly Role[]; scopes?: readonly Scope[]; edition?: Edition };

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** {@link RouteAccess} or `platform`: the platform operator's key, outside every tenant. */
export type AnyAccess = RouteAccess | 'platform';

/** Input a handler receives, typed from the route's zod schemas. */
export interface RouteInput<TBody, TQuery, TParams, TAccess extends AnyAccess> {
  body: TBody;
  query: TQuery;
  params: TParams;
  ctx: AppContext;
  /** The request's DI scope. */
  deps: Cradle;
  principal: TAccess extends 'public' ? Principal | undefined : TAccess extends 'platform' ? undefined : Principal;
}

/** A route: its contract (validated and documented) and its handler. */
export interface RouteSpec<
  TBody extends z.ZodType | undefined,
  TQuery extends z.ZodType | undefined,
  TParams extends z.ZodType | undefined,
  TAccess extends AnyAccess,
> {
  method: Method;
  /** Koa path under the router prefix, e.g. `/users/:id`. */
  path: string;
  summary: string;
  tags: string[];
  access: TAccess;
  body?: TBody;
  query?: TQuery;
  params?: TParams;
  /** Success status (default 200; 204 sends no body). */
  status?: number;
  /** Schema of the success body, for the docs. */
  response?: z.ZodType;
  /**
   * A binary request body the handler reads itself (e.g. an upload), documented with these
   * media types. The body parser must leave such a path unread (`streamPaths`).
   */
  rawBody?: { contentTypes: readonly string[]; description: string };
  /** Binary success bodies (e.g. `audio/wav`), documented instead of `response`. */
  produces?: readonly string[];
  /** Extra documented error codes (401/403/400 are implied by `access` and schemas). */
  errors?: Partial<Record<number, string>>;
  handler: (
    input: RouteInput<
      TBody extends z.ZodType ? z.output<TBody> : undefined,
      TQuery extends z.ZodType ? z.output<TQuery> : undefined,
      TParams extends z.ZodType ? z.output<TParams> : undefined,
      TAccess
    >,
  ) => Promise<unknown> | unknown;
}

function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: string,
  language: MessageLanguage = 'en',
): z.output<T> {
  // Before the schema: fields typed as free JSON or as secrets would let these reach the database.
  const unstorable = findUnstorable(value);
  if (unstorable) {
    const path = [where, ...unstorable.path].join('.');
    throw createError('validation_failed', `Invalid ${where}`, {
      details: [{ path, message: unstorable.message, code: 'invalid_format' }],
    });
  }
  // zod's generic messages follow the client's language; a schema's own message (a sentence we
  // wrote for that field) is kept as written.
  const res = schema.safeParse(value, zodParseOptions(language));
  if (!res.success) {
    const details = issueDetails(schema, res.error.issues, where);
    // An unknown field is named in the message itself: a typo (`numberProtecton`) must be obvious.
    const unknown = details.find((d) => d.code === 'unrecognized_keys');
    throw createError(
      'validation_failed',
      unknown ? `Invalid ${where}: ${unknown.path}: ${unknown.message}` : `Invalid ${where}`,
      {
        details,
      },
    );
  }
  return res.data;
}

/**
 * Checks `access` for a request: authenticates, then applies role, scope and edition rules.
 * Exported so plugin routes can guard themselves the same way.
 */
export async function authorize(ctx: AppContext, access: AnyAccess): Promise<Principal | undefined> {
  if (access === 'platform') {
    authorizePlatform(ctx);
    return undefined;
  }
  const { authService, tenantRepo } = ctx.state.container.cradle;
  const principal = ctx.state.principal ?? (await authService.authenticate(ctx.get('authorization')));
  if (principal) ctx.state.principal = principal;
  if (access === 'public') return principal;
  if (!principal) throw createError('unauthenticated');
  if (principal.kind === 'user') {
    if (access.roles && !access.roles.includes(principal.role)) throw createError('forbidden');
  } else {
    const scopes = access.scopes ?? [];
    if (!scopes.some((s) => principal.scopes.includes(s))) {
      throw createError('forbidden', 'This API key lacks the scope for this route', {
        details: { requiredAnyOf: scopes },
      });
    }
  }
  if (access.edition === 'advanced') {
    const tenant = await tenantRepo.findById(principal.tenantId);
    if (tenant?.edition !== 'advanced') {
      throw createError('edition_required', 'This feature is part of the advanced edition', {
        details: { required: 'advanced', current: tenant?.edition ?? null },
      });
    }
  }
  return principal;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The platform operator's key check: off without `PLATFORM_API_KEY` (404, saying how to turn it
 * on), 401 without a key, 403 with any other credential. Compared as SHA-256 digests in constant
 * time, so neither the key's content nor its length leaks through timing.
 */
function authorizePlatform(ctx: AppContext): void {
  const key = ctx.state.container.cradle.config.platform.apiKey;
  if (!key) throw createError('platform_api_disabled');
  const header = ctx.get('authorization');
  if (!header) {
    throw createError('unauthenticated', 'Send the platform key as "Authorization: Bearer <PLATFORM_API_KEY>"');
  }
  const presented = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
  if (!timingSafeEqual(digest(presented), digest(key))) {
    throw createError('forbidden', 'Only the platform key (PLATFORM_API_KEY) may call the platform API');
  }
}

/**
 * A Koa router whose routes are declared once — schemas, access, docs — so validation,
 * authorisation and the OpenAPI document can never drift apart.
 */
export class ApiRouter {
  readonly router: Router;

  constructor(
    private readonly registry: OpenAPIRegistry,
    private readonly prefix = '/api/v1',
  ) {
    this.router = new Router({ prefix });
  }

  /** Declares a route. */
  route<
    TBody extends z.ZodType | undefined = undefined,
    TQuery extends z.ZodType | undefined = undefined,
    TParams extends z.ZodType | undefined = undefined,
    TAccess extends AnyAccess = RouteAccess,
  >(spec: RouteSpec<TBody, TQuery, TParams, TAccess>): this {
    this.document(spec);
    const fullPath = this.prefix + spec.path;
    this.router[spec.method](spec.path, async (ctx: AppContext) => {
      ctx.state.routePath = fullPath;
      const principal = await authorize(ctx, spec.access);
      const language = messageLanguage(ctx);
      // No body at all reads as `{}` (a body of optional fields may be left out); a JSON `null`
      // is a body, and not an object.
      const raw = ctx.request.body === undefined ? {} : ctx.request.body;
      const body = spec.body ? parseOrThrow(spec.body, raw, 'body', language) : undefined;
      const query = spec.query ? parseOrThrow(spec.query, ctx.query, 'query', language) : undefined;
      const params = spec.params ? parseOrThrow(spec.params, ctx.params, 'params', language) : undefined;
      const result = await spec.handler({
        body,
        query,
        params,
        ctx,
        deps: ctx.state.container.cradle,
        principal,
      } as never);
      ctx.status = spec.status ?? 200;
      if (ctx.status !== 204) ctx.body = result ?? {};
    });
    return this;
  }

  private document(spec: RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, AnyAccess>) {
    const status = spec.status ?? 200;
    const errors: Record<number, string> = {};
    for (const [k, v] of Object.entries(spec.errors ?? {})) if (v) errors[Number(k)] = v;
    if (spec.body || spec.query || spec.params) errors[400] ??= 'validation_failed, malformed_json';
    if (spec.access === 'platform') {
      errors[401] ??= 'unauthenticated';
      errors[403] ??= 'forbidden';
      errors[404] = errors[404] ? `${errors[404]}, platform_api_disabled` : 'platform_api_disabled';
    } else if (spec.access !== 'public') {
      errors[401] ??= 'unauthenticated, invalid_token';
      errors[403] ??= spec.access.edition ? 'forbidden, edition_required' : 'forbidden';
    }
    const binary = { type: 'string', format: 'binary' } as const;
    const responses: Record<string, unknown> = {
      [status]: spec.response
        ? { description: 'OK', content: { 'application/json': { schema: spec.response } } }
        : spec.produces
          ? { description: 'OK', content: Object.fromEntries(spec.produces.map((t) => [t, { schema: binary }])) }
          : { description: status === 204 ? 'No content' : 'OK' },
    };
    for (const [code, description] of Object.entries(errors)) {
      responses[code] = {
        description: `Error codes: ${description}`,
        content: { 'application/json': { schema: errorResponseSchema } },
      };
    }
    this.registry.registerPath({
      method: spec.method,
      path: (this.prefix + spec.path).replace(/:(\w+)/g, '{$1}'),
      summary: spec.summary,
      tags: spec.tags,
      ...(spec.access === 'public'
        ? {}
        : { security: [spec.access === 'platform' ? { platformKey: [] } : { bearerAuth: [] }] }),
      request: {
        ...(spec.body ? { body: { content: { 'application/json': { schema: spec.body } }, required: true } } : {}),
        ...(spec.rawBody
          ? {
              body: {
                description: spec.rawBody.description,
                content: Object.fromEntries(spec.rawBody.contentTypes.map((t) => [t, { schema: binary }])),
                required: true,
              },
            }
          : {}),
        ...(spec.query ? { query: spec.query as z.ZodObject } : {}),
        ...(spec.params ? { params: spec.params as z.ZodObject } : {}),
      },
      responses: responses as never,
    });
  }
}
