import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbTx } from '../../db/database.js';
import { tenantTimeZone } from '../agents/settings.js';
import { clockVariables } from '../ivr/clock.js';
import type { IvrGraph } from '../ivr/flow-model.js';
import type { IvrContext } from '../ivr/interpreter.js';
import { ivrFlowVersions, ivrFlows } from '../ivr/schema.js';
import { tenants } from '../tenants/schema.js';
import { callOffers, type CallSessionRow } from './schema.js';

/*
 * What the IVR interpreter is given on the call path: the flow version a call runs and what it
 * knows about the call. Plain reads, shared by the flow (first webhook) and the IVR runner.
 */

/** A tenant's settings document as stored (`tenants.settings`). */
export type TenantSettings = Record<string, unknown> | null;

/**
 * The version a call to a number runs: the one the number pins (IVR-35 / ADM-03), else the
 * flow's published one (also when the pinned version is gone).
 */
export async function publishedVersion(db: Db, tenantId: string, flowId: string, pinned?: number | null) {
  const lookup = async (version: number | null) => {
    const [row] = await db
      .select({ id: ivrFlowVersions.id, graph: ivrFlowVersions.graph })
      .from(ivrFlows)
      .innerJoin(
        ivrFlowVersions,
        and(
          eq(ivrFlowVersions.flowId, ivrFlows.id),
          version === null
            ? eq(ivrFlowVersions.version, ivrFlows.publishedVersion)
            : eq(ivrFlowVersions.version, version),
        ),
      )
      .where(and(eq(ivrFlows.tenantId, tenantId), eq(ivrFlows.id, flowId)));
    return row;
  };
  return (pinned ? await lookup(pinned) : undefined) ?? lookup(null);
}

/** The graph of the version the call started with (IVR-34: edits do not affect live calls). */
export async function graphOf(tx: DbTx, session: CallSessionRow): Promise<IvrGraph | undefined> {
  if (!session.flowVersionId) return undefined;
  const [row] = await tx
    .select({ graph: ivrFlowVersions.graph })
    .from(ivrFlowVersions)
    .where(and(eq(ivrFlowVersions.tenantId, session.tenantId), eq(ivrFlowVersions.id, session.flowVersionId)));
  return row?.graph;
}

/**
 * Whether the session's transfer node sends the caller on after the agent hangs up (survey,
 * IVR-22): then the room must outlive the agent, and the agent's hang-up does not end the call.
 */
export async function continuesAfterAgent(db: DbTx, session: CallSessionRow): Promise<boolean> {
  if (!session.ivrState) return false;
  const graph = await graphOf(db, session);
  const node = graph?.nodes.find((n) => n.id === session.ivrState!.node);
  return node?.type === 'transfer' && !!node.afterAgentNext;
}

/**
 * What the interpreter knows about this call (same on every step): the clock (working hours,
 * IVR-01) and the system variables (IVR-30). A flow without its own time zone reads
 * `${SystemTime}` and friends, and the schedules of working-hours nodes without a zone, in the
 * tenant's (`settings.timezone`).
 */
export async function ivrContext(
  tx: DbTx,
  /** The injectable clock's time (tests fix it to check working hours). */
  now: Date,
  session: CallSessionRow,
  graph: IvrGraph,
  /** The tenant's settings when the caller has them already (saves a query). */
  settings?: TenantSettings,
): Promise<IvrContext> {
  const system: NonNullable<IvrContext['system']> = {
    SystemCallerNumber: session.caller,
    SystemCalleeNumber: session.callee,
    SystemSessionId: session.id,
    ...(await callDurations(tx, session)),
  };
  if (!graph.timeZone) {
    if (settings === undefined) {
      const [tenant] = await tx
        .select({ settings: tenants.settings })
        .from(tenants)
        .where(eq(tenants.id, session.tenantId));
      settings = tenant?.settings;
    }
    const timeZone = tenantTimeZone(settings);
    Object.assign(system, clockVariables(now, timeZone));
    return { now, system, timeZone };
  }
  return { now, system };
}

/**
 * `${SystemCallRingDuration}` and `${SystemCallAcceptDuration}` (IVR-30), in whole seconds, as
 * the reference product means them: how long the agent's phone rang before the call was
 * answered (first ring, else the time it was queued, → answer), and how long the caller talked
 * with the agent (answer → the agent's leg leaving, or now while they still talk). Both "0"
 * before an agent answered. Measured on the stored timestamps (database time), not the
 * injectable clock, so the two ends of each span come from the same source.
 */
async function callDurations(
  tx: DbTx,
  session: CallSessionRow,
): Promise<{ SystemCallRingDuration: string; SystemCallAcceptDuration: string }> {
  const accepted = session.acceptedAt;
  if (!accepted) return { SystemCallRingDuration: '0', SystemCallAcceptDuration: '0' };
  const rangFrom = session.ringAt ?? session.queuedAt ?? accepted;
  let talkEnd = new Date();
  if (session.agentId && session.state !== 'bridged') {
    const [served] = await tx
      .select({ endedAt: sql<Date | null>`max(${callOffers.endedAt})`.mapWith(callOffers.endedAt) })
      .from(callOffers)
      .where(
        and(
          eq(callOffers.sessionId, session.id),
          eq(callOffers.agentId, session.agentId),
          sql`${callOffers.answeredAt} is not null`,
        ),
      );
    if (served?.endedAt) talkEnd = served.endedAt;
  }
  const secs = (from: Date, to: Date) => String(Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)));
  return { SystemCallRingDuration: secs(rangFrom, accepted), SystemCallAcceptDuration: secs(accepted, talkEnd) };
}
