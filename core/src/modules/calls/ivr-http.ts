import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { BackgroundSteps } from '../../background.js';
import type { Db } from '../../db/database.js';
import type { PluginHost } from '../../plugins/host.js';
import type { TelephonyPort } from '../../telephony/types.js';
import type { TenantRepo } from '../tenants/repo.js';
import { readSetting } from '../tenants/settings-schema.js';
import { ivrHttpSecret, sendIvrHttp } from '../ivr/http-node.js';
import type { IvrEffect, IvrEvent } from '../ivr/interpreter.js';
import { customerContext } from './call-steps.js';
import { callSessions, type CallSessionRow, type PendingIvrWork } from './schema.js';
import { lockSession } from './session-rows.js';

/*
 * An IVR HTTP node (IVR-29) runs off the webhook path: a slow API (up to 30 s per attempt,
 * several attempts) must not hold jambonz's webhook, whose own timeout would drop the call. The
 * caller waits in silence; the result is stored with the session and the leg redirected, where
 * the IVR runner resumes the flow with it.
 */

/** The request an HTTP node's step asks for. */
export type HttpRequestEffect = Extract<IvrEffect, { type: 'httpRequest' }>;

/** What running a request needs: the cradle's services, passed explicitly. */
export interface IvrHttpDeps {
  db: Db;
  logger: Logger;
  background: BackgroundSteps;
  pluginHost: PluginHost;
  telephony: TelephonyPort;
  tenantRepo: TenantRepo;
}

/**
 * While an HTTP node's request runs, the caller waits in silence and the leg asks again this
 * often (a fallback: the leg is redirected as soon as the result is in).
 */
export const HTTP_POLL_SECONDS = 5;
/** Budget of the `ivr.http` plugin hook (HOOK_POLICIES), before the HTTP request itself. */
const HTTP_PLUGIN_SECONDS = 3;
/**
 * Past the request's own budget, a result that never came is counted as a failed attempt (the
 * instance running it may have died), so a caller never waits in silence for ever.
 */
const HTTP_LOST_AFTER_SECONDS = 10;

/** The session's marker for a request in flight, stored with the step that starts it. */
export function httpPending(e: HttpRequestEffect): PendingIvrWork {
  return {
    type: 'httpPending',
    nodeId: e.nodeId,
    attempt: e.attempt,
    deadline: Date.now() + (HTTP_PLUGIN_SECONDS + e.timeoutSeconds + HTTP_LOST_AFTER_SECONDS) * 1000,
  };
}

/**
 * Runs an HTTP node's request (IVR-29): the `ivr.http` plugin hook first (a plugin answering
 * supplies the output), else the signed HTTP call. The result is stored as the session's
 * pending IVR event and the customer leg redirected, so `onRedirect` continues the flow.
 * Fire and forget: failures are logged, the pending marker's deadline covers a lost result.
 */
export function runHttpNode(d: IvrHttpDeps, session: CallSessionRow, e: HttpRequestEffect): void {
  void (async () => {
    const result = await httpResult(d, session, e);
    const stored = await d.db.transaction(async (tx) => {
      const s = await lockSession(tx, session.id);
      const st = s?.ivrState;
      // Only the answer to the attempt the flow still waits for (the caller may have gone).
      if (!s || s.state !== 'ivr' || st?.node !== e.nodeId || st.wait !== 'http' || st.retries !== e.attempt - 1)
        return false;
      const event: IvrEvent = {
        type: 'httpResult',
        nodeId: e.nodeId,
        ok: result.ok,
        ...(result.ok ? { output: result.output } : {}),
      };
      await tx.update(callSessions).set({ ivrEvent: event, lastEventAt: new Date() }).where(eq(callSessions.id, s.id));
      return true;
    });
    if (stored) await d.telephony.redirect(session.customerCallSid, customerContext(session));
  })().catch(
    d.background.failed('ivr.httpNode', { tenantId: session.tenantId, sessionId: session.id, nodeId: e.nodeId }),
  );
}

async function httpResult(
  d: IvrHttpDeps,
  session: CallSessionRow,
  e: HttpRequestEffect,
): Promise<{ ok: boolean; output?: unknown }> {
  const answer = await d.pluginHost.emit('ivr.http', {
    tenantId: session.tenantId,
    occurredAt: new Date().toISOString(),
    idempotencyKey: `ivr-http:${session.id}:${e.nodeId}:${e.attempt}`,
    sessionId: session.id,
    nodeId: e.nodeId,
    request: { url: e.url, method: e.method, body: e.body, attempt: e.attempt },
  });
  if (answer !== undefined) return { ok: true, output: answer };
  const res = await sendIvrHttp({
    url: e.url,
    method: e.method,
    body: e.body,
    timeoutSeconds: e.timeoutSeconds,
    secret: await ivrHttpSecret(d.db, session.tenantId),
    sessionId: session.id,
    nodeId: e.nodeId,
    attempt: e.attempt,
    allowPrivate: readSetting((await d.tenantRepo.findById(session.tenantId))?.settings, 'allowPrivateUrls'),
  });
  if (!res.ok)
    d.logger.info({ sessionId: session.id, nodeId: e.nodeId, error: res.error }, 'IVR HTTP node attempt failed');
  return res;
}
