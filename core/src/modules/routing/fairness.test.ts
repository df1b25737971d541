/**
 * Routing fairness across skill groups: three groups, agents in several of them. Driven through
 * the call logic and the ACD directly (a recording telephony port stands in for jambonz), with
 * the sweeper switched off, so every offer comes from the event that should cause it:
 * - when an agent frees up, the longest-waiting caller of any of their groups is offered first;
 * - no caller ever waits while an agent of their group is idle.
 */
import { randomUUID } from 'node:crypto';
import { asValue } from 'awilix';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import type { TelephonyPort } from '../../telephony/types.js';
import { callSessions } from '../calls/schema.js';

/**
 * The random runs do hundreds of steps, each settling through the database: on a busy machine
 * (and on both databases) they need more than the default minute. Only the test's own budget,
 * nothing of the system under test is timed.
 */
const LONG_RUN_MS = 240_000;

const AGENTS = 6;
/** Who serves which group (by index): agent 0 all three, the others one or two. */
const MEMBERSHIP: number[][] = [[0, 1, 2], [0], [1, 2], [0, 2], [2], [1]];

let t: TestApp;
let tenantId: string;
let agentIds: string[];
let groupIds: string[];
const rings: Array<{ agentId: string; sessionId: string; offerId: string }> = [];
/** Offers made to an agent while an older caller of their groups was still waiting. */
const unfair: string[] = [];
let sql: (text: string, params?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>;

beforeAll(async () => {
  t = await startTestApp({ config: { calls: { sweepIntervalMs: 3_600_000, wrapUpSeconds: 0 } } });
  sql = (text, params) => t.app.database.pool.query(text, params);
  const seeded = await t.seedTenant({
    slug: 'fairness',
    roles: ['admin', ...Array.from({ length: AGENTS }, () => 'agent' as const)],
  });
  tenantId = seeded.tenantId;
  const c = t.app.container.cradle;
  agentIds = Array.from({ length: AGENTS }, (_, i) => seeded.users[`agent${i + 1}`]!.id);
  for (const id of agentIds) await c.agentService.ensure(tenantId, id, `sip-${id}`);
  groupIds = [];
  for (const name of ['sales', 'support', 'billing'])
    groupIds.push((await c.skillGroupRepo.create(tenantId, { name })).id);
  for (const [i, groups] of MEMBERSHIP.entries()) {
    for (const g of groups) await c.skillGroupRepo.addMember(tenantId, groupIds[g]!, agentIds[i]!);
  }
  const port: TelephonyPort = {
    async ringAgent(req) {
      const agentId = (req.device.type === 'webrtc' ? req.device.user : '').replace(/^sip-/, '');
      rings.push({ agentId, sessionId: req.context.sessionId, offerId: req.context.offerId });
      // Checked as the offer goes out: the claim has committed, so anything still queued and
      // older in this agent's groups was passed over.
      const older = await sql(
        `select o.id from call_sessions o, call_sessions s
         where s.id = $1 and o.tenant_id = s.tenant_id and o.state = 'queued'
           and (o.queue_priority, o.queued_at) < (s.queue_priority, s.queued_at)
           and o.queued_skill_group_id in (select skill_group_id from skill_group_members where user_id = $2)`,
        [req.context.sessionId, agentId],
      );
      if (older.rows.length > 0) unfair.push(`${agentId} got ${req.context.sessionId} before ${older.rows[0]!.id}`);
      return { callSid: `leg-${req.context.offerId}` };
    },
    async moveToRoom() {},
    async redirect() {},
    async hangup() {},
    async isAlive() {
      return true;
    },
    async memberAction() {},
    async sendDtmf() {},
    async placeCall(req) {
      return { callSid: `leg-${req.context.legId}` };
    },
  };
  t.app.container.register({ telephony: asValue(port) });
});
afterAll(async () => {
  await t?.stop();
});
beforeEach(async () => {
  await sql(`update call_sessions set state = 'ended' where tenant_id = $1`, [tenantId]);
  await sql(`update call_offers set state = 'ended' where tenant_id = $1`, [tenantId]);
  await sql(`update agents set state = 'notReady' where tenant_id = $1`, [tenantId]);
  rings.length = 0;
  unfair.length = 0;
});

let seq = 0;
let lastQueuedAt = 0;
/** A caller reaches a group's queue, as the IVR transfer does: queued, then that group dispatched. */
async function arrive(group: number): Promise<string> {
  // Strictly increasing, so "who waited longest" is never a tie within one millisecond.
  lastQueuedAt = Math.max(Date.now(), lastQueuedAt + 1);
  const [s] = await t.app.container.cradle.db
    .insert(callSessions)
    .values({
      tenantId,
      direction: 'inbound',
      caller: `1390000${String(++seq).padStart(4, '0')}`,
      callee: '4000000000',
      customerCallSid: randomUUID(),
      state: 'queued',
      queuedSkillGroupId: groupIds[group]!,
      queuedAt: new Date(lastQueuedAt),
    })
    .returning();
  await t.app.container.cradle.acdService.dispatch(tenantId, groupIds[group]!);
  return s!.id;
}

async function setState(agent: number, state: 'idle' | 'notReady'): Promise<void> {
  await t.app.container.cradle.agentService.setOwnState(tenantId, agentIds[agent]!, state);
}

async function until<T>(fn: () => Promise<T | undefined | null | false>, what: string, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Callers waiting although an agent of their group is idle (must always come back to none). */
async function starved(): Promise<string[]> {
  const r = await sql(
    `select s.id from call_sessions s
     where s.tenant_id = $1 and s.state = 'queued' and exists (
       select 1 from skill_group_members m join agents a on a.user_id = m.user_id
       where m.skill_group_id = s.queued_skill_group_id and a.state = 'idle')`,
    [tenantId],
  );
  return r.rows.map((x) => x.id as string);
}

/** A tiny seeded PRNG (mulberry32), so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('routing fairness across skill groups', () => {
  it('[RT-01] a freed agent takes the longest-waiting caller of all their groups, not of the first group', async () => {
    // Everyone is notReady; callers queue in every group.
    const c1 = await arrive(2); // billing, oldest
    const c2 = await arrive(0); // sales
    const c3 = await arrive(1); // support
    const c4 = await arrive(0); // sales
    const c5 = await arrive(2); // billing, newest
    expect(rings).toEqual([]);

    const expectRing = async (agent: number, session: string) => {
      const n = rings.length;
      await setState(agent, 'idle');
      const r = await until(async () => rings[n], `a ring for agent ${agent}`);
      expect(r).toMatchObject({ agentId: agentIds[agent], sessionId: session });
    };
    await expectRing(1, c2); // sales only: the oldest sales caller
    await expectRing(0, c1); // all three groups: billing's caller has waited longest
    await expectRing(2, c3); // support + billing: support's c3 is older than billing's c5
    await expectRing(3, c4); // sales + billing: c4 older than c5
    await setState(5, 'idle'); // support only: nobody waits there
    await new Promise((r) => setTimeout(r, 100));
    expect(rings).toHaveLength(4);
    await expectRing(4, c5);
    expect(unfair).toEqual([]);
    expect(await starved()).toEqual([]);
  });

  it('[RT-01] [RT-06] an agent ending a call serves the oldest caller across groups next', async () => {
    const { callFlow } = t.app.container.cradle;
    await setState(0, 'idle');
    const first = await arrive(0);
    await until(async () => rings.find((r) => r.sessionId === first), 'first offer');
    await callFlow.onAgentAnswered(
      { sessionId: first, tenantId, role: 'agent', offerId: rings[0]!.offerId },
      { callSid: 'agent-leg-1' },
    );
    // While agent 0 talks, callers queue: support first, then sales, then billing.
    const support = await arrive(1);
    const sales = await arrive(0);
    await arrive(2);
    expect(rings).toHaveLength(1);
    await callFlow.endSession(first, { by: 'customer' });
    const next = await until(async () => rings[1], 'next offer');
    expect(next).toMatchObject({ agentId: agentIds[0], sessionId: support });
    expect(sales).not.toBe(support);
    expect(unfair).toEqual([]);
  });

  it(
    '[RT-01] [RT-05] no caller waits while a compatible agent is idle: 300 random events on three groups',
    async () => {
      const { callFlow, acdService } = t.app.container.cradle;
      const random = prng(20_260_405);
      const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(random() * xs.length)];
      let checks = 0;
      for (let step = 0; step < 300; step++) {
        const roll = random();
        if (roll < 0.3) {
          await arrive(Math.floor(random() * 3));
        } else if (roll < 0.5) {
          const offer = pick(
            (await sql(`select id, session_id from call_offers where tenant_id = $1 and state = 'ringing'`, [tenantId]))
              .rows,
          );
          if (offer) {
            await callFlow.onAgentAnswered(
              { sessionId: offer.session_id as string, tenantId, role: 'agent', offerId: offer.id as string },
              { callSid: `answered-${offer.id}` },
            );
          }
        } else if (roll < 0.6) {
          // Ring timeout: the offer is missed and the caller goes on (RT-05).
          const offer = pick(
            (await sql(`select id from call_offers where tenant_id = $1 and state = 'ringing'`, [tenantId])).rows,
          );
          if (offer) await acdService.offerEnded(offer.id as string, 'missed', 'no-answer');
        } else if (roll < 0.8) {
          const s = pick(
            (await sql(`select id from call_sessions where tenant_id = $1 and state = 'bridged'`, [tenantId])).rows,
          );
          if (s) await callFlow.endSession(s.id as string, { by: random() < 0.5 ? 'customer' : 'agent' });
        } else if (roll < 0.85) {
          const s = pick(
            (await sql(`select id from call_sessions where tenant_id = $1 and state = 'queued'`, [tenantId])).rows,
          );
          if (s) await callFlow.endSession(s.id as string, { by: 'customer' }); // the caller gives up
        } else {
          const i = Math.floor(random() * AGENTS);
          const state = (await sql(`select state from agents where user_id = $1`, [agentIds[i]])).rows[0]!.state;
          if (state === 'idle') await setState(i, 'notReady');
          else if (state === 'notReady') await setState(i, 'idle');
        }
        // Whatever happened, it settles with nobody waiting for an idle agent of their group.
        await until(async () => (await starved()).length === 0, `no starved caller after step ${step}`);
        checks++;
      }
      expect(checks).toBe(300);
      expect(rings.length).toBeGreaterThan(50);
      // Misses happened (a missed caller keeps their place, so "oldest first" is checked below
      // without them).
      const missedAt = await sql(
        `select count(*)::int as n from call_offers where tenant_id = $1 and state = 'missed'`,
        [tenantId],
      );
      expect(missedAt.rows[0]!.n).toBeGreaterThan(0);
    },
    LONG_RUN_MS,
  );

  it(
    '[RT-01] without missed offers, every offer goes to the longest-waiting caller the agent can take',
    async () => {
      const { callFlow } = t.app.container.cradle;
      const random = prng(7);
      const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(random() * xs.length)];
      for (let step = 0; step < 200; step++) {
        const roll = random();
        if (roll < 0.35) await arrive(Math.floor(random() * 3));
        else if (roll < 0.6) {
          const offer = pick(
            (await sql(`select id, session_id from call_offers where tenant_id = $1 and state = 'ringing'`, [tenantId]))
              .rows,
          );
          if (offer) {
            await callFlow.onAgentAnswered(
              { sessionId: offer.session_id as string, tenantId, role: 'agent', offerId: offer.id as string },
              { callSid: `answered-${offer.id}` },
            );
          }
        } else if (roll < 0.85) {
          const s = pick(
            (await sql(`select id from call_sessions where tenant_id = $1 and state = 'bridged'`, [tenantId])).rows,
          );
          if (s) await callFlow.endSession(s.id as string, { by: 'agent' });
        } else {
          const i = Math.floor(random() * AGENTS);
          const state = (await sql(`select state from agents where user_id = $1`, [agentIds[i]])).rows[0]!.state;
          if (state === 'idle') await setState(i, 'notReady');
          else if (state === 'notReady') await setState(i, 'idle');
        }
        await until(async () => (await starved()).length === 0, `no starved caller after step ${step}`);
      }
      expect(rings.length).toBeGreaterThan(40);
      expect(unfair).toEqual([]);
    },
    LONG_RUN_MS,
  );
});
