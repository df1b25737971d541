/**
 * The interpreter, node type by node type and option by option (FEATURES IVR-01 … IVR-32).
 * Pure: no telephony, no database, the clock comes from the context.
 */
import { describe, expect, it } from 'vitest';
import { isWithinWorkingHours, localTime } from './clock.js';
import { ivrGraphSchema, type IvrGraph, type IvrGraphInput } from './flow-model.js';
import { resumeAt, startIvr, stepIvr, type IvrContext, type IvrState } from './interpreter.js';

const SG = '6f1c1d2e-8a57-4a55-9d2e-8f2d8f6c1a01';
const SG2 = '6f1c1d2e-8a57-4a55-9d2e-8f2d8f6c1a02';
const say = (text: string) => ({ kind: 'say' as const, text });
const bye = { id: 'bye', type: 'hangup' as const, prompt: say('Bye') };

function graph(nodes: IvrGraphInput['nodes'], extra: Partial<IvrGraphInput> = {}): IvrGraph {
  return ivrGraphSchema.parse({ start: nodes[0]!.id, nodes, ...extra });
}

const digits = (step: string, d: string) => ({ type: 'digits' as const, step, digits: d, timedOut: false });
const timeout = (step: string) => ({ type: 'digits' as const, step, digits: '', timedOut: true });

// ───────────────────────────── IVR-01 working hours ─────────────────────────────

describe('working hours', () => {
  const wh = (extra: Record<string, unknown> = {}) =>
    graph([
      {
        id: 'hours',
        type: 'workingHours',
        timeZone: 'Asia/Shanghai',
        schedule: [
          { days: ['mon', 'tue', 'wed', 'thu', 'fri'], ranges: [{ start: '09:00', end: '18:00' }] },
          { days: ['mon'], ranges: [{ start: '22:00', end: '06:00' }] },
        ],
        holidays: ['2025-03-10'],
        specialDays: [
          { date: '2025-03-08', ranges: [{ start: '10:00', end: '12:00' }] },
          { date: '2025-03-05', ranges: [] },
        ],
        inHours: 'open',
        outOfHours: 'closed',
        ...extra,
      },
      { id: 'open', type: 'hangup', prompt: say('open') },
      { id: 'closed', type: 'hangup', prompt: say('closed') },
    ]);
  /** The branch taken at a UTC instant. */
  const branch = (iso: string, g = wh()) => {
    const s = startIvr(g, { now: new Date(iso) });
    return (s.effects.find((e) => e.type === 'prompt') as { prompt: { text: string } }).prompt.text;
  };

  it('[IVR-01] a node without a time zone reads its schedule in the flow’s, else the tenant’s, else UTC', () => {
    const at = (g: IvrGraph, ctx: IvrContext) => {
      const s = startIvr(g, { now: new Date('2025-03-03T01:00:00Z'), ...ctx }); // Monday 09:00 in Shanghai
      return (s.effects.find((e) => e.type === 'prompt') as { prompt: { text: string } }).prompt.text;
    };
    const bare = wh({ timeZone: undefined });
    expect((bare.nodes[0] as { timeZone?: string }).timeZone).toBeUndefined();
    expect(at(bare, { timeZone: 'Asia/Shanghai' })).toBe('open'); // the tenant's zone
    expect(at(bare, {})).toBe('closed'); // 01:00 in UTC
    const flowZone = ivrGraphSchema.parse({ ...bare, timeZone: 'Asia/Shanghai' });
    expect(at(flowZone, { timeZone: 'Europe/London' })).toBe('open'); // the flow's zone first
    expect(at(wh(), { timeZone: 'Europe/London' })).toBe('open'); // the node's own zone first
  });

  it('[IVR-01] takes the in-hours branch inside a range and the other outside, in the node’s time zone', () => {
    // Monday 2025-03-03 in Shanghai (UTC+8): 09:00 local = 01:00Z.
    expect(branch('2025-03-03T01:00:00Z')).toBe('open');
    expect(branch('2025-03-03T00:59:00Z')).toBe('closed'); // 08:59 local
    expect(branch('2025-03-03T09:59:00Z')).toBe('open'); // 17:59 local
    expect(branch('2025-03-03T10:00:00Z')).toBe('closed'); // 18:00 local: the end is excluded
    // Saturday 2025-03-01 10:00 local: no weekly range on Saturdays.
    expect(branch('2025-03-01T02:00:00Z')).toBe('closed');
  });

  it('[IVR-01] computes the local day in the time zone, not in UTC', () => {
    // 2025-03-02T17:30Z is Sunday in UTC but Monday 01:30 in Shanghai: not in 09–18, and the
    // Monday night range only starts at 22:00 (Sunday has none to spill over).
    expect(localTime(new Date('2025-03-02T17:30:00Z'), 'Asia/Shanghai')).toEqual({
      date: '2025-03-03',
      weekday: 'mon',
      minutes: 90,
    });
    expect(branch('2025-03-02T17:30:00Z')).toBe('closed');
    // The same instant in New York is Sunday 12:30 — a schedule there says closed too, but
    // 09:00 New York on a Monday (EST, UTC-5) is open.
    const ny = wh({ timeZone: 'America/New_York' });
    expect(branch('2025-03-03T14:00:00Z', ny)).toBe('open');
    expect(branch('2025-03-03T13:59:00Z', ny)).toBe('closed');
  });

  it('[IVR-01] follows daylight saving time of the zone', () => {
    const ny = wh({ timeZone: 'America/New_York' });
    // Tuesday 2025-03-04, EST (UTC-5): 09:00 local = 14:00Z.
    expect(branch('2025-03-04T14:00:00Z', ny)).toBe('open');
    expect(branch('2025-03-04T13:00:00Z', ny)).toBe('closed');
    // Tuesday 2025-03-11, after the switch to EDT (UTC-4): 09:00 local = 13:00Z.
    expect(branch('2025-03-11T13:00:00Z', ny)).toBe('open');
    expect(branch('2025-03-11T12:59:00Z', ny)).toBe('closed');
  });

  it('[IVR-01] a range ending before it starts runs across midnight into the next day', () => {
    expect(branch('2025-03-03T13:59:00Z')).toBe('closed'); // Mon 21:59
    expect(branch('2025-03-03T14:00:00Z')).toBe('open'); // Mon 22:00
    expect(branch('2025-03-03T16:00:00Z')).toBe('open'); // Tue 00:00
    expect(branch('2025-03-03T21:59:00Z')).toBe('open'); // Tue 05:59
    expect(branch('2025-03-03T22:00:00Z')).toBe('closed'); // Tue 06:00
    // Sunday night has no range, so Monday 03:00 is closed.
    expect(branch('2025-03-02T19:00:00Z')).toBe('closed');
  });

  it('[IVR-01] a holiday is closed all day, including the overnight range that starts on it', () => {
    // Monday 2025-03-10 is a holiday: 10:00 closed, and its 22:00–06:00 range does not open.
    expect(branch('2025-03-10T02:00:00Z')).toBe('closed');
    expect(branch('2025-03-10T15:00:00Z')).toBe('closed'); // Mon 23:00
    expect(branch('2025-03-10T19:00:00Z')).toBe('closed'); // Tue 03:00, the holiday's night
    expect(branch('2025-03-11T02:00:00Z')).toBe('open'); // Tue 10:00, back to normal
  });

  it('[IVR-01] special days replace the weekly ranges: a make-up Saturday opens, a listed weekday closes', () => {
    expect(branch('2025-03-08T02:30:00Z')).toBe('open'); // Sat 10:30
    expect(branch('2025-03-08T04:00:00Z')).toBe('closed'); // Sat 12:00
    expect(branch('2025-03-05T02:00:00Z')).toBe('closed'); // Wed 10:00, closed that day
  });

  it('[IVR-01] a full day is 00:00–24:00', () => {
    const always = {
      timeZone: 'UTC',
      schedule: [{ days: ['sun' as const], ranges: [{ start: '00:00', end: '24:00' }] }],
      holidays: [],
      specialDays: [],
    };
    expect(isWithinWorkingHours(always, new Date('2025-03-02T00:00:00Z'))).toBe(true);
    expect(isWithinWorkingHours(always, new Date('2025-03-02T23:59:59Z'))).toBe(true);
    expect(isWithinWorkingHours(always, new Date('2025-03-03T00:00:00Z'))).toBe(false);
  });
});

// ───────────────────────────── IVR-02…05 play ─────────────────────────────

describe('play', () => {
  const ctx: IvrContext = {
    system: { SystemCallerNumber: '13900001111', SystemSessionId: 'sess-1' },
    variables: { customerName: 'Ms Li' },
  };

  it('[IVR-02] speaks text with system and custom ${variables} filled in; unknown ones become empty', () => {
    const g = graph(
      [
        {
          id: 'hi',
          type: 'play',
          prompt: say('Hello ${customerName}, calling from ${SystemCallerNumber}${Nobody}, session ${SystemSessionId}'),
          next: 'bye',
        },
        bye,
      ],
      { variables: [{ name: 'customerName', default: 'customer' }] },
    );
    expect(startIvr(g, ctx).effects[0]).toEqual({
      type: 'prompt',
      prompt: say('Hello Ms Li, calling from 13900001111, session sess-1'),
    });
    // Without a value from outside, the declared default is used.
    expect(startIvr(g, { system: ctx.system! }).effects[0]).toMatchObject({ prompt: { text: /^Hello customer,/ } });
  });

  it('[IVR-02] derives ${SystemTime}, ${SystemDate} and ${SystemWeekday} from the clock in the graph’s time zone', () => {
    const g = graph(
      [{ id: 'hi', type: 'play', prompt: say('${SystemDate} ${SystemTime} day ${SystemWeekday}'), next: 'bye' }, bye],
      { timeZone: 'Asia/Shanghai' },
    );
    expect(startIvr(g, { now: new Date('2025-03-02T17:30:00Z') }).effects[0]).toMatchObject({
      prompt: { text: '2025-03-03 01:30 day 1' },
    });
  });

  it('[IVR-03] plays a file of the audio library as it is (the call path resolves the id)', () => {
    const g = graph([{ id: 'hi', type: 'play', prompt: { kind: 'audio', audioId: 'a-1' }, next: 'bye' }, bye]);
    expect(startIvr(g).effects[0]).toEqual({ type: 'prompt', prompt: { kind: 'audio', audioId: 'a-1' } });
  });

  const beforeMenu = (bargeIn: boolean | undefined, repeat?: number) =>
    graph([
      {
        id: 'hi',
        type: 'play',
        prompt: say('Welcome'),
        next: 'menu',
        ...(bargeIn === undefined ? {} : { bargeIn }),
        ...(repeat ? { repeat } : {}),
      },
      { id: 'menu', type: 'menu', prompt: say('Press 1'), options: [{ key: '1', next: 'bye' }], onFail: 'bye' },
      bye,
    ]);

  it('[IVR-04] an interruptible prompt plays inside the next key collection, so a key cuts it short', () => {
    for (const g of [beforeMenu(undefined), beforeMenu(true)]) {
      expect(startIvr(g).effects).toEqual([
        { type: 'collect', step: 'menu', prompts: [say('Welcome'), say('Press 1')], numDigits: 1, timeoutSeconds: 8 },
      ]);
    }
  });

  it('[IVR-04] a prompt that cannot be interrupted plays on its own first', () => {
    expect(startIvr(beforeMenu(false)).effects).toEqual([
      { type: 'prompt', prompt: say('Welcome') },
      { type: 'collect', step: 'menu', prompts: [say('Press 1')], numDigits: 1, timeoutSeconds: 8 },
    ]);
  });

  it('[IVR-04] a menu or collection prompt that cannot be interrupted plays first, then the keys are listened for', () => {
    const g = graph([
      { id: 'hi', type: 'play', prompt: say('Welcome'), next: 'menu' },
      {
        id: 'menu',
        type: 'menu',
        prompt: say('Press 1'),
        bargeIn: false,
        options: [{ key: '1', next: 'bye' }],
        onFail: 'bye',
      },
      bye,
    ]);
    expect(startIvr(g).effects).toEqual([
      { type: 'prompt', prompt: say('Welcome') },
      { type: 'prompt', prompt: say('Press 1') },
      { type: 'collect', step: 'menu', prompts: [], numDigits: 1, timeoutSeconds: 8 },
    ]);
  });

  it('[IVR-05] repeats a prompt the set number of times', () => {
    const g = graph([{ id: 'hi', type: 'play', prompt: say('Notice'), repeat: 3, next: 'bye' }, bye]);
    expect(startIvr(g).effects).toEqual([
      { type: 'prompt', prompt: say('Notice') },
      { type: 'prompt', prompt: say('Notice') },
      { type: 'prompt', prompt: say('Notice') },
      { type: 'prompt', prompt: say('Bye') },
      { type: 'hangup' },
    ]);
    expect(startIvr(beforeMenu(false, 2)).effects.slice(0, 2)).toEqual([
      { type: 'prompt', prompt: say('Welcome') },
      { type: 'prompt', prompt: say('Welcome') },
    ]);
  });
});

// ───────────────────────────── IVR-06…11 menu ─────────────────────────────

describe('menu', () => {
  const g = graph([
    {
      id: 'menu',
      type: 'menu',
      label: 'Main',
      prompt: say('Presales 1, after-sales 2, * to repeat'),
      options: [
        { key: '1', label: 'Presales', next: 'bye' },
        { key: '2', label: 'After-sales', next: 'bye' },
        { key: '*', label: 'Repeat', next: 'menu' },
      ],
      timeoutSeconds: 6,
      maxRetries: 2,
      invalidPrompt: say('Wrong key'),
      timeoutPrompt: say('Too slow'),
      onFail: 'fail',
    },
    bye,
    { id: 'fail', type: 'hangup', prompt: say('Too many errors') },
  ]);

  it('[IVR-06] [IVR-08] asks with the menu prompt and the key timeout', () => {
    expect(startIvr(g).effects).toEqual([
      {
        type: 'collect',
        step: 'menu',
        prompts: [say('Presales 1, after-sales 2, * to repeat')],
        numDigits: 1,
        timeoutSeconds: 6,
      },
    ]);
  });

  it('[IVR-07] maps each key to its branch and records it; * may lead back to the menu', () => {
    const two = stepIvr(g, { node: 'menu', retries: 0 }, digits('menu', '2'));
    expect(two.effects[0]).toEqual({ type: 'keyPressed', key: '2', label: 'After-sales', nodeLabel: 'Main' });
    expect(two.state).toBeNull();
    const star = stepIvr(g, { node: 'menu', retries: 1 }, digits('menu', '*'));
    expect(star.state).toEqual({ node: 'menu', retries: 0 });
    expect(star.effects[1]).toMatchObject({ type: 'collect', step: 'menu' });
  });

  it('[IVR-09] plays the timeout prompt after no key, then asks again', () => {
    const s = stepIvr(g, { node: 'menu', retries: 0 }, timeout('menu'));
    expect(s.state).toEqual({ node: 'menu', retries: 1 });
    expect(s.effects).toEqual([
      {
        type: 'collect',
        step: 'menu',
        prompts: [say('Too slow'), say('Presales 1, after-sales 2, * to repeat')],
        numDigits: 1,
        timeoutSeconds: 6,
      },
    ]);
  });

  it('[IVR-10] plays the invalid-key prompt after a wrong key', () => {
    const s = stepIvr(g, { node: 'menu', retries: 0 }, digits('menu', '9'));
    expect(s.effects[0]).toMatchObject({ prompts: [say('Wrong key'), expect.anything()] });
  });

  it('[IVR-11] takes the fail branch (hang-up) after maxRetries + 1 errors, mixing timeouts and wrong keys', () => {
    let state: IvrState = startIvr(g).state!;
    state = stepIvr(g, state, digits('menu', '7')).state!;
    state = stepIvr(g, state, timeout('menu')).state!;
    expect(state).toEqual({ node: 'menu', retries: 2 });
    const last = stepIvr(g, state, digits('menu', '8'));
    expect(last).toEqual({
      state: null,
      effects: [{ type: 'prompt', prompt: say('Too many errors') }, { type: 'hangup' }],
    });
  });
});

// ───────────────────────────── IVR-12 dynamic branch ─────────────────────────────

describe('dynamic branch', () => {
  const g = graph(
    [
      {
        id: 'route',
        type: 'dynamicBranch',
        variable: 'level',
        branches: [
          { value: 'vip', next: 'vip' },
          { value: 'normal', next: 'normal' },
        ],
        defaultNext: 'other',
      },
      { id: 'vip', type: 'hangup', prompt: say('vip') },
      { id: 'normal', type: 'hangup', prompt: say('normal') },
      { id: 'other', type: 'hangup', prompt: say('other') },
    ],
    { variables: [{ name: 'level', default: '' }] },
  );
  const taken = (level?: string) =>
    (startIvr(g, level === undefined ? {} : { variables: { level } }).effects[0] as { prompt: { text: string } }).prompt
      .text;

  it('[IVR-12] branches on the value of a variable at run time, with a default branch', () => {
    expect(taken('vip')).toBe('vip');
    expect(taken('normal')).toBe('normal');
    expect(taken('gold')).toBe('other');
    expect(taken()).toBe('other');
  });
});

// ───────────────────────────── IVR-13…21 transfer ─────────────────────────────

describe('transfer to a skill group', () => {
  const g = graph(
    [
      {
        id: 'lookup',
        type: 'http',
        url: 'https://crm.example.com/agent',
        outputs: [{ variable: 'myAgent' }],
        next: 'to-sales',
      },
      {
        id: 'to-sales',
        type: 'transfer',
        label: 'Sales',
        target: { type: 'skillGroup', skillGroupId: SG },
        priority: 5,
        transferPrompt: say('Connecting you, please wait'),
        waitPrompt: say('You are number ${WaitNo} in line'),
        holdMusic: { kind: 'play', url: 'https://cdn.example.com/moh.mp3' },
        queueTimeoutSeconds: 120,
        queueTimeoutPrompt: say('Still busy. Any key to wait, # to leave'),
        noAgentPrompt: say('Nobody is online'),
        noAgentNext: 'vm',
        connectPrompt: say('Agent ${StaffNo} will serve you'),
        overflowSkillGroupId: SG2,
        preferredAgentVariable: 'myAgent',
        afterAgentNext: 'rate',
      },
      { id: 'vm', type: 'hangup', prompt: say('Call back later') },
      {
        id: 'rate',
        type: 'survey',
        prompt: say('Agent ${StaffNo}: satisfied press 1, not press 0'),
        options: [
          { key: '1', label: 'satisfied' },
          { key: '0', label: 'unsatisfied' },
        ],
      },
    ],
    {},
  );
  /** Through the HTTP node (the API names agent 1005) into the queue. */
  const queued = () =>
    stepIvr(g, startIvr(g).state!, { type: 'httpResult', nodeId: 'lookup', ok: true, output: { myAgent: '1005' } });

  it('[IVR-13] [IVR-14] plays the transferring prompt, then queues for the group and parks at the node', () => {
    const s = queued();
    expect(s.effects.slice(1)).toEqual([
      { type: 'prompt', prompt: say('Connecting you, please wait') },
      {
        type: 'transfer',
        skillGroupId: SG,
        priority: 5,
        nodeId: 'to-sales',
        noAgentNext: 'vm',
        queueTimeoutSeconds: 120,
        overflowSkillGroupId: SG2,
        preferredAgent: '1005',
        afterAgentNext: 'rate',
      },
    ]);
    expect(s.state).toEqual({ node: 'to-sales', retries: 0, wait: 'queue', vars: { myAgent: '1005' } });
  });

  it('[IVR-20] [IVR-21] hands the overflow group and the API-named agent to the ACD', () => {
    const t = queued().effects.find((e) => e.type === 'transfer');
    expect(t).toMatchObject({ overflowSkillGroupId: SG2, preferredAgent: '1005' });
    // No agent named (empty output): no preference.
    const none = stepIvr(g, startIvr(g).state!, { type: 'httpResult', nodeId: 'lookup', ok: true, output: {} });
    expect(none.effects.find((e) => e.type === 'transfer')).not.toHaveProperty('preferredAgent');
  });

  it('[IVR-15] every queue round plays the wait prompt with ${WaitNo}, then the queue music', () => {
    const state = queued().state!;
    const round = stepIvr(g, state, { type: 'queueWait', nodeId: 'to-sales', waitNo: 3 });
    expect(round).toEqual({
      state,
      effects: [
        { type: 'prompt', prompt: say('You are number 3 in line') },
        { type: 'prompt', prompt: { kind: 'play', url: 'https://cdn.example.com/moh.mp3' } },
      ],
    });
  });

  it('[IVR-16] [IVR-17] after the queue timeout asks with the timeout prompt; any key keeps waiting', () => {
    const asked = stepIvr(g, queued().state!, { type: 'queueTimeout', nodeId: 'to-sales' });
    expect(asked.effects).toEqual([
      {
        type: 'collect',
        step: 'to-sales',
        prompts: [say('Still busy. Any key to wait, # to leave')],
        numDigits: 1,
        timeoutSeconds: 5,
        purpose: 'queueTimeout',
      },
    ]);
    expect(asked.state).toMatchObject({ node: 'to-sales', wait: 'queueTimeout' });
    for (const answer of [digits('to-sales', '5'), timeout('to-sales')]) {
      const kept = stepIvr(g, asked.state!, answer);
      expect(kept.effects).toEqual([{ type: 'keepQueue', nodeId: 'to-sales', queueTimeoutSeconds: 120 }]);
      expect(kept.state).toMatchObject({ node: 'to-sales', wait: 'queue' });
    }
  });

  it('[IVR-16] # at the queue-timeout prompt leaves the queue and hangs up', () => {
    const asked = stepIvr(g, queued().state!, { type: 'queueTimeout', nodeId: 'to-sales' });
    expect(stepIvr(g, asked.state!, digits('to-sales', '#'))).toEqual({
      state: null,
      effects: [{ type: 'leaveQueue', nodeId: 'to-sales' }, { type: 'hangup' }],
    });
  });

  it('[IVR-16] a queue timeout means nothing on a transfer without one', () => {
    const plain = graph([{ id: 't', type: 'transfer', target: { type: 'skillGroup', skillGroupId: SG } }]);
    const state = startIvr(plain).state!;
    expect(stepIvr(plain, state, { type: 'queueTimeout', nodeId: 't' })).toEqual({ state, effects: [] });
  });

  it('[IVR-18] nobody online: plays the no-agent prompt, then the no-agent branch (or hangs up without one)', () => {
    expect(stepIvr(g, queued().state!, { type: 'noAgent', nodeId: 'to-sales' })).toEqual({
      state: null,
      effects: [
        { type: 'prompt', prompt: say('Nobody is online') },
        { type: 'prompt', prompt: say('Call back later') },
        { type: 'hangup' },
      ],
    });
    const plain = graph([
      {
        id: 't',
        type: 'transfer',
        target: { type: 'skillGroup', skillGroupId: SG },
        noAgentPrompt: say('Nobody here'),
      },
    ]);
    expect(stepIvr(plain, startIvr(plain).state!, { type: 'noAgent', nodeId: 't' }).effects).toEqual([
      { type: 'prompt', prompt: say('Nobody here') },
      { type: 'hangup' },
    ]);
  });

  it('[IVR-19] on connect, plays the connect prompt with the agent’s ${StaffNo} to the caller', () => {
    const s = stepIvr(g, queued().state!, { type: 'agentConnected', nodeId: 'to-sales', staffNo: '1005' });
    expect(s.effects).toEqual([{ type: 'prompt', prompt: say('Agent 1005 will serve you') }]);
    expect(s.state).toEqual({
      node: 'to-sales',
      retries: 0,
      wait: 'agent',
      vars: { myAgent: '1005', StaffNo: '1005' },
    });
  });

  it('[IVR-22] when the agent hangs up first, the caller goes on to the survey (StaffNo still known)', () => {
    const talking = stepIvr(g, queued().state!, { type: 'agentConnected', nodeId: 'to-sales', staffNo: '1005' });
    const s = stepIvr(g, talking.state!, { type: 'agentHungUp', nodeId: 'to-sales' });
    expect(s.effects).toEqual([
      {
        type: 'collect',
        step: 'rate',
        prompts: [say('Agent 1005: satisfied press 1, not press 0')],
        numDigits: 1,
        timeoutSeconds: 8,
        purpose: 'survey',
      },
    ]);
    expect(s.state).toMatchObject({ node: 'rate', retries: 0 });
    // Without afterAgentNext the flow is over.
    const plain = graph([{ id: 't', type: 'transfer', target: { type: 'skillGroup', skillGroupId: SG } }]);
    const on = stepIvr(plain, startIvr(plain).state!, { type: 'agentConnected', nodeId: 't', staffNo: '1' });
    expect(stepIvr(plain, on.state!, { type: 'agentHungUp', nodeId: 't' })).toEqual({
      state: null,
      effects: [{ type: 'hangup' }],
    });
  });

  it('[IVR-13] queue events for another node, or that the node does not wait for, change nothing', () => {
    const state = queued().state!;
    for (const e of [
      { type: 'queueWait' as const, nodeId: 'other', waitNo: 1 },
      { type: 'agentHungUp' as const, nodeId: 'to-sales' },
      { type: 'httpResult' as const, nodeId: 'to-sales', ok: true },
      digits('to-sales', '1'),
    ]) {
      expect(stepIvr(g, state, e)).toEqual({ state, effects: [] });
    }
  });
});

// ───────────────────────────── IVR-22…24 survey ─────────────────────────────

describe('satisfaction survey', () => {
  const g = graph([
    {
      id: 'rate',
      type: 'survey',
      prompt: say('Satisfied press 1, not satisfied press 0'),
      options: [
        { key: '1', label: 'satisfied' },
        { key: '0', label: 'unsatisfied' },
      ],
      maxRetries: 1,
      invalidPrompt: say('Please press 1 or 0'),
      timeoutPrompt: say('We did not hear you'),
      thanksPrompt: say('Thank you'),
      variable: 'rating',
      labelVariable: 'ratingLabel',
      next: 'bye',
    },
    { id: 'bye', type: 'hangup', prompt: say('You rated ${ratingLabel}') },
  ]);

  it('[IVR-22] asks with the survey prompt', () => {
    expect(startIvr(g).effects[0]).toMatchObject({
      type: 'collect',
      purpose: 'survey',
      prompts: [say('Satisfied press 1, not satisfied press 0')],
    });
  });

  it('[IVR-23] [IVR-24] maps the key to its label, reports it, stores both in variables and thanks the caller', () => {
    const s = stepIvr(g, startIvr(g).state!, digits('rate', '0'));
    expect(s).toEqual({
      state: null,
      effects: [
        { type: 'surveyResult', nodeId: 'rate', key: '0', label: 'unsatisfied' },
        { type: 'setVariable', nodeId: 'rate', name: 'rating', value: '0' },
        { type: 'setVariable', nodeId: 'rate', name: 'ratingLabel', value: 'unsatisfied' },
        { type: 'prompt', prompt: say('Thank you') },
        { type: 'prompt', prompt: say('You rated unsatisfied') },
        { type: 'hangup' },
      ],
    });
  });

  it('[IVR-23] a wrong key asks again; after the last try the flow goes on without a rating', () => {
    const again = stepIvr(g, startIvr(g).state!, digits('rate', '5'));
    expect(again.effects[0]).toMatchObject({ prompts: [say('Please press 1 or 0'), expect.anything()] });
    const gone = stepIvr(g, again.state!, timeout('rate'));
    expect(gone.effects.some((e) => e.type === 'surveyResult')).toBe(false);
    expect(gone.effects.at(-1)).toEqual({ type: 'hangup' });
  });
});

// ───────────────────────────── IVR-25 external transfer ─────────────────────────────

describe('external transfer', () => {
  const g = graph(
    [
      {
        id: 'out',
        type: 'externalTransfer',
        number: '${partnerNumber}',
        callerId: '4001000000',
        ringingPrompt: { kind: 'play', url: 'https://cdn.example.com/ring.mp3' },
        timeoutSeconds: 25,
        failPrompt: say('The line is busy'),
        failNext: 'bye',
      },
      bye,
    ],
    { variables: [{ name: 'partnerNumber', default: '' }] },
  );

  it('[IVR-25] dials the external number with the ringing prompt', () => {
    const s = startIvr(g, { variables: { partnerNumber: '+8613900002222' } });
    expect(s.effects).toEqual([
      {
        type: 'externalTransfer',
        nodeId: 'out',
        number: '+8613900002222',
        callerId: '4001000000',
        ringingPrompt: { kind: 'play', url: 'https://cdn.example.com/ring.mp3' },
        timeoutSeconds: 25,
      },
    ]);
    expect(s.state).toMatchObject({ node: 'out', wait: 'external' });
  });

  it('[IVR-25] no answer, or no usable number: the fail prompt and the fail branch', () => {
    const s = startIvr(g, { variables: { partnerNumber: '+8613900002222' } });
    const failed = [
      { type: 'prompt', prompt: say('The line is busy') },
      { type: 'prompt', prompt: say('Bye') },
      { type: 'hangup' },
    ];
    expect(stepIvr(g, s.state!, { type: 'externalFailed', nodeId: 'out' })).toEqual({ state: null, effects: failed });
    expect(startIvr(g)).toEqual({ state: null, effects: failed });
  });
});

// ───────────────────────────── IVR-26…28 digit collection ─────────────────────────────

describe('digit collection', () => {
  const collect = (mode: 'fixed' | 'terminated', extra: Record<string, unknown> = {}) =>
    graph([
      {
        id: 'ask',
        type: 'collect',
        prompt: say('Enter your order number, then #'),
        mode,
        digits: mode === 'fixed' ? 6 : 10,
        timeoutSeconds: 7,
        timeoutPrompt: say('Time is up'),
        failPrompt: say('That number is not valid'),
        maxRetries: 1,
        variable: 'orderNo',
        next: 'confirm',
        ...extra,
      },
      { id: 'confirm', type: 'hangup', prompt: say('Order ${orderNo} noted') },
    ]);

  it('[IVR-26] fixed length asks for exactly N digits; terminated asks up to N ended by #', () => {
    expect(startIvr(collect('fixed')).effects).toEqual([
      {
        type: 'collect',
        step: 'ask',
        prompts: [say('Enter your order number, then #')],
        numDigits: 6,
        timeoutSeconds: 7,
        purpose: 'digits',
      },
    ]);
    expect(startIvr(collect('terminated')).effects[0]).toMatchObject({
      maxDigits: 10,
      finishOnKey: '#',
      purpose: 'digits',
    });
    expect(startIvr(collect('terminated')).effects[0]).not.toHaveProperty('numDigits');
  });

  it('[IVR-28] stores the digits (without #) in the variable, which later prompts can use', () => {
    const g = collect('terminated');
    expect(stepIvr(g, startIvr(g).state!, digits('ask', '12345#'))).toEqual({
      state: null,
      effects: [
        { type: 'setVariable', nodeId: 'ask', name: 'orderNo', value: '12345' },
        { type: 'prompt', prompt: say('Order 12345 noted') },
        { type: 'hangup' },
      ],
    });
    const f = collect('fixed');
    expect(stepIvr(f, startIvr(f).state!, digits('ask', '654321')).effects[0]).toMatchObject({ value: '654321' });
  });

  it('[IVR-27] timeout plays the timeout prompt, wrong input the failure prompt, then asks again', () => {
    const g = collect('fixed');
    const late = stepIvr(g, startIvr(g).state!, timeout('ask'));
    expect(late.effects[0]).toMatchObject({ prompts: [say('Time is up'), expect.anything()] });
    expect(late.state).toEqual({ node: 'ask', retries: 1 });
    const short = stepIvr(g, startIvr(g).state!, digits('ask', '123'));
    expect(short.effects[0]).toMatchObject({ prompts: [say('That number is not valid'), expect.anything()] });
    const t = collect('terminated');
    for (const bad of ['#', '12a4#', '12345678901#']) {
      expect(stepIvr(t, startIvr(t).state!, digits('ask', bad)).state).toEqual({ node: 'ask', retries: 1 });
    }
  });

  it('[IVR-27] hangs up after the maximum errors, or takes onFail when set', () => {
    const g = collect('fixed');
    expect(stepIvr(g, { node: 'ask', retries: 1 }, digits('ask', '1'))).toEqual({
      state: null,
      effects: [{ type: 'hangup' }],
    });
    const withFail = collect('fixed', { onFail: 'confirm' });
    expect(stepIvr(withFail, { node: 'ask', retries: 1 }, timeout('ask')).effects).toEqual([
      { type: 'prompt', prompt: say('Order  noted') },
      { type: 'hangup' },
    ]);
  });
});

// ───────────────────────────── IVR-29 HTTP ─────────────────────────────

describe('HTTP node', () => {
  const g = graph(
    [
      {
        id: 'crm',
        type: 'http',
        url: 'https://crm.example.com/ivr',
        method: 'POST',
        inputs: [
          { name: 'caller', value: '${SystemCallerNumber}' },
          { name: 'order', value: 'order-${orderNo}' },
        ],
        outputs: [
          { variable: 'level', field: 'data.customer.level', default: 'normal' },
          { variable: 'agentNo', default: '' },
          { variable: 'count', field: 'data.count', default: '0' },
        ],
        timeoutSeconds: 3,
        maxRetries: 1,
        next: 'say',
      },
      { id: 'say', type: 'hangup', prompt: say('level ${level} agent ${agentNo} count ${count}') },
    ],
    { variables: [{ name: 'orderNo', default: '77' }] },
  );
  const ctx: IvrContext = { system: { SystemCallerNumber: '13900001111' } };

  it('[IVR-29] sends the inputs with ${variables} filled in and waits for the result', () => {
    const s = startIvr(g, ctx);
    expect(s.effects).toEqual([
      {
        type: 'httpRequest',
        nodeId: 'crm',
        url: 'https://crm.example.com/ivr',
        method: 'POST',
        body: { caller: '13900001111', order: 'order-77' },
        timeoutSeconds: 3,
        attempt: 1,
      },
    ]);
    expect(s.state).toEqual({ node: 'crm', retries: 0, wait: 'http', vars: { orderNo: '77' } });
  });

  it('[IVR-29] reads the outputs from the answer (dotted paths); missing ones take their defaults', () => {
    const s = stepIvr(g, startIvr(g, ctx).state!, {
      type: 'httpResult',
      nodeId: 'crm',
      ok: true,
      output: { agentNo: 1005, data: { customer: { level: 'vip' } } },
    });
    expect(s.effects).toEqual([
      { type: 'setVariable', nodeId: 'crm', name: 'level', value: 'vip' },
      { type: 'setVariable', nodeId: 'crm', name: 'agentNo', value: '1005' },
      { type: 'setVariable', nodeId: 'crm', name: 'count', value: '0' },
      { type: 'prompt', prompt: say('level vip agent 1005 count 0') },
      { type: 'hangup' },
    ]);
  });

  it('[IVR-29] a failure (error or timeout) retries; after the maximum errors the defaults apply and the flow goes on', () => {
    const first = stepIvr(g, startIvr(g, ctx).state!, { type: 'httpResult', nodeId: 'crm', ok: false });
    expect(first.effects).toEqual([expect.objectContaining({ type: 'httpRequest', attempt: 2 })]);
    expect(first.state).toMatchObject({ node: 'crm', retries: 1, wait: 'http' });
    const second = stepIvr(g, first.state!, { type: 'httpResult', nodeId: 'crm', ok: false });
    expect(second.state).toBeNull();
    expect(second.effects.at(-2)).toEqual({ type: 'prompt', prompt: say('level normal agent  count 0') });
  });

  it('[IVR-29] a late result for another node is ignored', () => {
    const state = startIvr(g, ctx).state!;
    expect(stepIvr(g, state, { type: 'httpResult', nodeId: 'other', ok: true })).toEqual({ state, effects: [] });
  });
});

// ───────────────────────────── IVR-30 condition ─────────────────────────────

describe('condition', () => {
  const g = graph(
    [
      {
        id: 'check',
        type: 'condition',
        branches: [
          {
            label: 'Beijing VIP',
            rules: [
              { variable: 'SystemCallerNumber', operator: 'startsWith', value: '010' },
              { variable: 'spend', operator: 'ge', value: '1000' },
            ],
            next: 'vip',
          },
          { rules: [{ variable: 'SystemTime', operator: 'lt', value: '09:00' }], next: 'early' },
          { rules: [{ variable: 'level', operator: 'in', value: 'gold, silver' }], next: 'metal' },
          { rules: [{ variable: 'level', operator: 'eq', value: '${expected}' }], next: 'expected' },
        ],
        elseNext: 'other',
      },
      ...['vip', 'early', 'metal', 'expected', 'other'].map((id) => ({ id, type: 'hangup' as const, prompt: say(id) })),
    ],
    {
      timeZone: 'Asia/Shanghai',
      variables: [
        { name: 'spend', default: '0' },
        { name: 'level', default: '' },
        { name: 'expected', default: 'bronze' },
      ],
    },
  );
  const noon = new Date('2025-03-03T04:00:00Z'); // 12:00 in Shanghai
  const taken = (ctx: IvrContext) =>
    (startIvr(g, { now: noon, ...ctx }).effects[0] as { prompt: { text: string } }).prompt.text;

  it('[IVR-30] all rules of a branch must hold; numbers compare as numbers', () => {
    const beijing = { SystemCallerNumber: '01088886666' };
    expect(taken({ system: beijing, variables: { spend: '1500' } })).toBe('vip');
    expect(taken({ system: beijing, variables: { spend: '999' } })).toBe('other'); // 999 < 1000 numerically
    expect(taken({ system: { SystemCallerNumber: '02188886666' }, variables: { spend: '5000' } })).toBe('other');
  });

  it('[IVR-30] tests system variables such as ${SystemTime} in the flow’s time zone', () => {
    expect(taken({ now: new Date('2025-03-03T00:30:00Z') })).toBe('early'); // 08:30 local
    expect(taken({ now: new Date('2025-03-03T01:00:00Z') })).toBe('other'); // 09:00 local
  });

  it('[IVR-30] "in" lists and ${variables} in rule values; the first matching branch wins, else elseNext', () => {
    expect(taken({ variables: { level: 'silver' } })).toBe('metal');
    expect(taken({ variables: { level: 'bronze' } })).toBe('expected');
    expect(taken({ variables: { level: 'iron' } })).toBe('other');
  });
});

// ───────────────────────────── IVR-31 voicemail ─────────────────────────────

describe('voicemail', () => {
  const g = graph([
    {
      id: 'vm',
      type: 'voicemail',
      prompt: say('Leave a message after the tone'),
      maxLengthSeconds: 60,
      thanksPrompt: say('Message saved'),
      variable: 'messageId',
      next: 'bye',
    },
    { id: 'bye', type: 'hangup', prompt: say('Bye') },
  ]);

  it('[IVR-31] records a message with the prompt, beep, length limit and finish key', () => {
    const s = startIvr(g);
    expect(s.effects).toEqual([
      {
        type: 'voicemail',
        nodeId: 'vm',
        prompt: say('Leave a message after the tone'),
        maxLengthSeconds: 60,
        finishOnKey: '#',
        beep: true,
      },
    ]);
    expect(s.state).toEqual({ node: 'vm', retries: 0, wait: 'voicemail' });
  });

  it('[IVR-31] when done, stores the recording id, thanks the caller and goes on', () => {
    const s = stepIvr(g, startIvr(g).state!, { type: 'voicemailDone', nodeId: 'vm', recordingId: 'rec-9' });
    expect(s).toEqual({
      state: null,
      effects: [
        { type: 'setVariable', nodeId: 'vm', name: 'messageId', value: 'rec-9' },
        { type: 'prompt', prompt: say('Message saved') },
        { type: 'prompt', prompt: say('Bye') },
        { type: 'hangup' },
      ],
    });
  });
});

// ───────────────────────────── IVR-32 end, and the engine ─────────────────────────────

describe('end and engine rules', () => {
  it('[IVR-32] the end node says goodbye and hangs up; the flow is over', () => {
    const g = graph([{ id: 'end', type: 'hangup', prompt: say('Goodbye') }]);
    expect(startIvr(g)).toEqual({
      state: null,
      effects: [{ type: 'prompt', prompt: say('Goodbye') }, { type: 'hangup' }],
    });
    const silent = graph([{ id: 'end', type: 'hangup' }]);
    expect(startIvr(silent)).toEqual({ state: null, effects: [{ type: 'hangup' }] });
  });

  it('[IVR-32] a graph that loops without waiting (refused on save) still ends instead of spinning', () => {
    const g = graph([
      { id: 'a', type: 'play', prompt: say('a'), next: 'b' },
      { id: 'b', type: 'play', prompt: say('b'), next: 'a' },
    ]);
    const s = startIvr(g);
    expect(s.state).toBeNull();
    expect(s.effects.at(-1)).toEqual({ type: 'hangup' });
    expect(s.effects.length).toBe(51);
  });

  it('[IVR-34] states stored before variables existed still work; resumeAt keeps the variables', () => {
    const g = graph(
      [
        { id: 'm', type: 'menu', prompt: say('Hi ${name}'), options: [{ key: '1', next: 'end' }], onFail: 'end' },
        { id: 'end', type: 'hangup', prompt: say('Bye ${name}') },
      ],
      { variables: [{ name: 'name', default: 'guest' }] },
    );
    expect(stepIvr(g, { node: 'm', retries: 0 }, digits('m', '1')).effects).toContainEqual({
      type: 'prompt',
      prompt: say('Bye guest'),
    });
    expect(resumeAt(g, 'm', { node: 'm', retries: 0, vars: { name: 'Wang' } }).effects[0]).toMatchObject({
      prompts: [say('Hi Wang')],
    });
    expect(resumeAt(g, 'm').effects[0]).toMatchObject({ prompts: [say('Hi guest')] });
  });
});
