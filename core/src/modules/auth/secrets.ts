import { createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { appSecrets } from './schema.js';

/**
 * Returns the named installation secret, creating it on first use. Kept in the database
 * (not on local disk) so every instance sharing the database signs and verifies alike.
 * Operators who prefer to hold it themselves set `AUTH_SECRET`.
 */
export async function getOrCreateSecret(db: Db, name: string): Promise<string> {
  await db
    .insert(appSecrets)
    .values({ name, value: randomBytes(48).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, name));
  return row!.value;
}

/** Keys derived from one master secret, one per purpose. */
export interface AuthKeys {
  jwt: Uint8Array;
  codes: Buffer;
  /** Signs media URLs the telephony provider fetches without our auth (audio library, ADM-01). */
  media: Buffer;
  /** AES-256-GCM key of the agents' SIP passwords at rest (docs/adr/0006-agent-devices.md). */
  sip: Buffer;
  /** AES-256-GCM key of plugins' per-tenant secret settings (docs/adr/0013-plugin-tenant-settings.md). */
  pluginSettings: Buffer;
  /** AES-256-GCM key of push subscriptions' signing and auth secrets (REC-03, REC-08). */
  push: Buffer;
}

export function deriveKeys(master: string): AuthKeys {
  const derive = (purpose: string) => createHmac('sha256', master).update(purpose).digest();
  return {
    jwt: new Uint8Array(derive('switchboard/jwt')),
    codes: derive('switchboard/codes'),
    media: derive('switchboard/media'),
    sip: derive('switchboard/sip-credentials'),
    pluginSettings: derive('switchboard/plugin-settings'),
    push: derive('switchboard/push'),
  };
}
