import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import { noStore } from '../../http/security-headers.js';
import { toUserView } from '../users/view.js';
import { mobileSchema, userViewSchema } from '../users/routes.js';

const email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());

export const tokenPairSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().meta({ description: 'Seconds until the access token expires' }),
    user: userViewSchema,
  })
  .meta({ id: 'LoginResult' });

/** LOGIN-01, LOGIN-02: sign-in, refresh, logout. */
export function registerAuthRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in with email and password',
      tags: ['auth'],
      access: 'public',
      body: z.object({ email, password: z.string().min(1).max(1024) }).strict(),
      response: tokenPairSchema,
      errors: { 401: 'invalid_credentials', 403: 'account_disabled', 429: 'too_many_attempts' },
      handler: ({ body, deps, ctx }) => {
        noStore(ctx);
        return deps.authService.login(body.email, body.password, ctx.ip);
      },
    })
    .route({
      method: 'post',
      path: '/auth/sms-code',
      summary: 'Send a 6-digit sign-in code by SMS',
      tags: ['auth'],
      access: 'public',
      status: 202,
      body: z.object({ mobile: mobileSchema }).strict(),
      response: z.object({ sent: z.literal(true), expiresInSeconds: z.number(), resendAfterSeconds: z.number() }),
      errors: { 429: 'too_many_attempts' },
      handler: ({ body, deps, ctx }) => deps.authService.requestSmsCode(body.mobile, ctx.ip),
    })
    .route({
      method: 'post',
      path: '/auth/login-sms',
      summary: 'Sign in with a mobile number and SMS code',
      tags: ['auth'],
      access: 'public',
      body: z.object({ mobile: mobileSchema, code: z.string().regex(/^[0-9]{6}$/, 'must be 6 digits') }).strict(),
      response: tokenPairSchema,
      errors: { 401: 'invalid_sms_code', 403: 'account_disabled', 429: 'too_many_attempts' },
      handler: ({ body, deps, ctx }) => {
        noStore(ctx);
        return deps.authService.loginSms(body.mobile, body.code, ctx.ip);
      },
    })
    .route({
      method: 'post',
      path: '/auth/refresh',
      summary: 'Trade a refresh token for a new token pair (the old one stops working)',
      tags: ['auth'],
      access: 'public',
      body: z.object({ refreshToken: z.string().min(1).max(512) }).strict(),
      response: tokenPairSchema,
      errors: { 401: 'invalid_refresh_token' },
      handler: ({ body, deps, ctx }) => {
        noStore(ctx);
        return deps.authService.refresh(body.refreshToken);
      },
    })
    .route({
      method: 'post',
      path: '/auth/logout',
      summary: 'Revoke a refresh token (and the tokens rotated from it)',
      tags: ['auth'],
      access: 'public',
      status: 204,
      body: z.object({ refreshToken: z.string().min(1).max(512) }).strict(),
      handler: async ({ body, deps }) => {
        await deps.authService.logout(body.refreshToken);
      },
    })
    .route({
      method: 'post',
      path: '/users/:id/unlock-sign-in',
      summary: "Clear a user's sign-in throttle (delays earned by failed passwords or SMS codes)",
      tags: ['users'],
      access: { roles: ['admin'], scopes: ['users:write'] },
      params: z.object({ id: z.uuid() }),
      response: z.object({
        cleared: z.number().int().meta({ description: 'Throttle entries removed (0 = nothing was throttled)' }),
      }),
      errors: { 404: 'not_found' },
      handler: ({ principal, deps, params }) => deps.authService.unlockSignIn(principal.tenantId, params.id),
    })
    .route({
      method: 'get',
      path: '/auth/me',
      summary: 'The signed-in user',
      tags: ['auth'],
      access: { roles: ['admin', 'supervisor', 'agent'] },
      response: userViewSchema,
      handler: async ({ principal, deps }) => {
        // API keys carry no user: `access` lists no scope here, so they never get this far.
        if (principal.kind !== 'user') throw createError('forbidden');
        const user = await deps.userRepo.findById(principal.tenantId, principal.userId);
        if (!user) throw createError('invalid_token', 'The user no longer exists');
        return toUserView(user);
      },
    });
}
