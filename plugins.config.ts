/**
 * THE composition file: which telephony adapter and which plugins this installation runs,
 * with their options. Secrets come from the environment, never from this file.
 */
import { randomBytes } from 'node:crypto';
import { defineConfig } from '@switchboard/core';
import { jambonz } from '@switchboard/jambonz-apps';

const env = process.env;
const simulated = !env.JAMBONZ_API_URL;

/** An optional whole number from the environment; anything else stops start-up naming the key. */
function intEnv(key: string): number | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new Error(`Invalid configuration:\n  ${key}: a whole number, got "${raw}"`);
  return Number(raw);
}

/** An optional flag from the environment: 1/0/true/false, anything else stops start-up. */
function flagEnv(key: string): boolean | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new Error(`Invalid configuration:\n  ${key}: 1, 0, true or false, got "${raw}"`);
}

export default defineConfig({
  // Without JAMBONZ_API_URL the built-in simulator plays jambonz, so a newcomer can place a
  // simulated call at once. It runs in this process, so a throwaway secret is enough.
  telephony: jambonz({
    apiBaseUrl: env.JAMBONZ_API_URL ?? 'simulator',
    accountSid: env.JAMBONZ_ACCOUNT_SID,
    apiKey: env.JAMBONZ_API_KEY,
    webhookSecret: env.JAMBONZ_WEBHOOK_SECRET ?? (simulated ? randomBytes(24).toString('hex') : ''),
    sipRealm: env.JAMBONZ_SIP_REALM,
    softphoneWsUrl: env.JAMBONZ_SOFTPHONE_WS_URL,
    webhookBudgetMs: intEnv('JAMBONZ_WEBHOOK_BUDGET_MS'),
    callRecordTtlSeconds: intEnv('JAMBONZ_CALL_RECORD_TTL_SECONDS'),
    maxUnverifiedCallSeconds: intEnv('JAMBONZ_MAX_UNVERIFIED_CALL_SECONDS'),
    singleFeatureServer: flagEnv('JAMBONZ_SINGLE_FEATURE_SERVER'),
  }),
  plugins: [],
});
