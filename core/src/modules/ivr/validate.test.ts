import { describe, expect, it } from 'vitest';
import { demoIvr } from '../../demo/call-center.js';
import { ADVANCED_ONLY, ivrGraphShapeSchema, type IvrGraph, type IvrGraphInput } from './flow-model.js';
import { advancedFeatures, validateGraph, type IvrProblem } from './validate.js';

const SG = '6f1c1d2e-8a57-4a55-9d2e-8f2d8f6c1a01';
const say = (text: string) => ({ kind: 'say' as const, text });

/** Shapes a graph the way the API does (no cross-node checks), so broken graphs get through to validation. */
function shape(g: IvrGraphInput): IvrGraph {
  return ivrGraphShapeSchema.parse(g);
}

const kinds = (ps: IvrProblem[]) => ps.map((p) => `${p.nodeId ?? '-'}:${p.kind}`);

/** A flow using every node type, valid in the advanced edition. */
const everything: IvrGraphInput = {
  start: 'hours',
  timeZone: 'Asia/Shanghai',
  variables: [{ name: 'level', default: 'normal' }],
  nodes: [
    {
      id: 'hours',
      type: 'workingHours',
      timeZone: 'Asia/Shanghai',
      schedule: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], ranges: [{ start: '09:00', end: '18:00' }] }],
      holidays: ['2025-10-01'],
      inHours: 'welcome',
      outOfHours: 'vm',
    },
    { id: 'welcome', type: 'play', prompt: say('Welcome, ${SystemCallerNumber}'), next: 'crm' },
    {
      id: 'crm',
      type: 'http',
      url: 'https://crm.example.com/ivr',
      inputs: [{ name: 'caller', value: '${SystemCallerNumber}' }],
      outputs: [{ variable: 'agentNo', default: '' }],
      next: 'vip',
    },
    {
      id: 'vip',
      type: 'condition',
      branches: [{ rules: [{ variable: 'level', operator: 'eq', value: 'vip' }], next: 'route' }],
      elseNext: 'menu',
    },
    {
      id: 'route',
      type: 'dynamicBranch',
      variable: 'agentNo',
      branches: [{ value: '', next: 'menu' }],
      defaultNext: 'sales',
    },
    {
      id: 'menu',
      type: 'menu',
      prompt: say('Sales 1, order status 2, operator 0'),
      options: [
        { key: '1', next: 'sales' },
        { key: '2', next: 'order' },
        { key: '0', next: 'out' },
      ],
      onFail: 'bye',
    },
    {
      id: 'order',
      type: 'collect',
      prompt: say('Order number, then #'),
      mode: 'terminated',
      digits: 12,
      variable: 'orderNo',
      next: 'order-said',
    },
    { id: 'order-said', type: 'play', prompt: say('Order ${orderNo}'), next: 'menu' },
    {
      id: 'sales',
      type: 'transfer',
      target: { type: 'skillGroup', skillGroupId: SG },
      waitPrompt: say('${WaitNo} ahead of you'),
      queueTimeoutSeconds: 60,
      queueTimeoutPrompt: say('Still ${WaitNo} ahead; any key to wait, # to leave'),
      connectPrompt: say('Agent ${StaffNo}'),
      preferredAgentVariable: 'agentNo',
      noAgentNext: 'vm',
      afterAgentNext: 'rate',
    },
    {
      id: 'rate',
      type: 'survey',
      prompt: say('Rate agent ${StaffNo}: 1 good, 0 bad'),
      options: [
        { key: '1', label: 'good' },
        { key: '0', label: 'bad' },
      ],
      variable: 'rating',
      next: 'bye',
    },
    { id: 'out', type: 'externalTransfer', number: '4008001234', failNext: 'vm' },
    { id: 'vm', type: 'voicemail', prompt: say('Leave a message'), next: 'bye' },
    { id: 'bye', type: 'hangup', prompt: say('Goodbye') },
  ],
};

describe('graph validation', () => {
  it('[IVR-32] a complete flow with every node type has no problems (advanced edition)', () => {
    expect(validateGraph(shape(everything), { edition: 'advanced', knownAudioIds: new Set() })).toEqual([]);
  });

  it('[IVR-33] the editor layout is kept with the graph and never changes what is valid', () => {
    const g = shape({ ...demoIvr(SG, SG), layout: { __start: { x: 0, y: 0 }, welcome: { x: 10.5, y: -20 } } });
    expect(g.layout).toEqual({ __start: { x: 0, y: 0 }, welcome: { x: 10.5, y: -20 } });
    expect(validateGraph(g, { edition: 'standard' })).toEqual([]);
    expect(ivrGraphShapeSchema.safeParse({ ...demoIvr(SG, SG), layout: { a: { x: 'left', y: 0 } } }).success).toBe(
      false,
    );
  });

  it('[IVR-33] the demo flow and flows saved before the IVR engine stay valid', () => {
    expect(validateGraph(shape(demoIvr(SG, SG)), { edition: 'standard' })).toEqual([]);
  });

  it('[IVR-07] names dangling branches and duplicate ids, with the field', () => {
    const ps = validateGraph(
      shape({
        start: 'nowhere',
        nodes: [
          { id: 'a', type: 'play', prompt: say('a'), next: 'missing' },
          { id: 'a', type: 'hangup' },
          {
            id: 'm',
            type: 'menu',
            prompt: say('m'),
            options: [{ key: '1', next: 'gone' }],
            onFail: 'a',
          },
        ],
      }),
    );
    expect(ps).toEqual(
      expect.arrayContaining([
        { nodeId: null, kind: 'dangling_branch', problem: 'start points to missing node nowhere' },
        { nodeId: 'a', kind: 'dangling_branch', field: 'next', problem: 'next points to missing node missing' },
        { nodeId: 'a', kind: 'duplicate_id', problem: 'duplicate node id a' },
        {
          nodeId: 'm',
          kind: 'dangling_branch',
          field: 'options[1]',
          problem: 'options[1] points to missing node gone',
        },
      ]),
    );
  });

  it('[IVR-33] reports nodes no path from the start reaches', () => {
    const ps = validateGraph(
      shape({
        start: 'a',
        nodes: [
          { id: 'a', type: 'hangup' },
          { id: 'island', type: 'play', prompt: say('x'), next: 'a' },
        ],
      }),
    );
    expect(ps).toEqual([
      { nodeId: 'island', kind: 'unreachable', problem: 'no path from the start reaches this node' },
    ]);
  });

  it('[IVR-03] reports audio ids that are not in the audio library, when the library is given', () => {
    const g = shape({
      start: 'a',
      nodes: [
        { id: 'a', type: 'play', prompt: { kind: 'audio', audioId: 'known' }, next: 'b' },
        { id: 'b', type: 'hangup', prompt: { kind: 'audio', audioId: 'nope' } },
      ],
    });
    expect(validateGraph(g, { knownAudioIds: new Set(['known']) })).toEqual([
      {
        nodeId: 'b',
        kind: 'unknown_audio',
        field: 'prompt',
        problem: 'prompt plays audio nope, which is not in the audio library',
      },
    ]);
    expect(validateGraph(g)).toEqual([]);
  });

  it('[IVR-13] reports transfers (and overflows) to skill groups the tenant does not have, with node and field', () => {
    const OTHER = '6f1c1d2e-8a57-4a55-9d2e-8f2d8f6c1a02';
    const g = shape({
      start: 't',
      nodes: [
        {
          id: 't',
          type: 'transfer',
          target: { type: 'skillGroup', skillGroupId: SG },
          overflowSkillGroupId: OTHER,
          noAgentNext: 'bye',
        },
        { id: 'bye', type: 'hangup' },
      ],
    });
    expect(validateGraph(g, { edition: 'advanced', knownSkillGroupIds: new Set([SG]) })).toEqual([
      {
        nodeId: 't',
        kind: 'unknown_skill_group',
        field: 'overflowSkillGroupId',
        problem: `overflowSkillGroupId names skill group ${OTHER}, which does not exist`,
      },
    ]);
    expect(kinds(validateGraph(g, { edition: 'advanced', knownSkillGroupIds: new Set() }))).toEqual([
      't:unknown_skill_group',
      't:unknown_skill_group',
    ]);
    expect(validateGraph(g, { edition: 'advanced', knownSkillGroupIds: new Set([SG, OTHER]) })).toEqual([]);
  });

  it('[IVR-28] a variable used before any node can set it is a problem; after its collection it is fine', () => {
    const g = shape({
      start: 'early',
      nodes: [
        { id: 'early', type: 'play', prompt: say('Order ${orderNo}'), next: 'ask' },
        {
          id: 'ask',
          type: 'collect',
          prompt: say('Order?'),
          mode: 'fixed',
          digits: 6,
          variable: 'orderNo',
          next: 'late',
          onFail: 'fail',
        },
        { id: 'late', type: 'hangup', prompt: say('Order ${orderNo}') },
        { id: 'fail', type: 'hangup', prompt: say('Could not read ${orderNo}') },
      ],
    });
    expect(validateGraph(g)).toEqual([
      { nodeId: 'early', kind: 'unset_variable', problem: 'prompt uses variable orderNo before any node can set it' },
      { nodeId: 'fail', kind: 'unset_variable', problem: 'prompt uses variable orderNo before any node can set it' },
    ]);
  });

  it('[IVR-30] unknown system variables, and WaitNo/StaffNo outside the prompts that know them, are problems', () => {
    const g = shape({
      start: 'c',
      nodes: [
        {
          id: 'c',
          type: 'condition',
          branches: [{ rules: [{ variable: 'SystemFoo', operator: 'notEmpty', value: '' }], next: 't' }],
          elseNext: 'bye',
        },
        {
          id: 't',
          type: 'transfer',
          target: { type: 'skillGroup', skillGroupId: SG },
          transferPrompt: say('${WaitNo} ahead'),
          waitPrompt: say('${StaffNo}'),
          afterAgentNext: 'bye',
        },
        { id: 'bye', type: 'hangup', prompt: say('Agent ${StaffNo}, ${SystemCalleeNumber}') },
      ],
    });
    expect(validateGraph(g)).toEqual([
      { nodeId: 'c', kind: 'unknown_variable', problem: 'branches[0].rules[0] uses unknown system variable SystemFoo' },
      {
        nodeId: 't',
        kind: 'unknown_variable',
        problem: "transferPrompt uses WaitNo, which is only known in a transfer's waitPrompt and queueTimeoutPrompt",
      },
      {
        nodeId: 't',
        kind: 'unset_variable',
        problem:
          "waitPrompt uses StaffNo, which is only known in a transfer's connectPrompt and after its afterAgentNext",
      },
    ]);
  });

  it('[IVR-32] loops that never wait for the caller are problems; loops through a menu are fine', () => {
    const spin = validateGraph(
      shape({
        start: 'a',
        nodes: [
          { id: 'a', type: 'play', prompt: say('a'), next: 'h' },
          {
            id: 'h',
            type: 'workingHours',
            timeZone: 'UTC',
            schedule: [],
            inHours: 'a',
            outOfHours: 'c',
          },
          {
            id: 'c',
            type: 'condition',
            branches: [{ rules: [{ variable: 'SystemTime', operator: 'lt', value: '12:00' }], next: 'c' }],
            elseNext: 'menu',
          },
          { id: 'menu', type: 'menu', prompt: say('1 again'), options: [{ key: '1', next: 'a' }], onFail: 'bye' },
          { id: 'bye', type: 'hangup' },
        ],
      }),
    );
    expect(spin).toEqual([
      {
        nodeId: 'a',
        kind: 'spin_loop',
        problem: 'nodes a, h form a loop that never waits for the caller (add a menu, collection or transfer)',
      },
      {
        nodeId: 'c',
        kind: 'spin_loop',
        problem: 'nodes c form a loop that never waits for the caller (add a menu, collection or transfer)',
      },
    ]);
  });

  it('[IVR-16] options that cannot work are problems: duplicate keys, a queue timeout without its prompt, bad time zones, reserved variables, empty ranges', () => {
    const ps = validateGraph(
      shape({
        start: 'h',
        timeZone: 'Mars/Olympus',
        variables: [{ name: 'SystemCallerNumber', default: '' }],
        nodes: [
          {
            id: 'h',
            type: 'workingHours',
            timeZone: 'Nowhere/City',
            schedule: [{ days: ['mon'], ranges: [{ start: '09:00', end: '09:00' }] }],
            inHours: 'm',
            outOfHours: 'm',
          },
          {
            id: 'm',
            type: 'menu',
            prompt: say('m'),
            options: [
              { key: '1', next: 't' },
              { key: '1', next: 'bye' },
            ],
            onFail: 'bye',
          },
          { id: 't', type: 'transfer', target: { type: 'skillGroup', skillGroupId: SG }, queueTimeoutSeconds: 30 },
          { id: 'bye', type: 'hangup' },
          {
            id: 'x',
            type: 'collect',
            prompt: say('x'),
            mode: 'fixed',
            digits: 4,
            variable: 'StaffNo',
            next: 'bye',
          },
        ],
      }),
    );
    expect(kinds(ps)).toEqual([
      '-:bad_option',
      '-:bad_option',
      'h:bad_option',
      'h:bad_option',
      'm:bad_option',
      't:bad_option',
      'x:bad_option',
      'x:unreachable',
    ]);
    expect(ps.map((p) => p.problem)).toEqual([
      'unknown time zone Mars/Olympus',
      'variable SystemCallerNumber is reserved (system or queue)',
      'unknown time zone Nowhere/City',
      'range 09:00-09:00 is empty',
      'key 1 is mapped twice',
      'queueTimeoutSeconds needs a queueTimeoutPrompt',
      'variable cannot store into the reserved variable StaffNo',
      'no path from the start reaches this node',
    ]);
  });

  it('[IVR-12] [IVR-20] [IVR-21] [IVR-24] [IVR-26] [IVR-29] [IVR-30] [IVR-31] a standard tenant is told every advanced feature it uses', () => {
    const ps = validateGraph(shape(everything), { edition: 'standard' });
    expect(ps.filter((p) => p.kind !== 'advanced_only')).toEqual([]);
    expect(ps.map((p) => `${p.nodeId}: ${p.problem}`)).toEqual([
      'crm: a http node needs the advanced edition (IVR-29)',
      'vip: a condition node needs the advanced edition (IVR-30)',
      'route: a dynamicBranch node needs the advanced edition (IVR-12)',
      'order: a collect node needs the advanced edition (IVR-26)',
      'sales: transfer.preferredAgentVariable needs the advanced edition (IVR-21)',
      'rate: survey.variable needs the advanced edition (IVR-24)',
      'vm: a voicemail node needs the advanced edition (IVR-31)',
    ]);
    expect(validateGraph(shape(everything), { edition: 'advanced' })).toEqual([]);
    expect(
      advancedFeatures(
        shape({
          start: 't',
          nodes: [
            { id: 't', type: 'transfer', target: { type: 'skillGroup', skillGroupId: SG }, overflowSkillGroupId: SG },
          ],
        }),
      ),
    ).toEqual([
      {
        nodeId: 't',
        kind: 'advanced_only',
        problem: 'transfer.overflowSkillGroupId needs the advanced edition (IVR-20)',
      },
    ]);
  });

  it('[IVR-12] [IVR-31] the edition table covers exactly the advanced-only IVR features of FEATURES.md', () => {
    expect([...new Set(ADVANCED_ONLY.map((a) => a.feature))].sort()).toEqual([
      'IVR-12',
      'IVR-20',
      'IVR-21',
      'IVR-24',
      'IVR-26',
      'IVR-29',
      'IVR-30',
      'IVR-31',
    ]);
  });

  it('[IVR-33] returns every problem at once', () => {
    const ps = validateGraph(
      shape({
        start: 'a',
        nodes: [
          { id: 'a', type: 'play', prompt: say('${who}'), next: 'b' },
          { id: 'b', type: 'play', prompt: say('b'), next: 'a' },
          { id: 'c', type: 'hangup', prompt: { kind: 'audio', audioId: 'x' } },
        ],
      }),
      { knownAudioIds: new Set() },
    );
    expect(new Set(ps.map((p) => p.kind))).toEqual(
      new Set(['unreachable', 'unknown_audio', 'unset_variable', 'spin_loop']),
    );
  });
});
