import { and, asc, eq } from 'drizzle-orm';
import type { Db, DbTx } from '../../db/database.js';
import { callOffers } from '../calls/schema.js';
import { hideNumbers, PLAIN_VIEW, type HiddenNumber, type NumberView } from '../calls/number-protection.js';
import { skillGroups } from '../skill-groups/schema.js';
import { users } from '../users/schema.js';
import { callLegs, collectTemplates, sessionTransfers, type TransferTarget } from './schema.js';

/** One leg of a session as records and the session view show it (per-leg CDR). */
export interface SessionLeg {
  kind: 'agent' | 'external' | 'supervisor' | 'customer';
  /** `serve`: an agent the call was offered to and who answered; the rest come from call control. */
  purpose: 'serve' | 'threeWay' | 'transfer' | 'listen' | 'redial' | 'outbound';
  agentId: string | null;
  staffNo: string | null;
  number: string | null;
  skillGroupId: string | null;
  skillGroupName: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  /** The agent who handed the call to this leg (a transfer), if any. */
  transferFrom: { agentId: string | null } | null;
  /** Where this leg handed the call on, if it did. */
  transferTo:
    | { type: 'skillGroup'; skillGroupId: string }
    | { type: 'agent'; agentId: string }
    | { type: 'external'; number: string }
    | null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function publicTarget(t: TransferTarget, view: NumberView): NonNullable<SessionLeg['transferTo']> {
  if (t.type === 'external') return { type: 'external', number: view(t.number) };
  return t;
}

/** Every offer of a session, in the order made, with its agent (staff number, e-mail) and group. */
export async function sessionOffers(db: Db | DbTx, tenantId: string, sessionId: string) {
  return db
    .select({
      id: callOffers.id,
      agentId: callOffers.agentId,
      state: callOffers.state,
      skillGroupId: callOffers.skillGroupId,
      createdAt: callOffers.createdAt,
      answeredAt: callOffers.answeredAt,
      endedAt: callOffers.endedAt,
      endReason: callOffers.endReason,
      email: users.email,
      staffNo: users.staffNo,
      groupName: skillGroups.name,
    })
    .from(callOffers)
    .innerJoin(users, eq(users.id, callOffers.agentId))
    .leftJoin(skillGroups, eq(skillGroups.id, callOffers.skillGroupId))
    .where(and(eq(callOffers.tenantId, tenantId), eq(callOffers.sessionId, sessionId)))
    .orderBy(asc(callOffers.createdAt));
}

/**
 * The legs of a session, in time order: every offer an agent answered (one per serving agent,
 * with the transfer that brought the call to them and the one that took it away) and every leg
 * live call control placed (three-way parties, external transfer targets, listening supervisors).
 * Numbers are shown as `view` shows them to the viewer (RT-07 masked, RT-08 the customer's ID).
 */
export async function sessionLegs(
  db: Db | DbTx,
  tenantId: string,
  sessionId: string,
  view: NumberView = PLAIN_VIEW,
): Promise<SessionLeg[]> {
  // The offers an agent answered, in the order they answered.
  const offers = (await sessionOffers(db, tenantId, sessionId))
    .filter((o): o is typeof o & { answeredAt: Date } => o.answeredAt !== null)
    .sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime());
  const transfers = await db
    .select()
    .from(sessionTransfers)
    .where(and(eq(sessionTransfers.tenantId, tenantId), eq(sessionTransfers.sessionId, sessionId)))
    .orderBy(asc(sessionTransfers.at));
  const placed = await db
    .select({ leg: callLegs, staffNo: users.staffNo })
    .from(callLegs)
    .leftJoin(users, eq(users.id, callLegs.agentId))
    .where(and(eq(callLegs.tenantId, tenantId), eq(callLegs.sessionId, sessionId)))
    .orderBy(asc(callLegs.createdAt));

  // Each transfer to a group or an agent brought the call to the first agent who answered after it.
  const broughtBy = new Map<string, string | null>();
  for (const t of transfers) {
    if (t.target.type === 'external') continue;
    const next = offers.find((o) => o.createdAt.getTime() >= t.at.getTime() && !broughtBy.has(o.id));
    if (next) broughtBy.set(next.id, t.fromAgentId);
  }
  const legs: Array<SessionLeg & { at: number }> = [];
  for (const o of offers) {
    const out = transfers.find((t) => t.fromOfferId === o.id);
    legs.push({
      at: o.answeredAt.getTime(),
      kind: 'agent',
      purpose: 'serve',
      agentId: o.agentId,
      staffNo: o.staffNo,
      number: null,
      skillGroupId: o.skillGroupId,
      skillGroupName: o.groupName,
      startedAt: o.createdAt.toISOString(),
      answeredAt: iso(o.answeredAt),
      endedAt: iso(o.endedAt),
      endReason: o.endReason,
      transferFrom: broughtBy.has(o.id) ? { agentId: broughtBy.get(o.id) ?? null } : null,
      transferTo: out ? publicTarget(out.target, view) : null,
    });
  }
  for (const { leg, staffNo } of placed) {
    const via =
      leg.purpose === 'transfer'
        ? transfers.find((t) => t.target.type === 'external' && t.target.legId === leg.id)
        : undefined;
    legs.push({
      at: (leg.answeredAt ?? leg.createdAt).getTime(),
      kind: leg.role,
      purpose: leg.purpose,
      agentId: leg.agentId,
      staffNo: staffNo ?? null,
      number: leg.number ? view(leg.number) : leg.number,
      skillGroupId: null,
      skillGroupName: null,
      startedAt: leg.createdAt.toISOString(),
      answeredAt: iso(leg.answeredAt),
      endedAt: iso(leg.endedAt),
      endReason: leg.endReason,
      transferFrom: via ? { agentId: via.fromAgentId } : null,
      transferTo: null,
    });
  }
  return legs.sort((a, b) => a.at - b.at).map(({ at: _at, ...l }) => l);
}

/** All but the last two digits hidden (card numbers, PINs). */
export function maskDigits(d: string): string {
  return d.length <= 2 ? '*'.repeat(d.length) : '*'.repeat(d.length - 2) + d.slice(-2);
}

/**
 * Session variables as an agent may see them: digits collected with a masking template (CTL-10)
 * keep only their last two digits, and under number protection (RT-07) the customer's
 * `numbers` are masked wherever a value holds them (pass none when the tenant does not protect).
 */
export async function agentVisibleVariables(
  db: Db | DbTx,
  tenantId: string,
  vars: Record<string, string>,
  numbers: readonly HiddenNumber[] = [],
): Promise<Record<string, string>> {
  return (await agentVariableMask(db, tenantId))(vars, numbers);
}

/**
 * {@link agentVisibleVariables} for many rows (a list of records): the tenant's masking
 * templates are read once.
 */
export async function agentVariableMask(
  db: Db | DbTx,
  tenantId: string,
): Promise<(vars: Record<string, string>, numbers?: readonly HiddenNumber[]) => Record<string, string>> {
  const masked = await db
    .select({ variable: collectTemplates.variable })
    .from(collectTemplates)
    .where(and(eq(collectTemplates.tenantId, tenantId), eq(collectTemplates.mask, true)));
  return (vars, numbers = []) => {
    const out = { ...vars };
    for (const { variable } of masked) {
      const v = out[variable];
      if (v !== undefined) out[variable] = maskDigits(v);
    }
    if (numbers.length) for (const [k, v] of Object.entries(out)) out[k] = hideNumbers(v, numbers);
    return out;
  };
}
