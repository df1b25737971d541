import type {
  CallIncomingResult,
  HookMode,
  HookName,
  NumberIdentifyResult,
  NumberResolveResult,
  PluginHooks,
} from './types.js';

/**
 * How the host runs one hook. Plugins cannot change the mode; a handler's own `timeoutMs` can
 * only lower `timeoutMs` (the Rollup rule: hook kinds belong to the host, not to plugins).
 */
export interface HookPolicy {
  /**
   * - `sequential`: one handler after another in plugin order, results merged.
   * - `parallel`: all handlers at once; the host waits for all of them to settle.
   * - `durable`: one job per plugin on the job queue, retried by the queue with backoff.
   * - `first`: one handler after another until one returns a value.
   */
  mode: HookMode;
  /** Budget of one handler in ms (of one attempt, for `durable`). */
  timeoutMs: number;
  /**
   * Budget of the whole hook in ms (`sequential` only). Once it is spent the remaining handlers
   * are skipped, so a slow chain of plugins cannot hold up the call.
   */
  totalMs?: number;
}

/** Per-hook budget overrides (tests use them to make a hang last 100 ms, not 5 s). */
export type HookPolicyOverrides = Partial<Record<HookName, { timeoutMs?: number; totalMs?: number }>>;

/**
 * The host's table of hook modes and budgets: the single source of truth for how each hook in
 * {@link PluginHooks} runs.
 *
 * @example
 * HOOK_POLICIES['call.incoming'] // { mode: 'sequential', timeoutMs: 800, totalMs: 2500 }
 */
export const HOOK_POLICIES: Readonly<Record<HookName, Readonly<HookPolicy>>> = Object.freeze({
  // On the webhook path: jambonz waits for our verbs, so the whole chain has a hard ceiling.
  'call.incoming': Object.freeze({ mode: 'sequential', timeoutMs: 800, totalMs: 2500 }),
  // Before an agent's outbound call rings anything: the same ceiling, so a plugin delays it at most this.
  'call.outbound': Object.freeze({ mode: 'sequential', timeoutMs: 800, totalMs: 2500 }),
  'call.queued': Object.freeze({ mode: 'parallel', timeoutMs: 5000 }),
  'call.offered': Object.freeze({ mode: 'parallel', timeoutMs: 5000 }),
  'call.answered': Object.freeze({ mode: 'parallel', timeoutMs: 5000 }),
  'call.held': Object.freeze({ mode: 'parallel', timeoutMs: 5000 }),
  'call.transferred': Object.freeze({ mode: 'parallel', timeoutMs: 5000 }),
  'agent.status.changed': Object.freeze({ mode: 'parallel', timeoutMs: 5000 }),
  // CDR pushes talk to slower back-office systems; still bounded so shutdown can drain.
  'call.ended': Object.freeze({ mode: 'parallel', timeoutMs: 10_000 }),
  // Uploading a recording elsewhere can take a while and must not be lost: a job per plugin.
  'recording.ready': Object.freeze({ mode: 'durable', timeoutMs: 60_000 }),
  'ivr.http': Object.freeze({ mode: 'first', timeoutMs: 3000 }),
  // Before a call reaches an agent (an inbound offer waits for the IVR anyway; a dial waits for it).
  'number.identify': Object.freeze({ mode: 'first', timeoutMs: 1500 }),
  'number.resolve': Object.freeze({ mode: 'first', timeoutMs: 1500 }),
} satisfies Record<HookName, HookPolicy>);

/** Every hook name, in the table's order. */
export const HOOK_NAMES = Object.freeze(Object.keys(HOOK_POLICIES) as HookName[]);

/** True when `name` is a hook the host knows. */
export function isHookName(name: string): name is HookName {
  return Object.hasOwn(HOOK_POLICIES, name);
}

/**
 * What `emit` resolves to for each hook: merged annotations for `call.incoming` and
 * `call.outbound`, the first answer for `ivr.http`, nothing for fire-and-log and durable hooks.
 */
export interface HookEmitResults {
  'call.incoming': Required<CallIncomingResult>;
  'call.outbound': Required<CallIncomingResult>;
  'call.queued': void;
  'call.offered': void;
  'call.answered': void;
  'call.held': void;
  'call.transferred': void;
  'call.ended': void;
  'agent.status.changed': void;
  'recording.ready': void;
  'ivr.http': Exclude<Awaited<ReturnType<PluginHooks['ivr.http']>>, void> | undefined;
  'number.identify': NumberIdentifyResult | undefined;
  'number.resolve': NumberResolveResult | undefined;
}
