import type { ConferenceEvent } from '../protocol/payloads.js';
import type { ConferenceVerb, Hook } from '../protocol/verbs.js';
import type { SimLeg } from './call-leg.js';
import type { Engine } from './engine.js';
import { runPromptVerbs } from './media.js';
import { childController, deferred, type Deferred } from './util.js';

/** Why a member's conference verb ended. */
export type LeaveReason = 'left' | 'ended' | 'kicked';

/** One leg in a conference room. */
export interface ConferenceMember {
  room: ConferenceRoom;
  leg: SimLeg;
  tag: string | undefined;
  /** FreeSWITCH `moderator` flag: only set when startConferenceOnEnter:true is given explicitly. */
  moderator: boolean;
  endConferenceOnExit: boolean;
  muted: boolean;
  held: boolean;
  /** Tag of the members this member is heard by (coach mode / speakOnlyTo). */
  coachTag: string | undefined;
  joinedAtSim: number;
  /** Resolved when the member is out of the room. */
  left: Deferred<LeaveReason>;
  holdCtrl?: AbortController;
  holdHook?: string;
}

/** A live conference room. */
export interface ConferenceRoom {
  name: string;
  /** `conf:{account_sid}:{name}`, reported as conference_sid. */
  sid: string;
  startedAtSim: number;
  /** statusHook/statusEvents of whoever started the room (FS stores them with the room). */
  statusHook: Hook | undefined;
  statusEvents: Set<ConferenceEvent>;
  hookBaseUrl: string | undefined;
  members: Map<string, ConferenceMember>;
  maxParticipants: number | undefined;
}

/** A conference as the simulator shows it. */
export interface SimConferenceSnapshot {
  name: string;
  members: Array<{
    callSid: string;
    tag?: string;
    moderator: boolean;
    muted: boolean;
    held: boolean;
    coachTag?: string;
    endConferenceOnExit: boolean;
  }>;
}

/**
 * Conference rooms per account, with the FS semantics of `lib/tasks/conference.js`: room state,
 * status events, per-member mute/hold/tag/coach, the hold wait_hook loop and room end.
 */
export class ConferenceManager {
  private readonly rooms = new Map<string, ConferenceRoom>();
  private readonly waiting = new Map<string, Set<Deferred<void>>>();

  constructor(private readonly engine: Engine) {}

  get(name: string): ConferenceRoom | undefined {
    return this.rooms.get(name);
  }

  /** `GET /Conferences` body: names only. */
  names(): string[] {
    return [...this.rooms.keys()];
  }

  /** Creates a room started by `leg` and posts `start`. */
  start(name: string, leg: SimLeg, verb: ConferenceVerb): ConferenceRoom {
    const events = new Set<ConferenceEvent>();
    if (verb.statusHook) for (const e of verb.statusEvents ?? []) events.add(e);
    const room: ConferenceRoom = {
      name,
      sid: `conf:${this.engine.accountSid}:${name}`,
      startedAtSim: this.engine.clock.now(),
      statusHook: verb.statusHook,
      statusEvents: events,
      hookBaseUrl: leg.app.callHookUrl,
      members: new Map(),
      maxParticipants: verb.maxParticipants,
    };
    this.rooms.set(name, room);
    this.notify(room, 'start', leg, 0);
    // Members waiting for a moderator join now.
    const waiters = this.waiting.get(name);
    this.waiting.delete(name);
    for (const w of waiters ?? []) w.resolve();
    return room;
  }

  /**
   * Waits until room `name` is started by someone else (startConferenceOnEnter:false).
   * Resolves false when `signal` aborts first.
   */
  async waitForStart(name: string, signal: AbortSignal): Promise<boolean> {
    if (this.rooms.has(name)) return true;
    const d = deferred<void>();
    const set = this.waiting.get(name) ?? new Set();
    set.add(d);
    this.waiting.set(name, set);
    const onAbort = (): void => {
      set.delete(d);
      d.resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    await d.promise;
    signal.removeEventListener('abort', onAbort);
    return !signal.aborted && this.rooms.has(name);
  }

  /** Adds `leg` to `room`; undefined when the room is full (FreeSWITCH refuses the join). */
  join(room: ConferenceRoom, leg: SimLeg, verb: ConferenceVerb): ConferenceMember | undefined {
    if (room.maxParticipants !== undefined && room.maxParticipants > 1 && room.members.size >= room.maxParticipants) {
      return undefined;
    }
    const member: ConferenceMember = {
      room,
      leg,
      tag: verb.memberTag,
      moderator: verb.startConferenceOnEnter === true,
      endConferenceOnExit: verb.endConferenceOnExit === true,
      muted: verb.joinMuted === true || verb.speakOnlyTo !== undefined,
      held: false,
      coachTag: verb.speakOnlyTo,
      joinedAtSim: this.engine.clock.now(),
      left: deferred<LeaveReason>(),
    };
    // In FS speakOnlyTo joins muted only until the "relate nospeak" is set up, then unmutes.
    if (verb.speakOnlyTo !== undefined && verb.joinMuted !== true) member.muted = false;
    room.members.set(leg.sid, member);
    leg.conferenceMember = member;
    this.notify(room, 'join', leg, room.members.size);
    return member;
  }

  /**
   * Removes a member (hang-up, redirect, kick). Posts `leave`; when the room is empty or the
   * member had endConferenceOnExit, posts `end`, deletes the room and drops everyone else,
   * whose conference verbs then end and who continue with their next verb.
   */
  leave(member: ConferenceMember, reason: LeaveReason): void {
    const room = member.room;
    if (!room.members.has(member.leg.sid)) return;
    room.members.delete(member.leg.sid);
    member.holdCtrl?.abort();
    if (member.leg.conferenceMember === member) member.leg.conferenceMember = undefined;
    const ended = reason === 'ended';
    const remaining = ended ? 0 : room.members.size;
    this.notify(room, 'leave', member.leg, remaining);
    if (remaining === 0 || member.endConferenceOnExit) {
      // Every member dropped because the room ended runs FS _doFinalMemberCheck with a member
      // count of 0 and therefore posts `end` too — real jambonz sends one `end` per such member.
      this.notify(room, 'end', member.leg, 0);
      if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
      for (const other of [...room.members.values()]) this.leave(other, 'ended');
    }
    member.left.resolve(reason);
  }

  /** REST conf_hold_status / participant hold: mute+deaf, optional wait_hook loop (play/say/pause). */
  hold(member: ConferenceMember, status: 'hold' | 'unhold', waitHook?: string): void {
    const changed = member.held !== (status === 'hold');
    member.held = status === 'hold';
    if (waitHook) member.holdHook = waitHook;
    if (!changed && member.holdCtrl) {
      member.holdCtrl.abort();
      member.holdCtrl = undefined;
    }
    if (member.held && member.holdHook) {
      if (member.holdCtrl && !member.holdCtrl.signal.aborted) return;
      const ctrl = childController(member.leg.sessionCtrl.signal);
      member.holdCtrl = ctrl;
      this.engine.spawn(this.holdLoop(member, member.holdHook, ctrl.signal), member.leg.sid);
    } else if (!member.held) {
      member.holdCtrl?.abort();
      member.holdCtrl = undefined;
    }
  }

  private async holdLoop(member: ConferenceMember, hook: string, signal: AbortSignal): Promise<void> {
    const leg = member.leg;
    while (!signal.aborted && member.held && !leg.gone) {
      // FS snake-cases this body through and through: the tag arrives as `customer_data`.
      const { customerData, ...info } = leg.callInfo();
      const payload = customerData === undefined ? info : { ...info, customer_data: customerData };
      const res = await this.engine.webhooks.send('action', hook, payload, leg.hookCtx(signal));
      if (signal.aborted || !res.ok) return;
      if (res.verbs.length === 0) return;
      const bad = res.verbs.find((v) => !['say', 'play', 'pause'].includes(v.verb));
      if (bad) {
        this.engine.alert(leg.sid, `unsupported verb in conference wait_hook: ${bad.verb} (only play, say, pause)`);
        return;
      }
      const outcome = await runPromptVerbs(this.engine, leg, res.verbs, signal);
      if (outcome !== 'done') return;
    }
  }

  /**
   * A member's party speaks: FreeSWITCH mixes it to every other member, except when the speaker
   * is muted or held (hold = mute + deaf), to members that are held (deaf), and, for a coached
   * speaker (speakOnlyTo / coach), to anyone but the members with that tag.
   */
  speak(member: ConferenceMember, text: string): void {
    if (member.muted || member.held || !member.room.members.has(member.leg.sid)) return;
    for (const other of member.room.members.values()) {
      if (other === member || other.held) continue;
      if (member.coachTag !== undefined && other.tag !== member.coachTag) continue;
      other.leg.hear(text);
    }
  }

  /** REST conf_mute_status: mutes/unmutes every non-moderator (not a single member!). */
  muteNonModerators(room: ConferenceRoom, mute: boolean): void {
    for (const m of room.members.values()) if (!m.moderator) m.muted = mute;
  }

  snapshot(): SimConferenceSnapshot[] {
    return [...this.rooms.values()].map((room) => ({
      name: room.name,
      members: [...room.members.values()].map((m) => ({
        callSid: m.leg.sid,
        ...(m.tag !== undefined ? { tag: m.tag } : {}),
        moderator: m.moderator,
        muted: m.muted,
        held: m.held,
        ...(m.coachTag !== undefined ? { coachTag: m.coachTag } : {}),
        endConferenceOnExit: m.endConferenceOnExit,
      })),
    }));
  }

  clear(): void {
    this.rooms.clear();
    for (const set of this.waiting.values()) for (const d of set) d.resolve();
    this.waiting.clear();
  }

  /** Posts a conference status event (in order) if the room subscribed to it. */
  private notify(room: ConferenceRoom, event: ConferenceEvent, leg: SimLeg, members: number): void {
    const hook = room.statusHook;
    if (!hook || !room.statusEvents.has(event) || this.engine.stopping) return;
    const payload: Record<string, unknown> = {
      event,
      duration: (this.engine.clock.now() - room.startedAtSim) / 1000,
      time: new Date().toISOString(),
      members,
      conferenceSid: room.sid,
      friendlyName: room.name,
      ...leg.callInfo(),
    };
    const ctx = { callSid: leg.sid, ...(room.hookBaseUrl ? { baseUrl: room.hookBaseUrl } : {}) };
    void this.engine.webhooks.sendOrdered(`conference:${room.sid}`, 'conference_status', hook, payload, ctx);
  }
}
