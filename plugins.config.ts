/**
 * THE composition file: which telephony adapter and which plugins this installation runs,
 * with their options. Secrets come from the environment, never from this file.
 */
import { randomBytes } from 'node:crypto';
import { defineConfig } from '@switchboard/core';
import { jambonz } from '@switchboard/jambonz-apps';

const env = process.env;
const simulated = !env.JAMBONZ_API_URL;

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
  }),
  plugins: [],
});
