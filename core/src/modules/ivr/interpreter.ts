import { clockVariables, isWithinWorkingHours } from './clock.js';
import {
  isReservedVariable,
  type ConditionOperator,
  type IvrGraph,
  type IvrNode,
  type NodeOf,
  type Prompt,
  type SystemVariable,
} from './flow-model.js';
import { asVariableValue, interpolate, interpolatePrompt, readPath } from './variables.js';

/**
 * The IVR interpreter: a pure state machine `(graph, state, event, context) → (state, effects)`.
 * It knows nothing of telephony or storage, so every path is unit-tested without a call, and a
 * call in progress can be resumed on any instance from the stored state. The clock and the
 * call's facts come in through {@link IvrContext}; nothing here reads the environment, except
 * that a missing `context.now` means "now".
 *
 * See README.md beside this file for what the call path does with each effect and event.
 */

/**
 * What the flow waits for at {@link IvrState.node}:
 * - `input`: digits for a menu, digit collection or survey (the default; states stored before
 *   this field existed are all `input`);
 * - `http`: the `httpResult` of an HTTP node;
 * - `queue`: the caller is queued by a transfer node (`noAgent`, `queueWait`, `queueTimeout`,
 *   `agentConnected`);
 * - `queueTimeout`: the queue-timeout prompt is asking "any key to wait, # to leave" (`digits`);
 * - `agent`: the caller talks to an agent (`agentHungUp`);
 * - `external`: an external number is being called (`externalFailed`);
 * - `voicemail`: a message is being recorded (`voicemailDone`).
 */
export type IvrWait = 'input' | 'http' | 'queue' | 'queueTimeout' | 'agent' | 'external' | 'voicemail';

/** Where a caller is in the flow. Stored with the call session (JSON). */
export interface IvrState {
  node: string;
  /** Errors so far at the current node (menu, collection, survey, HTTP attempts). */
  retries: number;
  /** Absent = `input`. */
  wait?: IvrWait;
  /** Custom variables set so far (absent = none). */
  vars?: Record<string, string>;
}

/** What the interpreter may know about the world at a step. */
export interface IvrContext {
  /** The current time (working hours, `${SystemTime}`); default: the real clock. */
  now?: Date;
  /**
   * The tenant's time zone: working-hours nodes read their schedule in it when neither the node
   * nor the flow names one (IVR-01 "flow or tenant time zone"); default UTC.
   */
  timeZone?: string;
  /** System variables of the call (`SystemCallerNumber`, `SystemSessionId`, …). */
  system?: Partial<Record<SystemVariable, string>>;
  /**
   * Custom variables from outside the flow (an API that starts the IVR, a plugin). Copied into
   * the state at start; afterwards read only when the flow has not set the variable itself.
   */
  variables?: Record<string, string>;
}

/** Something that happened to the caller. Events for another node than the current one are ignored. */
export type IvrEvent =
  | { type: 'start' }
  /** Digits (or a timeout: `timedOut`, digits empty) for the `collect` effect with this `step`. */
  | { type: 'digits'; step: string; digits: string; timedOut: boolean }
  /** Outcome of an `httpRequest`: `ok` with the parsed JSON answer, or not ok (error, timeout, non-2xx). */
  | { type: 'httpResult'; nodeId: string; ok: boolean; output?: unknown }
  /** Nobody in the transfer's skill group is online. */
  | { type: 'noAgent'; nodeId: string }
  /** A queue round: what to play now; `waitNo` = callers ahead (`${WaitNo}`). */
  | { type: 'queueWait'; nodeId: string; waitNo: number }
  /** The caller has waited `queueTimeoutSeconds`. */
  | { type: 'queueTimeout'; nodeId: string; waitNo?: number }
  /** An agent answered; `staffNo` = the agent's staff number (`${StaffNo}`). */
  | { type: 'agentConnected'; nodeId: string; staffNo: string }
  /** The agent hung up first and the caller is still on the line. */
  | { type: 'agentHungUp'; nodeId: string }
  /** The external number did not answer or could not be called. */
  | { type: 'externalFailed'; nodeId: string }
  /** The voicemail recording is over (finished, timed out or the key pressed). */
  | { type: 'voicemailDone'; nodeId: string; recordingId?: string; durationSeconds?: number };

/**
 * What the caller should experience next, or what the call path should do. Effects come in
 * order; prompts in one step play in that order.
 */
export type IvrEffect =
  /** Play a prompt to the caller, to the end (no key interrupts it). `${Var}` already filled in. */
  | { type: 'prompt'; prompt: Prompt }
  /**
   * Play `prompts` (a key press interrupts them) and collect digits; answer with a `digits`
   * event carrying `step`. Menus ask `numDigits` (no `purpose`); digit collection asks either
   * `numDigits` (fixed length) or `maxDigits` ended by `finishOnKey` (IVR-26); `survey` asks
   * for a rating key (IVR-23); `queueTimeout` asks "any key to keep waiting, # to leave"
   * while the caller is queued (IVR-16).
   */
  | {
      type: 'collect';
      step: string;
      prompts: Prompt[];
      numDigits?: number;
      maxDigits?: number;
      finishOnKey?: string;
      timeoutSeconds: number;
      purpose?: 'digits' | 'survey' | 'queueTimeout';
    }
  /** A menu key the caller chose: append to the session's key trail (IN-07). */
  | { type: 'keyPressed'; key: string; label: string; nodeLabel: string }
  /**
   * Queue the caller for a skill group (IVR-13). Unless nobody of the group is online
   * (then send `noAgent`), keep the state and send `queueWait` on every queue round,
   * `queueTimeout` after `queueTimeoutSeconds`, `agentConnected` on answer and
   * `agentHungUp` if the agent leaves first and `afterAgentNext` is set (survey, IVR-22).
   * `overflowSkillGroupId` (IVR-20) and `preferredAgent` (IVR-21, a staff number or user id
   * as the flow's variable holds it) are for the ACD.
   */
  | {
      type: 'transfer';
      skillGroupId: string;
      priority: number;
      nodeId: string;
      noAgentNext?: string;
      queueTimeoutSeconds?: number;
      overflowSkillGroupId?: string;
      preferredAgent?: string;
      afterAgentNext?: string;
    }
  /** Hang up the caller. The flow is over. */
  | { type: 'hangup' }
  /** A custom variable got a value (the state holds it too): keep it with the session for records and plugins. */
  | { type: 'setVariable'; nodeId: string; name: string; value: string }
  /**
   * Call an HTTP API (IVR-29): `body` as JSON for POST, as query parameters for GET; give up
   * after `timeoutSeconds`. Answer with `httpResult`. `attempt` counts from 1.
   */
  | {
      type: 'httpRequest';
      nodeId: string;
      url: string;
      method: 'GET' | 'POST';
      body: Record<string, string>;
      timeoutSeconds: number;
      attempt: number;
    }
  /**
   * Dial an external number and bridge the caller (IVR-25), playing `ringingPrompt` while it
   * rings; answer with `externalFailed` if nobody answers within `timeoutSeconds`.
   */
  | {
      type: 'externalTransfer';
      nodeId: string;
      number: string;
      callerId?: string;
      ringingPrompt?: Prompt;
      timeoutSeconds: number;
    }
  /**
   * Record a voicemail (IVR-31): play `prompt`, a beep if `beep`, record up to
   * `maxLengthSeconds` or until `finishOnKey`; store the message with the caller; answer with
   * `voicemailDone`.
   */
  | {
      type: 'voicemail';
      nodeId: string;
      prompt?: Prompt;
      maxLengthSeconds: number;
      finishOnKey: string;
      beep: boolean;
    }
  /**
   * A working-hours node found the call outside the hours (IVR-01): the call record ends
   * `notWorkTime` unless the flow goes on to queue the caller.
   */
  | { type: 'outOfHours'; nodeId: string }
  /** The caller rated the service (IVR-23): keep the key and label with the call record. */
  | { type: 'surveyResult'; nodeId: string; key: string; label: string }
  /** The caller pressed `#` at the queue-timeout prompt: take them out of the queue (a `hangup` follows). */
  | { type: 'leaveQueue'; nodeId: string }
  /** The caller keeps waiting after the queue-timeout prompt: stay queued, restart the timeout. */
  | { type: 'keepQueue'; nodeId: string; queueTimeoutSeconds?: number };

/**
 * Result of one step. `state` is null when the flow is over (hang-up, `#` out of the queue,
 * nothing after an agent); otherwise it is where the flow waits — after a skill-group
 * transfer, parked at the transfer node (`wait: 'queue'`) for the queue events.
 */
export interface IvrStep {
  state: IvrState | null;
  effects: IvrEffect[];
}

/** Node-hop guard: a flow that loops through nodes without waiting would spin forever. */
const MAX_HOPS = 50;
/** Seconds to answer the queue-timeout prompt when the node does not say. */
const QUEUE_TIMEOUT_KEY_SECONDS = 5;

const NUMBER = /^\+?[0-9*#]{3,32}$/;
const NUMERIC = /^-?\d+(\.\d+)?$/;

function find(graph: IvrGraph, id: string): IvrNode {
  const n = graph.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`IVR node ${id} not found`);
  return n;
}

/** Numbers compare as numbers, anything else as text. */
function compare(a: string, b: string): number {
  if (NUMERIC.test(a.trim()) && NUMERIC.test(b.trim())) return Math.sign(Number(a) - Number(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

function holds(op: ConditionOperator, left: string, right: string): boolean {
  switch (op) {
    case 'eq':
      return compare(left, right) === 0;
    case 'ne':
      return compare(left, right) !== 0;
    case 'gt':
      return compare(left, right) > 0;
    case 'ge':
      return compare(left, right) >= 0;
    case 'lt':
      return compare(left, right) < 0;
    case 'le':
      return compare(left, right) <= 0;
    case 'contains':
      return left.includes(right);
    case 'notContains':
      return !left.includes(right);
    case 'startsWith':
      return left.startsWith(right);
    case 'endsWith':
      return left.endsWith(right);
    case 'in':
      return right
        .split(',')
        .map((s) => s.trim())
        .includes(left);
    case 'empty':
      return left === '';
    case 'notEmpty':
      return left !== '';
  }
}

/** Effects the caller does not hear: they do not break a run of interruptible prompts. */
const SILENT = new Set<IvrEffect['type']>(['keyPressed', 'setVariable', 'surveyResult', 'outOfHours']);

/** One step's work: the effects so far and the variables as they are now. */
class Run {
  readonly effects: IvrEffect[] = [];
  /** Prompts that must play to the end (`bargeIn: false`). */
  private readonly fixed = new WeakSet<IvrEffect>();
  private clock: Record<string, string> | undefined;
  /** Values only this step knows (`${WaitNo}`). */
  private readonly transient: Record<string, string> = {};

  constructor(
    private readonly graph: IvrGraph,
    private readonly ctx: IvrContext,
    private vars: Record<string, string>,
  ) {}

  readonly lookup = (name: string): string | undefined => {
    if (name in this.transient) return this.transient[name];
    if (Object.hasOwn(this.vars, name)) return this.vars[name];
    if (name.startsWith('System')) return this.ctx.system?.[name as SystemVariable] ?? this.clockVar(name);
    if (this.ctx.variables && Object.hasOwn(this.ctx.variables, name)) return this.ctx.variables[name];
    return this.graph.variables?.find((v) => v.name === name)?.default;
  };

  private clockVar(name: string): string | undefined {
    if (!this.clock) {
      const now = this.ctx.now ?? new Date();
      try {
        this.clock = clockVariables(now, this.graph.timeZone ?? this.ctx.timeZone ?? 'UTC');
      } catch {
        this.clock = clockVariables(now, 'UTC');
      }
    }
    return this.clock[name];
  }

  withTransient(name: string, value: string): this {
    this.transient[name] = value;
    return this;
  }

  private fill(p: Prompt): Prompt | undefined {
    const filled = interpolatePrompt(p, this.lookup);
    return filled.kind === 'say' && !filled.text.trim() ? undefined : filled;
  }

  prompt(p: Prompt | undefined, bargeIn = true): void {
    const filled = p && this.fill(p);
    if (!filled) return;
    const e: IvrEffect = { type: 'prompt', prompt: filled };
    this.effects.push(e);
    if (!bargeIn) this.fixed.add(e);
  }

  set(nodeId: string, name: string, value: string): void {
    this.vars = { ...this.vars, [name]: value };
    this.effects.push({ type: 'setVariable', nodeId, name, value });
  }

  /** Stores a value the flow may read later without announcing it (e.g. `StaffNo`). */
  remember(name: string, value: string): void {
    this.vars = { ...this.vars, [name]: value };
  }

  park(node: string, retries: number, wait: IvrWait): IvrStep {
    const state: IvrState = { node, retries };
    if (wait !== 'input') state.wait = wait;
    if (Object.keys(this.vars).length) state.vars = this.vars;
    return { state, effects: this.effects };
  }

  end(): IvrStep {
    this.effects.push({ type: 'hangup' });
    return { state: null, effects: this.effects };
  }

  /** Takes the interruptible prompts just before a collection, to play inside it. */
  private takeInterruptible(): Prompt[] {
    const taken: Prompt[] = [];
    for (let i = this.effects.length - 1; i >= 0; i--) {
      const e = this.effects[i]!;
      if (SILENT.has(e.type)) continue;
      if (e.type !== 'prompt' || this.fixed.has(e)) break;
      taken.unshift(e.prompt);
      this.effects.splice(i, 1);
    }
    return taken;
  }

  /** Asks for digits: pending interruptible prompts and the node's prompt play inside the collection. */
  ask(
    step: string,
    prompt: Prompt | undefined,
    digits: { numDigits?: number; maxDigits?: number; finishOnKey?: string },
    timeoutSeconds: number,
    purpose?: 'digits' | 'survey' | 'queueTimeout',
    bargeIn = true,
  ): void {
    if (!bargeIn) this.prompt(prompt, false);
    const pending = this.takeInterruptible();
    const own = bargeIn && prompt ? this.fill(prompt) : undefined;
    this.effects.push({
      type: 'collect',
      step,
      prompts: own ? [...pending, own] : pending,
      ...digits,
      timeoutSeconds,
      ...(purpose ? { purpose } : {}),
    });
  }

  /** Runs from `nodeId` until the flow needs something from outside or ends. */
  go(nodeId: string, retries = 0): IvrStep {
    let id = nodeId;
    let tries = retries;
    for (let hops = 0; hops < MAX_HOPS; hops++, tries = 0) {
      const node = find(this.graph, id);
      switch (node.type) {
        case 'play':
          for (let i = 0; i < (node.repeat ?? 1); i++) this.prompt(node.prompt, node.bargeIn !== false);
          id = node.next;
          continue;
        case 'menu':
          this.ask(
            node.id,
            node.prompt,
            { numDigits: Math.max(...node.options.map((o) => o.key.length)) },
            node.timeoutSeconds,
            undefined,
            node.bargeIn !== false,
          );
          return this.park(node.id, tries, 'input');
        case 'transfer':
          return this.transfer(node);
        case 'hangup':
          this.prompt(node.prompt);
          return this.end();
        case 'workingHours': {
          let open = false;
          try {
            const timeZone = node.timeZone ?? this.graph.timeZone ?? this.ctx.timeZone ?? 'UTC';
            open = isWithinWorkingHours({ ...node, timeZone }, this.ctx.now ?? new Date());
          } catch {
            // An unknown time zone (validation refuses it on save) counts as closed.
          }
          if (!open) this.effects.push({ type: 'outOfHours', nodeId: node.id });
          id = open ? node.inHours : node.outOfHours;
          continue;
        }
        case 'dynamicBranch': {
          const value = this.lookup(node.variable) ?? '';
          id = node.branches.find((b) => b.value === value)?.next ?? node.defaultNext;
          continue;
        }
        case 'condition': {
          const branch = node.branches.find((b) =>
            b.rules.every((r) => holds(r.operator, this.lookup(r.variable) ?? '', interpolate(r.value, this.lookup))),
          );
          id = branch?.next ?? node.elseNext;
          continue;
        }
        case 'collect':
          this.ask(
            node.id,
            node.prompt,
            node.mode === 'fixed' ? { numDigits: node.digits } : { maxDigits: node.digits, finishOnKey: '#' },
            node.timeoutSeconds,
            'digits',
            node.bargeIn !== false,
          );
          return this.park(node.id, tries, 'input');
        case 'survey':
          this.ask(
            node.id,
            node.prompt,
            { numDigits: Math.max(...node.options.map((o) => o.key.length)) },
            node.timeoutSeconds,
            'survey',
          );
          return this.park(node.id, tries, 'input');
        case 'externalTransfer': {
          const number = interpolate(node.number, this.lookup);
          if (!NUMBER.test(number)) return this.externalFailed(node);
          const ringing = node.ringingPrompt && this.fill(node.ringingPrompt);
          this.effects.push({
            type: 'externalTransfer',
            nodeId: node.id,
            number,
            ...(node.callerId ? { callerId: node.callerId } : {}),
            ...(ringing ? { ringingPrompt: ringing } : {}),
            timeoutSeconds: node.timeoutSeconds,
          });
          return this.park(node.id, 0, 'external');
        }
        case 'http':
          this.httpRequest(node, tries + 1);
          return this.park(node.id, tries, 'http');
        case 'voicemail': {
          const prompt = node.prompt && this.fill(node.prompt);
          this.effects.push({
            type: 'voicemail',
            nodeId: node.id,
            ...(prompt ? { prompt } : {}),
            maxLengthSeconds: node.maxLengthSeconds,
            finishOnKey: node.finishOnKey,
            beep: node.beep,
          });
          return this.park(node.id, 0, 'voicemail');
        }
      }
    }
    return this.end();
  }

  private transfer(node: NodeOf<'transfer'>): IvrStep {
    this.prompt(node.transferPrompt);
    const preferred = node.preferredAgentVariable ? this.lookup(node.preferredAgentVariable) : undefined;
    this.effects.push({
      type: 'transfer',
      skillGroupId: node.target.skillGroupId,
      priority: node.priority,
      nodeId: node.id,
      ...(node.noAgentNext ? { noAgentNext: node.noAgentNext } : {}),
      ...(node.queueTimeoutSeconds ? { queueTimeoutSeconds: node.queueTimeoutSeconds } : {}),
      ...(node.overflowSkillGroupId ? { overflowSkillGroupId: node.overflowSkillGroupId } : {}),
      ...(preferred ? { preferredAgent: preferred } : {}),
      ...(node.afterAgentNext ? { afterAgentNext: node.afterAgentNext } : {}),
    });
    return this.park(node.id, 0, 'queue');
  }

  private httpRequest(node: NodeOf<'http'>, attempt: number): void {
    this.effects.push({
      type: 'httpRequest',
      nodeId: node.id,
      url: node.url,
      method: node.method,
      body: Object.fromEntries(node.inputs.map((i) => [i.name, interpolate(i.value, this.lookup)])),
      timeoutSeconds: node.timeoutSeconds,
      attempt,
    });
  }

  externalFailed(node: NodeOf<'externalTransfer'>): IvrStep {
    this.prompt(node.failPrompt);
    return node.failNext ? this.go(node.failNext) : this.end();
  }

  // ── answers to events ──

  menu(node: NodeOf<'menu'>, retries: number, e: { digits: string; timedOut: boolean }): IvrStep {
    const timedOut = e.timedOut || e.digits === '';
    const option = timedOut ? undefined : node.options.find((o) => o.key === e.digits);
    if (option) {
      this.effects.push({ type: 'keyPressed', key: option.key, label: option.label, nodeLabel: node.label });
      return this.go(option.next);
    }
    if (retries >= node.maxRetries) return this.go(node.onFail);
    this.prompt(timedOut ? node.timeoutPrompt : node.invalidPrompt);
    return this.go(node.id, retries + 1);
  }

  collect(node: NodeOf<'collect'>, retries: number, e: { digits: string; timedOut: boolean }): IvrStep {
    const timedOut = e.timedOut || e.digits === '';
    const value = node.mode === 'terminated' ? e.digits.replace(/#$/, '') : e.digits;
    const valid =
      !timedOut &&
      /^[0-9*]+$/.test(value) &&
      (node.mode === 'fixed' ? value.length === node.digits : value.length <= node.digits);
    if (valid) {
      this.set(node.id, node.variable, value);
      return this.go(node.next);
    }
    if (retries >= node.maxRetries) return node.onFail ? this.go(node.onFail) : this.end();
    this.prompt(timedOut ? node.timeoutPrompt : node.failPrompt);
    return this.go(node.id, retries + 1);
  }

  survey(node: NodeOf<'survey'>, retries: number, e: { digits: string; timedOut: boolean }): IvrStep {
    const timedOut = e.timedOut || e.digits === '';
    const option = timedOut ? undefined : node.options.find((o) => o.key === e.digits);
    if (option) {
      this.effects.push({ type: 'surveyResult', nodeId: node.id, key: option.key, label: option.label });
      if (node.variable) this.set(node.id, node.variable, option.key);
      if (node.labelVariable) this.set(node.id, node.labelVariable, option.label);
      this.prompt(node.thanksPrompt);
      return node.next ? this.go(node.next) : this.end();
    }
    if (retries >= node.maxRetries) return node.next ? this.go(node.next) : this.end();
    this.prompt(timedOut ? node.timeoutPrompt : node.invalidPrompt);
    return this.go(node.id, retries + 1);
  }

  http(node: NodeOf<'http'>, retries: number, e: { ok: boolean; output?: unknown }): IvrStep {
    if (!e.ok) {
      const errors = retries + 1;
      if (errors <= node.maxRetries) {
        this.httpRequest(node, errors + 1);
        return this.park(node.id, errors, 'http');
      }
    }
    for (const o of node.outputs) {
      const got = e.ok ? asVariableValue(readPath(e.output, o.field ?? o.variable)) : undefined;
      this.set(node.id, o.variable, got ?? o.default);
    }
    return this.go(node.next);
  }

  queueTimeoutKey(node: NodeOf<'transfer'>, e: { digits: string; timedOut: boolean }): IvrStep {
    if (!e.timedOut && e.digits.includes('#')) {
      this.effects.push({ type: 'leaveQueue', nodeId: node.id });
      return this.end();
    }
    this.effects.push({
      type: 'keepQueue',
      nodeId: node.id,
      ...(node.queueTimeoutSeconds ? { queueTimeoutSeconds: node.queueTimeoutSeconds } : {}),
    });
    return this.park(node.id, 0, 'queue');
  }
}

function initialVariables(graph: IvrGraph, context: IvrContext): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const v of graph.variables ?? []) vars[v.name] = v.default;
  for (const [k, v] of Object.entries(context.variables ?? {})) if (!isReservedVariable(k)) vars[k] = v;
  return vars;
}

/** Starts the flow. */
export function startIvr(graph: IvrGraph, context: IvrContext = {}): IvrStep {
  return new Run(graph, context, initialVariables(graph, context)).go(graph.start);
}

/**
 * Continues at a given node (e.g. the "no agent" branch of a transfer, or the current node
 * again when a webhook is replayed), keeping the variables of `from` if given.
 */
export function resumeAt(graph: IvrGraph, nodeId: string, from?: IvrState | null, context: IvrContext = {}): IvrStep {
  const vars = from ? { ...from.vars } : initialVariables(graph, context);
  return new Run(graph, context, vars).go(nodeId);
}

/**
 * Applies an event. An event for another node than the current one, or one the node is not
 * waiting for (a duplicate or late webhook), changes nothing and asks for nothing.
 */
export function stepIvr(graph: IvrGraph, state: IvrState, event: IvrEvent, context: IvrContext = {}): IvrStep {
  if (event.type === 'start') return startIvr(graph, context);
  const unchanged: IvrStep = { state, effects: [] };
  if ((event.type === 'digits' ? event.step : event.nodeId) !== state.node) return unchanged;
  const node = graph.nodes.find((n) => n.id === state.node);
  if (!node) return unchanged;
  const wait = state.wait ?? 'input';
  const run = new Run(graph, context, { ...state.vars });

  switch (event.type) {
    case 'digits':
      if (wait === 'queueTimeout' && node.type === 'transfer') return run.queueTimeoutKey(node, event);
      if (wait !== 'input') return unchanged;
      if (node.type === 'menu') return run.menu(node, state.retries, event);
      if (node.type === 'collect') return run.collect(node, state.retries, event);
      if (node.type === 'survey') return run.survey(node, state.retries, event);
      return unchanged;
    case 'httpResult':
      if (wait !== 'http' || node.type !== 'http') return unchanged;
      return run.http(node, state.retries, event);
    case 'noAgent':
      if (wait !== 'queue' || node.type !== 'transfer') return unchanged;
      run.prompt(node.noAgentPrompt);
      return node.noAgentNext ? run.go(node.noAgentNext) : run.end();
    case 'queueWait':
      if (wait !== 'queue' || node.type !== 'transfer') return unchanged;
      run.withTransient('WaitNo', String(event.waitNo));
      run.prompt(node.waitPrompt);
      run.prompt(node.holdMusic);
      return { state, effects: run.effects };
    case 'queueTimeout':
      if (wait !== 'queue' || node.type !== 'transfer' || !node.queueTimeoutSeconds) return unchanged;
      if (event.waitNo !== undefined) run.withTransient('WaitNo', String(event.waitNo));
      run.ask(
        node.id,
        node.queueTimeoutPrompt,
        { numDigits: 1 },
        node.queueTimeoutKeySeconds ?? QUEUE_TIMEOUT_KEY_SECONDS,
        'queueTimeout',
      );
      return run.park(node.id, 0, 'queueTimeout');
    case 'agentConnected':
      if ((wait !== 'queue' && wait !== 'queueTimeout') || node.type !== 'transfer') return unchanged;
      run.remember('StaffNo', event.staffNo);
      run.prompt(node.connectPrompt);
      return run.park(node.id, 0, 'agent');
    case 'agentHungUp':
      if (wait !== 'agent' || node.type !== 'transfer') return unchanged;
      return node.afterAgentNext ? run.go(node.afterAgentNext) : run.end();
    case 'externalFailed':
      if (wait !== 'external' || node.type !== 'externalTransfer') return unchanged;
      return run.externalFailed(node);
    case 'voicemailDone':
      if (wait !== 'voicemail' || node.type !== 'voicemail') return unchanged;
      if (node.variable && event.recordingId) run.set(node.id, node.variable, event.recordingId);
      run.prompt(node.thanksPrompt);
      return node.next ? run.go(node.next) : run.end();
  }
}
