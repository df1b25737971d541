import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { noStore } from '../../http/security-headers.js';
import { tokenPairSchema } from '../auth/routes.js';
import { SDK_LOGIN_TOKEN_TTL_SECONDS } from './service.js';

/** The browser SDK's server side (issue 14): login tokens and the embedding allow-list. */
export function registerSdkRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'post',
      path: '/sdk/login-tokens',
      // For a CRM's server, with an API key of scope `sdk:login`: its page hands the token to the
      // browser SDK, whose embedded workbench signs the agent in with it.
      summary: `Create a one-time SDK login token for an agent, valid ${SDK_LOGIN_TOKEN_TTL_SECONDS / 60} minutes (like TCCC CreateSDKLoginToken)`,
      tags: ['sdk'],
      access: { roles: ['admin'], scopes: ['sdk:login'] },
      status: 201,
      body: z
        .object({
          seatUserId: z.string().min(1).max(254).meta({
            description: 'The agent: their email (as TCCC `SeatUserId`) or user id',
            example: 'agent@demo.local',
          }),
        })
        .strict(),
      response: z
        .object({
          token: z.string(),
          expiresAt: z.iso.datetime(),
          expiredTime: z.number().int().meta({ description: 'Expiry as Unix seconds (TCCC `ExpiredTime`)' }),
          sdkUrl: z.string().meta({ description: 'The embedded workbench the SDK frames (TCCC `SdkURL`)' }),
        })
        .meta({ id: 'SdkLoginToken' }),
      errors: { 404: 'not_found', 403: 'account_disabled' },
      handler: async ({ body, deps, principal, ctx }) => {
        noStore(ctx);
        const t = await deps.sdkService.createLoginToken(principal.tenantId, body.seatUserId);
        return {
          token: t.token,
          expiresAt: t.expiresAt.toISOString(),
          expiredTime: Math.floor(t.expiresAt.getTime() / 1000),
          sdkUrl: t.sdkUrl,
        };
      },
    })
    .route({
      method: 'post',
      path: '/sdk/login',
      summary: 'Trade an SDK login token for a token pair (the embedded workbench does this once)',
      tags: ['sdk'],
      access: 'public',
      body: z.object({ token: z.string().min(1).max(200) }).strict(),
      response: tokenPairSchema,
      errors: { 401: 'invalid_sdk_token', 403: 'account_disabled', 429: 'too_many_attempts' },
      handler: ({ body, deps, ctx }) => {
        noStore(ctx);
        return deps.sdkService.login(body.token, ctx.ip);
      },
    })
    .route({
      method: 'get',
      path: '/sdk/embed/:tenantId',
      summary: 'The origins that may embed a tenant’s workbench (the embedded page checks postMessage against them)',
      tags: ['sdk'],
      access: 'public',
      params: z.object({ tenantId: z.uuid() }),
      response: z.object({ allowedOrigins: z.array(z.string()) }).meta({ id: 'SdkEmbedConfig' }),
      handler: async ({ params, deps }) => ({ allowedOrigins: await deps.sdkService.allowedOrigins(params.tenantId) }),
    });
}
