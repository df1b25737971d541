/**
 * What the visual IVR editor knows about each node type of the server's flow model
 * (`core/src/modules/ivr/flow-model.ts`): its palette entry, whether it is advanced-only, the
 * node a drop creates, its outputs (the links drawn as edges) and the fields of its side-panel
 * form, shaped like the zod schema so the server's validation paths land on a field.
 *
 * The editor keeps nodes as plain JSON objects (what the API takes); links live in the node's
 * own fields (`next`, `options[i].next`…), so an edge is never stored twice.
 */
import {
  ApiIcon,
  CallForwardedIcon,
  CallOffIcon,
  ChatBubbleHelpIcon,
  FilterIcon,
  FlowchartIcon,
  GitBranchIcon,
  KeyboardIcon,
  MicrophoneIcon,
  PlayCircleIcon,
  StarIcon,
  TimeIcon,
  UsergroupIcon,
} from 'tdesign-icons-vue-next';
import type { Component } from 'vue';

/** The node types of the flow model, in palette order. */
export const NODE_TYPES = [
  'play',
  'menu',
  'transfer',
  'survey',
  'workingHours',
  'externalTransfer',
  'hangup',
  'collect',
  'condition',
  'dynamicBranch',
  'http',
  'voicemail',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/** A node as the API stores it: `id`, `type`, `label` and the type's own fields. */
export type IvrNodeJson = { id: string; type: NodeType; label?: string } & Record<string, unknown>;

/** A graph as the API takes it. */
export interface IvrGraphJson {
  start: string;
  timeZone?: string;
  variables?: Array<{ name: string; default: string }>;
  nodes: IvrNodeJson[];
  layout?: Record<string, { x: number; y: number }>;
}

/** The id of the editor's start marker (a node of the canvas, not of the graph). */
export const START_ID = '__start';

/** System variables usable in prompts and conditions (shown on the start node). */
export const SYSTEM_VARIABLES = [
  'SystemCallerNumber',
  'SystemCalleeNumber',
  'SystemSessionId',
  'SystemTime',
  'SystemDate',
  'SystemWeekday',
  'WaitNo',
  'StaffNo',
];

/** Mirrors the server's `ADVANCED_ONLY` table (FEATURES `A`). */
export const ADVANCED_TYPES: ReadonlySet<NodeType> = new Set<NodeType>([
  'dynamicBranch',
  'collect',
  'http',
  'condition',
  'voicemail',
]);

export const NODE_ICONS: Record<NodeType, Component> = {
  play: PlayCircleIcon,
  menu: KeyboardIcon,
  transfer: UsergroupIcon,
  hangup: CallOffIcon,
  workingHours: TimeIcon,
  dynamicBranch: GitBranchIcon,
  condition: FilterIcon,
  collect: ChatBubbleHelpIcon,
  survey: StarIcon,
  externalTransfer: CallForwardedIcon,
  http: ApiIcon,
  voicemail: MicrophoneIcon,
};
export const START_ICON = FlowchartIcon;

const say = (text = '') => ({ kind: 'say', text });

/** The fields of a new node of a type (links unset: the editor shows them as open outputs). */
export function newNode(type: NodeType, id: string): IvrNodeJson {
  const base = { id, type, label: '' };
  switch (type) {
    case 'play':
      return { ...base, prompt: say(), next: '' };
    case 'menu':
      return {
        ...base,
        prompt: say(),
        options: [
          { key: '1', label: '', next: '' },
          { key: '2', label: '', next: '' },
        ],
        timeoutSeconds: 8,
        maxRetries: 2,
        onFail: '',
      };
    case 'transfer':
      return { ...base, target: { type: 'skillGroup', skillGroupId: '' }, priority: 100 };
    case 'hangup':
      return { ...base };
    case 'workingHours':
      return {
        ...base,
        schedule: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], ranges: [{ start: '09:00', end: '18:00' }] }],
        holidays: [],
        specialDays: [],
        inHours: '',
        outOfHours: '',
      };
    case 'dynamicBranch':
      return { ...base, variable: '', branches: [{ value: '', next: '' }], defaultNext: '' };
    case 'condition':
      return {
        ...base,
        branches: [{ label: '', rules: [{ variable: '', operator: 'eq', value: '' }], next: '' }],
        elseNext: '',
      };
    case 'collect':
      return {
        ...base,
        prompt: say(),
        mode: 'fixed',
        digits: 4,
        timeoutSeconds: 8,
        maxRetries: 2,
        variable: '',
        next: '',
      };
    case 'survey':
      return {
        ...base,
        prompt: say(),
        options: [
          { key: '1', label: '' },
          { key: '2', label: '' },
        ],
        timeoutSeconds: 8,
        maxRetries: 1,
      };
    case 'externalTransfer':
      return { ...base, number: '', timeoutSeconds: 30 };
    case 'http':
      return { ...base, url: '', method: 'POST', inputs: [], outputs: [], timeoutSeconds: 5, maxRetries: 1, next: '' };
    case 'voicemail':
      return { ...base, maxLengthSeconds: 120, finishOnKey: '#', beep: true };
  }
}

// ───────────────────────────── outputs ─────────────────────────────

/** One output of a node: an edge's source handle. */
export interface NodeOutput {
  /** Handle id, also the server's field name (`next`, `options[1]`, `branches[0]`…). */
  handle: string;
  /** Path of the field holding the target id. */
  path: Array<string | number>;
  /** i18n key and params of its label. */
  label: { key: string; params?: Record<string, unknown> };
  /** A link the node cannot run without (the server refuses the graph). */
  required: boolean;
}

const out = (handle: string, required: boolean, labelKey = handle): NodeOutput => ({
  handle,
  path: [handle],
  label: { key: `ivrEditor.outputs.${labelKey}` },
  required,
});

/** The outputs of a node, in drawing order. */
export function nodeOutputs(n: IvrNodeJson): NodeOutput[] {
  const list = <T>(key: string) => (Array.isArray(n[key]) ? (n[key] as T[]) : []);
  switch (n.type) {
    case 'play':
      return [out('next', true)];
    case 'menu':
      return [
        ...list<{ key: string }>('options').map((o, i) => ({
          handle: `options[${o.key}]`,
          path: ['options', i, 'next'],
          label: { key: 'ivrEditor.outputs.key', params: { key: o.key } },
          required: true,
        })),
        out('onFail', true),
      ];
    case 'transfer':
      return [out('noAgentNext', false), out('afterAgentNext', false)];
    case 'hangup':
      return [];
    case 'workingHours':
      return [out('inHours', true), out('outOfHours', true)];
    case 'dynamicBranch':
    case 'condition':
      return [
        ...list<{ value?: string; label?: string }>('branches').map((b, i) => ({
          handle: `branches[${i}]`,
          path: ['branches', i, 'next'],
          label: {
            key: 'ivrEditor.outputs.branch',
            params: { name: (n.type === 'condition' ? b.label : b.value) || String(i + 1) },
          },
          required: true,
        })),
        out(n.type === 'condition' ? 'elseNext' : 'defaultNext', true),
      ];
    case 'collect':
      return [out('next', true), out('onFail', false)];
    case 'survey':
      return [out('next', false)];
    case 'externalTransfer':
      return [out('failNext', false)];
    case 'http':
      return [out('next', true)];
    case 'voicemail':
      return [out('next', false)];
  }
}

export function getPath(obj: unknown, path: Array<string | number>): unknown {
  let cur = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

/** Sets (or, for `undefined`, removes) a field at `path`, creating objects on the way. */
export function setPath(obj: Record<string, unknown>, path: Array<string | number>, value: unknown): void {
  let cur: Record<string | number, unknown> = obj;
  for (const p of path.slice(0, -1)) {
    if (cur[p] === null || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}

/** The target of an output, or null when it is not connected. */
export function outputTarget(n: IvrNodeJson, o: NodeOutput): string | null {
  const v = getPath(n, o.path);
  return typeof v === 'string' && v !== '' ? v : null;
}

/** Connects an output (or disconnects it: a required link becomes empty, an optional one goes away). */
export function setOutput(n: IvrNodeJson, o: NodeOutput, target: string | null): void {
  setPath(n, o.path, target ?? (o.required ? '' : undefined));
}

// ───────────────────────────── forms ─────────────────────────────

/** One field of a side-panel form. */
export type FieldSpec =
  | { kind: 'text' | 'textarea' | 'variable' | 'timeZone' | 'url' | 'phone'; key: string; optional?: boolean }
  | { kind: 'number'; key: string; min: number; max: number; optional?: boolean }
  | { kind: 'bool'; key: string; optional?: boolean }
  | { kind: 'select'; key: string; options: readonly string[]; optional?: boolean; labels?: string }
  | { kind: 'prompt'; key: string; optional?: boolean }
  | { kind: 'skillGroup'; key: string; path?: string[]; optional?: boolean }
  | { kind: 'days'; key: string }
  | { kind: 'dates'; key: string }
  | { kind: 'list'; key: string; item: FieldSpec[]; newItem: () => Record<string, unknown>; min?: number };

/** Fields only the advanced edition may set (the rest of `ADVANCED_ONLY`). */
export const ADVANCED_FIELDS: Partial<Record<NodeType, readonly string[]>> = {
  transfer: ['overflowSkillGroupId', 'preferredAgentVariable'],
  survey: ['variable', 'labelVariable'],
};

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'] as const;
export const OPERATORS = [
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
  'in',
  'empty',
  'notEmpty',
] as const;
const range = (): FieldSpec => ({
  kind: 'list',
  key: 'ranges',
  item: [
    { kind: 'text', key: 'start' },
    { kind: 'text', key: 'end' },
  ],
  newItem: () => ({ start: '09:00', end: '18:00' }),
});

const retries: FieldSpec[] = [
  { kind: 'number', key: 'timeoutSeconds', min: 1, max: 60 },
  { kind: 'number', key: 'maxRetries', min: 0, max: 10 },
];

/** The form of each node type (after the common `label`). */
export const NODE_FIELDS: Record<NodeType, FieldSpec[]> = {
  play: [
    { kind: 'prompt', key: 'prompt' },
    { kind: 'number', key: 'repeat', min: 1, max: 10, optional: true },
    { kind: 'bool', key: 'bargeIn', optional: true },
  ],
  menu: [
    { kind: 'prompt', key: 'prompt' },
    {
      kind: 'list',
      key: 'options',
      min: 1,
      item: [
        { kind: 'select', key: 'key', options: KEYS },
        { kind: 'text', key: 'label' },
      ],
      newItem: () => ({ key: '3', label: '', next: '' }),
    },
    ...retries,
    { kind: 'prompt', key: 'invalidPrompt', optional: true },
    { kind: 'prompt', key: 'timeoutPrompt', optional: true },
    { kind: 'bool', key: 'bargeIn', optional: true },
  ],
  transfer: [
    { kind: 'skillGroup', key: 'skillGroupId', path: ['target', 'skillGroupId'] },
    { kind: 'number', key: 'priority', min: 0, max: 999 },
    { kind: 'prompt', key: 'transferPrompt', optional: true },
    { kind: 'prompt', key: 'waitPrompt', optional: true },
    { kind: 'prompt', key: 'holdMusic', optional: true },
    { kind: 'number', key: 'queueTimeoutSeconds', min: 10, max: 3600, optional: true },
    { kind: 'prompt', key: 'queueTimeoutPrompt', optional: true },
    { kind: 'number', key: 'queueTimeoutKeySeconds', min: 1, max: 30, optional: true },
    { kind: 'prompt', key: 'noAgentPrompt', optional: true },
    { kind: 'prompt', key: 'connectPrompt', optional: true },
    { kind: 'skillGroup', key: 'overflowSkillGroupId', optional: true },
    { kind: 'variable', key: 'preferredAgentVariable', optional: true },
  ],
  hangup: [{ kind: 'prompt', key: 'prompt', optional: true }],
  workingHours: [
    { kind: 'timeZone', key: 'timeZone', optional: true },
    {
      kind: 'list',
      key: 'schedule',
      item: [{ kind: 'days', key: 'days' }, range()],
      newItem: () => ({ days: ['sat', 'sun'], ranges: [{ start: '10:00', end: '16:00' }] }),
    },
    { kind: 'dates', key: 'holidays' },
    {
      kind: 'list',
      key: 'specialDays',
      item: [{ kind: 'text', key: 'date' }, range()],
      newItem: () => ({ date: '', ranges: [] }),
    },
  ],
  dynamicBranch: [
    { kind: 'variable', key: 'variable' },
    {
      kind: 'list',
      key: 'branches',
      min: 1,
      item: [{ kind: 'text', key: 'value' }],
      newItem: () => ({ value: '', next: '' }),
    },
  ],
  condition: [
    {
      kind: 'list',
      key: 'branches',
      min: 1,
      item: [
        { kind: 'text', key: 'label' },
        {
          kind: 'list',
          key: 'rules',
          min: 1,
          item: [
            { kind: 'variable', key: 'variable' },
            { kind: 'select', key: 'operator', options: OPERATORS, labels: 'ivrEditor.operators' },
            { kind: 'text', key: 'value' },
          ],
          newItem: () => ({ variable: '', operator: 'eq', value: '' }),
        },
      ],
      newItem: () => ({ label: '', rules: [{ variable: '', operator: 'eq', value: '' }], next: '' }),
    },
  ],
  collect: [
    { kind: 'prompt', key: 'prompt' },
    { kind: 'select', key: 'mode', options: ['fixed', 'terminated'], labels: 'ivrEditor.modes' },
    { kind: 'number', key: 'digits', min: 1, max: 32 },
    ...retries,
    { kind: 'prompt', key: 'timeoutPrompt', optional: true },
    { kind: 'prompt', key: 'failPrompt', optional: true },
    { kind: 'variable', key: 'variable' },
    { kind: 'bool', key: 'bargeIn', optional: true },
  ],
  survey: [
    { kind: 'prompt', key: 'prompt' },
    {
      kind: 'list',
      key: 'options',
      min: 1,
      item: [
        { kind: 'select', key: 'key', options: KEYS },
        { kind: 'text', key: 'label' },
      ],
      newItem: () => ({ key: '3', label: '' }),
    },
    ...retries,
    { kind: 'prompt', key: 'invalidPrompt', optional: true },
    { kind: 'prompt', key: 'timeoutPrompt', optional: true },
    { kind: 'prompt', key: 'thanksPrompt', optional: true },
    { kind: 'variable', key: 'variable', optional: true },
    { kind: 'variable', key: 'labelVariable', optional: true },
  ],
  externalTransfer: [
    { kind: 'phone', key: 'number' },
    { kind: 'phone', key: 'callerId', optional: true },
    { kind: 'prompt', key: 'ringingPrompt', optional: true },
    { kind: 'number', key: 'timeoutSeconds', min: 5, max: 120 },
    { kind: 'prompt', key: 'failPrompt', optional: true },
  ],
  http: [
    { kind: 'url', key: 'url' },
    { kind: 'select', key: 'method', options: ['POST', 'GET'] },
    {
      kind: 'list',
      key: 'inputs',
      item: [
        { kind: 'text', key: 'name' },
        { kind: 'text', key: 'value' },
      ],
      newItem: () => ({ name: '', value: '' }),
    },
    {
      kind: 'list',
      key: 'outputs',
      item: [
        { kind: 'variable', key: 'variable' },
        { kind: 'text', key: 'field', optional: true },
        { kind: 'text', key: 'default' },
      ],
      newItem: () => ({ variable: '', default: '' }),
    },
    { kind: 'number', key: 'timeoutSeconds', min: 1, max: 30 },
    { kind: 'number', key: 'maxRetries', min: 0, max: 5 },
  ],
  voicemail: [
    { kind: 'prompt', key: 'prompt', optional: true },
    { kind: 'number', key: 'maxLengthSeconds', min: 5, max: 600 },
    { kind: 'select', key: 'finishOnKey', options: KEYS },
    { kind: 'bool', key: 'beep' },
    { kind: 'prompt', key: 'thanksPrompt', optional: true },
    { kind: 'variable', key: 'variable', optional: true },
  ],
};

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A short line of what a node does, for its card on the canvas. */
export function nodeSummary(n: IvrNodeJson): { text: string; kind: 'say' | 'audio' | 'play' | 'plain' } | null {
  const p = n.prompt as { kind?: string; text?: string; audioId?: string; url?: string } | undefined;
  if (p?.kind === 'say' && p.text) return { text: p.text, kind: 'say' };
  if (p?.kind === 'audio') return { text: p.audioId ?? '', kind: 'audio' };
  if (p?.kind === 'play') return { text: p.url ?? '', kind: 'play' };
  if (n.type === 'externalTransfer' && typeof n.number === 'string') return { text: n.number, kind: 'plain' };
  if (n.type === 'http' && typeof n.url === 'string') return { text: n.url, kind: 'plain' };
  if ((n.type === 'collect' || n.type === 'dynamicBranch') && typeof n.variable === 'string' && n.variable) {
    return { text: `\${${n.variable}}`, kind: 'plain' };
  }
  return null;
}
