import type { Bridge } from './bridge.js';
import type { SimLeg } from './call-leg.js';

/** One call waiting in a queue. */
export interface QueueMember {
  leg: SimLeg;
  queue: string;
  /** Lower is served first; default 999 as in FS. */
  priority: number;
  seq: number;
  joinedAtSim: number;
  /** Called by the dequeuer once it took this member out of the queue. */
  onDequeued(dequeuer: SimLeg, bridge: Bridge): void;
}

/** A queue as the simulator shows it. */
export interface SimQueueSnapshot {
  name: string;
  members: Array<{ callSid: string; position: number; priority: number; waitingSimMs: number }>;
}

/**
 * Account queues: a sorted set per name in redis (`queue:{account}:{name}`), score = priority,
 * FIFO within a priority. Empty queues disappear, as empty sorted sets do.
 */
export class QueueManager {
  private readonly queues = new Map<string, QueueMember[]>();
  private seq = 0;

  /** Adds a member; returns the queue length afterwards. */
  add(member: Omit<QueueMember, 'seq'>): { member: QueueMember; length: number } {
    const full: QueueMember = { ...member, seq: ++this.seq };
    const list = this.queues.get(member.queue) ?? [];
    const idx = list.findIndex((m) => m.priority > full.priority);
    if (idx < 0) list.push(full);
    else list.splice(idx, 0, full);
    this.queues.set(member.queue, list);
    return { member: full, length: list.length };
  }

  /** Removes a member; returns the queue length afterwards (or undefined if it was not queued). */
  remove(member: QueueMember): number | undefined {
    const list = this.queues.get(member.queue);
    if (!list) return undefined;
    const idx = list.indexOf(member);
    if (idx < 0) return undefined;
    list.splice(idx, 1);
    if (list.length === 0) this.queues.delete(member.queue);
    return list.length;
  }

  /** 0-based position of a member (what the waitHook reports). */
  position(member: QueueMember): number {
    return this.queues.get(member.queue)?.indexOf(member) ?? -1;
  }

  length(queue: string): number {
    return this.queues.get(queue)?.length ?? 0;
  }

  /** The member a dequeue would take: a specific call, or the head of the queue. */
  find(queue: string, callSid?: string): QueueMember | undefined {
    const list = this.queues.get(queue);
    if (!list) return undefined;
    // A member whose call just ended is skipped: its enqueue verb removes it a tick later.
    return list.find((m) => !m.leg.gone && (callSid === undefined || m.leg.sid === callSid));
  }

  /** `GET /Queues` body. */
  list(): Array<{ name: string; length: number }> {
    return [...this.queues.entries()].map(([name, list]) => ({ name, length: list.length }));
  }

  snapshot(nowSim: number): SimQueueSnapshot[] {
    return [...this.queues.entries()].map(([name, list]) => ({
      name,
      members: list.map((m, i) => ({
        callSid: m.leg.sid,
        position: i,
        priority: m.priority,
        waitingSimMs: nowSim - m.joinedAtSim,
      })),
    }));
  }

  clear(): void {
    this.queues.clear();
  }
}
