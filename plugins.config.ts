/**
 * THE composition file: which telephony adapter and which plugins this installation runs,
 * with their options. Secrets come from the environment, never from this file.
 */
import { randomBytes } from 'node:crypto';
import { defineConfig } from '@switchboard/core';
import { cosArchive } from '@switchboard/cos-archive';
import { crmScreenPop } from '@switchboard/crm-screen-pop';
import { startDemoCrm } from '@switchboard/demo-crm';
import { jambonz } from '@switchboard/jambonz-apps';
import { numberMapping } from '@switchboard/number-mapping';
import { wecomAddFriend } from '@switchboard/wecom-add-friend';

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

/** Default port of the demo CRM (`DEMO_CRM_PORT`). */
const DEMO_CRM_PORT = 3100;

/** The demo agents the demo CRM's desk offers (`core/src/demo/seed.ts`). */
const DEMO_AGENTS = ['agent1@demo.local', 'agent2@demo.local', 'agent3@demo.local'];

/**
 * Where the demo CRM reaches Switchboard (this process), as Switchboard names itself: its
 * `sdkUrl` is on this origin, which the desk's CSP lets it frame.
 */
const switchboardUrl =
  env.PUBLIC_URL || `http://${!env.HOST || env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT || 3000}`;

/**
 * The CRM the screen pop asks (INT-02): `CRM_URL` when set; else, when the simulator runs (demo
 * mode), the bundled demo CRM, started here in this process; else none (no screen pop). The demo
 * CRM also embeds the workbench with the browser SDK (its desk), signing agents in with an API
 * key made here and installed in the demo tenant at start (`demo.crm`).
 */
async function screenPopCrm(): Promise<
  { url: string; authHeader?: string; origins?: string[]; sdkApiKey?: string } | undefined
> {
  if (env.CRM_URL) return { url: env.CRM_URL, authHeader: env.CRM_AUTH_HEADER || undefined };
  if (!simulated) return undefined;
  const port = intEnv('DEMO_CRM_PORT');
  const sdkApiKey = `sk_${randomBytes(5).toString('hex')}_${randomBytes(32).toString('base64url')}`;
  const start = (p: number) =>
    startDemoCrm({ port: p, switchboard: { url: switchboardUrl, apiKey: sdkApiKey, agents: DEMO_AGENTS } });
  const crm = await start(port ?? DEMO_CRM_PORT).catch((err: NodeJS.ErrnoException) => {
    // The default port taken (another demo running): any free port will do for a demo. A port
    // the operator chose is theirs to fix.
    if (port === undefined && err.code === 'EADDRINUSE') return start(0);
    throw new Error(
      `Invalid configuration:\n  DEMO_CRM_PORT: cannot listen on ${port ?? DEMO_CRM_PORT} (${err.message})`,
    );
  });
  process.stdout.write(
    `[switchboard] demo CRM for the screen pop on ${crm.url}, its agent desk with the embedded workbench on ${crm.deskUrl} (set CRM_URL to use your own)\n`,
  );
  // The desk opened as localhost or as 127.0.0.1: either may embed the workbench.
  const { port: crmPort } = new URL(crm.url);
  const origins = [`http://127.0.0.1:${crmPort}`, `http://localhost:${crmPort}`];
  return { url: crm.searchUrl, authHeader: crm.authHeader, origins, sdkApiKey };
}

const crm = await screenPopCrm();

export default defineConfig({
  // The demo CRM may frame the demo tenant's workbench and sign its agents in (browser SDK).
  ...(crm?.origins && crm.sdkApiKey ? { demo: { crm: { origins: crm.origins, apiKey: crm.sdkApiKey } } } : {}),
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
  plugins: [
    ...(crm
      ? [
          crmScreenPop({
            url: crm.url,
            authHeader: crm.authHeader,
            timeoutMs: intEnv('CRM_TIMEOUT_MS'),
            cacheTtlMs: intEnv('CRM_CACHE_TTL_MS'),
          }),
        ]
      : []),
    // REC-09: off for every tenant until its admin turns it on with their COS bucket; needs
    // nothing at start.
    cosArchive({}),
    // RT-08 / OUT-10 (advanced edition): off until a tenant's admin points it at their mapping API.
    numberMapping({}),
    // CTL-12 (advanced edition): off until a tenant's admin fills in their WeCom corp and members.
    // Members' one-time links point at PUBLIC_URL; without it no task can be sent.
    wecomAddFriend({ publicUrl: env.PUBLIC_URL || undefined }),
  ],
});
