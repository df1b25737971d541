import { z } from 'zod';
import { multiLine, singleLine } from '../../http/text.js';

/**
 * The IVR flow model: a graph of typed nodes, one node type per group of FEATURES IVR-*. The
 * graph is JSON (stored per version in `ivr_flow_versions.graph`); the interpreter
 * (`interpreter.ts`) runs it and `validate.ts` checks it on save.
 *
 * Compatibility: the four original node types (play, menu, transfer, hangup) keep their
 * fields; everything added to them is optional, so graphs stored before keep parsing and
 * behave exactly as before.
 */

// ───────────────────────────── building blocks ─────────────────────────────

/** A variable name as written inside `${…}`. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const variableNameSchema = z.string().regex(VARIABLE_NAME, 'must be a variable name (letters, digits, _)');

/**
 * System variables (research A10 "Start"): filled by the call path through the interpreter's
 * context; `SystemTime`, `SystemDate` and `SystemWeekday` are derived from the context's clock
 * in the graph's time zone when the call path does not give them.
 */
export const SYSTEM_VARIABLES = [
  'SystemCallerNumber',
  'SystemCalleeNumber',
  'SystemSessionId',
  'SystemCallRingDuration',
  'SystemCallAcceptDuration',
  /** `HH:MM`, 24-hour. */
  'SystemTime',
  /** `YYYY-MM-DD`. */
  'SystemDate',
  /** `1` (Monday) … `7` (Sunday). */
  'SystemWeekday',
] as const;
export type SystemVariable = (typeof SYSTEM_VARIABLES)[number];

/**
 * Variables that only exist around a skill-group transfer: `${WaitNo}` (callers ahead, in the
 * queue prompts, IVR-15) and `${StaffNo}` (the answering agent's staff number, from the
 * connect prompt on, IVR-19).
 */
export const QUEUE_VARIABLES = ['WaitNo', 'StaffNo'] as const;

/** True for names no flow may declare or set (system and queue variables). */
export function isReservedVariable(name: string): boolean {
  return name.startsWith('System') || (QUEUE_VARIABLES as readonly string[]).includes(name);
}

/**
 * A prompt: text to speak (TTS, IVR-02; may contain `${Var}`), a URL to play, or a file of
 * the tenant's audio library (IVR-03) which the call path resolves to a URL.
 */
export const promptSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('say'), text: multiLine(2000, { trim: false }) }),
  z.object({ kind: z.literal('play'), url: z.url() }),
  z.object({ kind: z.literal('audio'), audioId: singleLine(64, { trim: false }) }),
]);

/** Text a node may leave empty, kept as written (no trimming): labels, values, defaults. */
const optionalLine = (max: number) => singleLine(max, { min: 0, trim: false });

const nodeRef = singleLine(64, { trim: false });
const dtmfKey = z.string().regex(/^[0-9*#]$/, 'must be one key: 0-9, * or #');
/** `HH:MM` (24-hour); `24:00` ends a range at midnight. */
const clockTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be HH:MM');
const isoDate = z.iso.date();

/** Days of the week, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Opening hours within one day. `end` before `start` runs past midnight into the next day. */
export const timeRangeSchema = z.object({ start: clockTime, end: clockTime });

const base = {
  id: singleLine(64, { trim: false }),
  /** Shown in key trails and reports. */
  label: optionalLine(100).default(''),
};

// ───────────────────────────── node types ─────────────────────────────

/** Play a prompt (IVR-02…05), then go on. */
export const playNodeSchema = z.object({
  ...base,
  type: z.literal('play'),
  prompt: promptSchema,
  next: nodeRef,
  /** How many times the prompt plays (IVR-05). Default 1. */
  repeat: z.number().int().min(1).max(10).optional(),
  /**
   * Whether a key press may interrupt the prompt (IVR-04). Default true: when a menu or a
   * digit collection follows, the prompt plays inside it and a key press cuts it short and
   * answers. `false` plays it to the end first.
   */
  bargeIn: z.boolean().optional(),
});

/** A static key menu (IVR-06…11). */
export const menuNodeSchema = z.object({
  ...base,
  type: z.literal('menu'),
  prompt: promptSchema,
  options: z.array(z.object({ key: dtmfKey, label: optionalLine(100).default(''), next: nodeRef })).min(1),
  timeoutSeconds: z.number().int().min(1).max(60).default(8),
  /** Extra tries after a wrong key or no key; the caller fails after `maxRetries + 1` errors. */
  maxRetries: z.number().int().min(0).max(10).default(2),
  /** Played after a wrong key, before the menu again (IVR-10). */
  invalidPrompt: promptSchema.optional(),
  /** Played after no key within the timeout, before the menu again (IVR-09). */
  timeoutPrompt: promptSchema.optional(),
  /** Where to go when tries run out (IVR-11: usually a hang-up). */
  onFail: nodeRef,
  /** Whether a key press may interrupt the menu prompt (default true). */
  bargeIn: z.boolean().optional(),
});

/** Transfer to a skill group (IVR-13…21) and, after the agent hangs up, maybe a survey. */
export const transferNodeSchema = z.object({
  ...base,
  type: z.literal('transfer'),
  target: z.object({ type: z.literal('skillGroup'), skillGroupId: z.uuid() }),
  /** Where to go when nobody in the group is online. */
  noAgentNext: nodeRef.optional(),
  priority: z.number().int().min(0).max(999).default(100),
  /** Played before queueing ("connecting you, please wait"; IVR-14). */
  transferPrompt: promptSchema.optional(),
  /** Played on every queue round; `${WaitNo}` = callers ahead (IVR-15). */
  waitPrompt: promptSchema.optional(),
  /** Queue music, after the wait prompt (IVR-15). */
  holdMusic: promptSchema.optional(),
  /** Seconds in the queue before the queue-timeout prompt (IVR-16); again after each "keep waiting". */
  queueTimeoutSeconds: z.number().int().min(10).max(3600).optional(),
  /** "Press any key to keep waiting, # to leave" (IVR-17). Needed with `queueTimeoutSeconds`. */
  queueTimeoutPrompt: promptSchema.optional(),
  /** Seconds the caller has to answer the queue-timeout prompt (default 5; no key = keep waiting). */
  queueTimeoutKeySeconds: z.number().int().min(1).max(30).optional(),
  /** Played when nobody in the group is online (IVR-18), before `noAgentNext` or the hang-up. */
  noAgentPrompt: promptSchema.optional(),
  /** Played to the caller when an agent answers; `${StaffNo}` = the agent's staff number (IVR-19). */
  connectPrompt: promptSchema.optional(),
  /** Skill group to overflow to when the target group is all busy (IVR-20, advanced). */
  overflowSkillGroupId: z.uuid().optional(),
  /**
   * Variable holding the agent to try first — typically an HTTP node's output naming the
   * customer's own agent (IVR-21, advanced).
   */
  preferredAgentVariable: variableNameSchema.optional(),
  /** Where the caller goes when the agent hangs up first: a satisfaction survey (IVR-22). */
  afterAgentNext: nodeRef.optional(),
});

/** End of the flow (IVR-32): an optional goodbye, then hang up. */
export const hangupNodeSchema = z.object({
  ...base,
  type: z.literal('hangup'),
  prompt: promptSchema.optional(),
});

/**
 * Working hours (IVR-01): a weekly schedule in the node's IANA time zone (default: the flow's,
 * else the tenant's `settings.timezone`, else UTC). A range belongs to
 * the day it starts on (so `22:00–06:00` on Monday covers Tuesday 00:00–06:00). A holiday
 * closes its day, including an overnight range starting on it; a special day replaces the
 * weekly ranges of its date (an empty list closes it, ranges open a weekend make-up day).
 */
export const workingHoursNodeSchema = z.object({
  ...base,
  type: z.literal('workingHours'),
  /** IANA time zone, e.g. `Asia/Shanghai`; default: the flow's, else the tenant's. */
  timeZone: singleLine(64, { trim: false }).optional(),
  schedule: z
    .array(z.object({ days: z.array(z.enum(WEEKDAYS)).min(1), ranges: z.array(timeRangeSchema).min(1) }))
    .default([]),
  /** Closed dates (`YYYY-MM-DD`, local). */
  holidays: z.array(isoDate).max(366).default([]),
  /** Dates with their own ranges instead of the weekly ones. */
  specialDays: z
    .array(z.object({ date: isoDate, ranges: z.array(timeRangeSchema) }))
    .max(366)
    .default([]),
  inHours: nodeRef,
  outOfHours: nodeRef,
});

/** Dynamic branch (IVR-12, advanced): the value of a variable picks the branch. */
export const dynamicBranchNodeSchema = z.object({
  ...base,
  type: z.literal('dynamicBranch'),
  variable: variableNameSchema,
  branches: z.array(z.object({ value: optionalLine(200), next: nodeRef })).min(1),
  defaultNext: nodeRef,
});

/** Comparison operators of condition rules. Numbers compare as numbers, other values as text. */
export const CONDITION_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'contains',
  'notContains',
  'startsWith',
  'endsWith',
  /** `value` is a comma-separated list. */
  'in',
  'empty',
  'notEmpty',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/**
 * Condition (IVR-30, advanced): the first branch whose rules all hold wins; `elseNext`
 * otherwise. Rules test system (`SystemCallerNumber`…) or custom variables; `value` may
 * contain `${Var}`.
 */
export const conditionNodeSchema = z.object({
  ...base,
  type: z.literal('condition'),
  branches: z
    .array(
      z.object({
        label: optionalLine(100).default(''),
        rules: z
          .array(
            z.object({
              variable: variableNameSchema,
              operator: z.enum(CONDITION_OPERATORS),
              value: optionalLine(500).default(''),
            }),
          )
          .min(1),
        next: nodeRef,
      }),
    )
    .min(1),
  elseNext: nodeRef,
});

/** Digit collection (IVR-26…28, advanced), stored in a variable. */
export const collectNodeSchema = z.object({
  ...base,
  type: z.literal('collect'),
  prompt: promptSchema,
  /** `fixed`: exactly `digits` keys (ID card, mobile); `terminated`: up to `digits`, ended by `#`. */
  mode: z.enum(['fixed', 'terminated']),
  digits: z.number().int().min(1).max(32),
  timeoutSeconds: z.number().int().min(1).max(60).default(8),
  /** Played after no input, before asking again. */
  timeoutPrompt: promptSchema.optional(),
  /** Played after invalid input (wrong length or characters), before asking again. */
  failPrompt: promptSchema.optional(),
  /** Extra tries after an error; after `maxRetries + 1` errors the node fails. */
  maxRetries: z.number().int().min(0).max(10).default(2),
  /** Receives the digits (without the `#`). */
  variable: variableNameSchema,
  next: nodeRef,
  /** Where to go when tries run out (default: hang up). */
  onFail: nodeRef.optional(),
  bargeIn: z.boolean().optional(),
});

/**
 * Satisfaction survey (IVR-22…24): usually reached through a transfer's `afterAgentNext`
 * once the agent hangs up. Storing the answer in variables is advanced (IVR-24).
 */
export const surveyNodeSchema = z.object({
  ...base,
  type: z.literal('survey'),
  prompt: promptSchema,
  options: z.array(z.object({ key: dtmfKey, label: singleLine(100, { trim: false }) })).min(1),
  timeoutSeconds: z.number().int().min(1).max(60).default(8),
  maxRetries: z.number().int().min(0).max(10).default(1),
  invalidPrompt: promptSchema.optional(),
  timeoutPrompt: promptSchema.optional(),
  /** Played after a valid answer. */
  thanksPrompt: promptSchema.optional(),
  /** Receives the key pressed (IVR-24, advanced). */
  variable: variableNameSchema.optional(),
  /** Receives the label of the key pressed (IVR-24, advanced). */
  labelVariable: variableNameSchema.optional(),
  /** Where to go afterwards (default: hang up). */
  next: nodeRef.optional(),
});

/** Transfer to an external number (IVR-25), with a prompt or music while it rings. */
export const externalTransferNodeSchema = z.object({
  ...base,
  type: z.literal('externalTransfer'),
  /** Digits, or one `${Var}` holding them (e.g. an HTTP node's output). */
  number: z
    .string()
    .regex(/^(\+?[0-9*#]{3,32}|\$\{[A-Za-z_][A-Za-z0-9_]{0,63}\})$/, 'must be a phone number or one ${Variable}'),
  /** Number shown to the called party (default: the caller's). */
  callerId: z
    .string()
    .regex(/^\+?[0-9]{3,32}$/)
    .optional(),
  /** Played to the caller while the external number rings. */
  ringingPrompt: promptSchema.optional(),
  timeoutSeconds: z.number().int().min(5).max(120).default(30),
  /** Played when the number does not answer or cannot be called. */
  failPrompt: promptSchema.optional(),
  /** Where to go when the number does not answer (default: hang up). */
  failNext: nodeRef.optional(),
});

/**
 * HTTP call (IVR-29, advanced): sends the inputs as JSON (POST) or query parameters (GET),
 * reads the outputs from the JSON answer. After `maxRetries + 1` failed attempts (error or
 * timeout) the outputs take their defaults; the flow always goes on to `next`.
 */
export const httpNodeSchema = z.object({
  ...base,
  type: z.literal('http'),
  url: z.url({ protocol: /^https?$/ }),
  method: z.enum(['POST', 'GET']).default('POST'),
  /** Request fields; `value` may contain `${Var}`, e.g. `{ name: 'caller', value: '${SystemCallerNumber}' }`. */
  inputs: z
    .array(z.object({ name: singleLine(64, { trim: false }), value: optionalLine(500) }))
    .max(50)
    .default([]),
  /** Variables read from the answer: `field` is a dotted path (default: the variable's name). */
  outputs: z
    .array(
      z.object({
        variable: variableNameSchema,
        field: singleLine(200, { trim: false }).optional(),
        default: optionalLine(500).default(''),
      }),
    )
    .max(50)
    .default([]),
  timeoutSeconds: z.number().int().min(1).max(30).default(5),
  maxRetries: z.number().int().min(0).max(5).default(1),
  next: nodeRef,
});

/** Voicemail (IVR-31, advanced): record a message from the caller. */
export const voicemailNodeSchema = z.object({
  ...base,
  type: z.literal('voicemail'),
  /** "Please leave a message after the tone". */
  prompt: promptSchema.optional(),
  maxLengthSeconds: z.number().int().min(5).max(600).default(120),
  /** Key that ends the recording. */
  finishOnKey: dtmfKey.default('#'),
  beep: z.boolean().default(true),
  thanksPrompt: promptSchema.optional(),
  /** Receives the recording id. */
  variable: variableNameSchema.optional(),
  /** Where to go afterwards (default: hang up). */
  next: nodeRef.optional(),
});

export const ivrNodeSchema = z.discriminatedUnion('type', [
  playNodeSchema,
  menuNodeSchema,
  transferNodeSchema,
  hangupNodeSchema,
  workingHoursNodeSchema,
  dynamicBranchNodeSchema,
  conditionNodeSchema,
  collectNodeSchema,
  surveyNodeSchema,
  externalTransferNodeSchema,
  httpNodeSchema,
  voicemailNodeSchema,
]);

export type Prompt = z.output<typeof promptSchema>;
export type IvrNode = z.output<typeof ivrNodeSchema>;
export type IvrNodeType = IvrNode['type'];
export type NodeOf<T extends IvrNodeType> = Extract<IvrNode, { type: T }>;

// ───────────────────────────── editions ─────────────────────────────

/**
 * THE edition table: what a flow may only use in the advanced edition (FEATURES `A`). Node
 * types not listed are standard (S+A); an entry with `option` marks an option of a standard
 * node type. A standard tenant saving a flow that uses any of these gets `403 edition_required`.
 */
export const ADVANCED_ONLY: ReadonlyArray<{ feature: string; nodeType: IvrNodeType; option?: string }> = [
  { feature: 'IVR-12', nodeType: 'dynamicBranch' },
  { feature: 'IVR-20', nodeType: 'transfer', option: 'overflowSkillGroupId' },
  { feature: 'IVR-21', nodeType: 'transfer', option: 'preferredAgentVariable' },
  { feature: 'IVR-24', nodeType: 'survey', option: 'variable' },
  { feature: 'IVR-24', nodeType: 'survey', option: 'labelVariable' },
  { feature: 'IVR-26', nodeType: 'collect' },
  { feature: 'IVR-29', nodeType: 'http' },
  { feature: 'IVR-30', nodeType: 'condition' },
  { feature: 'IVR-31', nodeType: 'voicemail' },
];

// ───────────────────────────── graph ─────────────────────────────

/**
 * A link from a node to another: `field` names it for error messages; `sets` lists the
 * variables known to be set when the caller takes it.
 */
export interface NodeLink {
  field: string;
  target: string;
  sets?: string[];
}

/** Every outgoing link of a node. */
export function nodeLinks(n: IvrNode): NodeLink[] {
  const links: NodeLink[] = [];
  const add = (field: string, target: string | undefined, sets?: Array<string | undefined>) => {
    if (target === undefined) return;
    const s = (sets ?? []).filter((v): v is string => Boolean(v));
    links.push(s.length ? { field, target, sets: s } : { field, target });
  };
  switch (n.type) {
    case 'play':
      add('next', n.next);
      break;
    case 'menu':
      for (const o of n.options) add(`options[${o.key}]`, o.next);
      add('onFail', n.onFail);
      break;
    case 'transfer':
      add('noAgentNext', n.noAgentNext);
      add('afterAgentNext', n.afterAgentNext, ['StaffNo']);
      break;
    case 'hangup':
      break;
    case 'workingHours':
      add('inHours', n.inHours);
      add('outOfHours', n.outOfHours);
      break;
    case 'dynamicBranch':
      n.branches.forEach((b, i) => add(`branches[${i}]`, b.next));
      add('defaultNext', n.defaultNext);
      break;
    case 'condition':
      n.branches.forEach((b, i) => add(`branches[${i}]`, b.next));
      add('elseNext', n.elseNext);
      break;
    case 'collect':
      add('next', n.next, [n.variable]);
      add('onFail', n.onFail);
      break;
    case 'survey':
      add('next', n.next, [n.variable, n.labelVariable]);
      break;
    case 'externalTransfer':
      add('failNext', n.failNext);
      break;
    case 'http':
      add(
        'next',
        n.next,
        n.outputs.map((o) => o.variable),
      );
      break;
    case 'voicemail':
      add('next', n.next, [n.variable]);
      break;
  }
  return links;
}

/** Every prompt of a node, with the field it sits in. */
export function nodePrompts(n: IvrNode): Array<{ field: string; prompt: Prompt }> {
  const out: Array<{ field: string; prompt: Prompt }> = [];
  for (const [field, value] of Object.entries(n)) {
    if (value && typeof value === 'object' && 'kind' in value && promptSchema.safeParse(value).success) {
      out.push({ field, prompt: value as Prompt });
    }
  }
  return out;
}

/** Duplicate ids and links to missing nodes: what makes a graph impossible to run. */
export function structuralProblems(g: {
  start: string;
  nodes: IvrNode[];
}): Array<{ nodeId: string | null; problem: string; kind: 'duplicate_id' | 'dangling_branch'; field?: string }> {
  const out: Array<{
    nodeId: string | null;
    problem: string;
    kind: 'duplicate_id' | 'dangling_branch';
    field?: string;
  }> = [];
  const ids = new Set<string>();
  for (const n of g.nodes) {
    if (ids.has(n.id)) out.push({ nodeId: n.id, kind: 'duplicate_id', problem: `duplicate node id ${n.id}` });
    ids.add(n.id);
  }
  if (!ids.has(g.start)) {
    out.push({ nodeId: null, kind: 'dangling_branch', problem: `start points to missing node ${g.start}` });
  }
  for (const n of g.nodes) {
    for (const l of nodeLinks(n)) {
      if (!ids.has(l.target)) {
        out.push({
          nodeId: n.id,
          kind: 'dangling_branch',
          field: l.field,
          problem: `${l.field} points to missing node ${l.target}`,
        });
      }
    }
  }
  return out;
}

/** The graph's fields, without cross-node checks (the API reports those as `flow_invalid`). */
export const ivrGraphShapeSchema = z.object({
  start: nodeRef,
  /** IANA time zone of `${SystemTime}`, `${SystemDate}`, `${SystemWeekday}` (default UTC). */
  timeZone: singleLine(64, { trim: false }).optional(),
  /** Custom variables known from the start, with their initial values (A10 "Start"). */
  variables: z
    .array(z.object({ name: variableNameSchema, default: optionalLine(500).default('') }))
    .max(100)
    .optional(),
  nodes: z.array(ivrNodeSchema).min(1).max(500),
  /**
   * Where the visual editor draws each node (by node id; `__start` is the start marker). Only the
   * editor reads it: calls never depend on it, and a graph without it is laid out automatically.
   */
  layout: z
    .record(
      singleLine(64, { trim: false }),
      z.object({ x: z.number().min(-1_000_000).max(1_000_000), y: z.number().min(-1_000_000).max(1_000_000) }),
    )
    .refine((l) => Object.keys(l).length <= 501, 'at most one position per node')
    .optional(),
});

/** A runnable graph: the shape plus unique ids and no link to a missing node. */
export const ivrGraphSchema = ivrGraphShapeSchema.superRefine((g, ctx) => {
  for (const p of structuralProblems(g)) {
    const message = p.nodeId && p.kind === 'dangling_branch' ? `${p.nodeId}.${p.problem}` : p.problem;
    ctx.addIssue({ code: 'custom', message, path: ['nodes'] });
  }
});

export type IvrGraph = z.output<typeof ivrGraphSchema>;
export type IvrGraphInput = z.input<typeof ivrGraphSchema>;
