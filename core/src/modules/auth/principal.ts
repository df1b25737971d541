import type { Role } from '../users/schema.js';

/** Scopes an API key may carry. Users get theirs from their role (see {@link ROLE_SCOPES}). */
export const SCOPES = [
  'tenant:read',
  'tenant:write',
  'users:read',
  'users:write',
  'api-keys:read',
  'api-keys:write',
  'realtime:connect',
  'records:read',
  'recordings:read',
  'ivr:read',
  'ivr:write',
  'routing:write',
  'sdk:login',
  'calls:dial',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling: a signed-in user or a server holding an API key. Always tenant-bound. */
export type Principal =
  | { kind: 'user'; tenantId: string; userId: string; role: Role }
  | { kind: 'apiKey'; tenantId: string; keyId: string; scopes: readonly Scope[] };
