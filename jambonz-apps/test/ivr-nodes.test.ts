/**
 * Every IVR node type that is wired into the call path, heard by a real (simulated) caller:
 * flows made and bound to a number through the API, a call placed in the jambonz simulator,
 * what the caller hears asserted in order, and the call record read back through the CDR API.
 * Time-dependent branches read a pinned clock; timeouts run in simulated time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { IvrGraphInput } from '../../core/src/modules/ivr/flow-model.js';
import { setAgentState } from '../../core/test/support/call-center.js';
import { sayDurationMs } from '../src/simulator/index.js';
import { until } from './support/harness.js';
import { bindNewNumber, cdrOfCall, createFlow, dial, heardUntilEnd, say, useIvrWorld } from './support/ivr-world.js';
import { sessionIdOf } from './support/live-world.js';

const VOICE = { vendor: 'microsoft', language: 'en-GB', voice: 'en-GB-SoniaNeural' };

const w = useIvrWorld({
  slug: 'ivr-nodes',
  agents: 1,
  settings: { timezone: 'Asia/Shanghai', tts: VOICE },
});

/** Creates the flow, binds a new number to it and returns the number. */
async function line(graph: IvrGraphInput): Promise<string> {
  return bindNewNumber(w, await createFlow(w, graph));
}

// ───────────────────────────── IVR-01 working hours ─────────────────────────────

describe('working hours', () => {
  const hours: IvrGraphInput = {
    start: 'hours',
    nodes: [
      {
        id: 'hours',
        type: 'workingHours',
        label: 'Office hours',
        // No time zone on the node nor the flow: the schedule is read in the tenant's.
        schedule: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], ranges: [{ start: '09:00', end: '18:00' }] }],
        holidays: ['2026-10-01'],
        inHours: 'open',
        outOfHours: 'closed',
      },
      // No graph time zone: ${SystemTime} is read in the tenant's (settings.timezone).
      { id: 'open', type: 'hangup', prompt: say('We are open. It is ${SystemTime}.') },
      { id: 'closed', type: 'hangup', prompt: say('We are closed.') },
    ],
  };

  it('[IVR-01] branches on the weekly schedule at the boundary minutes, on weekends and holidays, in the tenant’s time zone; out of hours is notWorkTime in the CDR', async () => {
    const number = await line(hours);
    const cases: Array<[string, string, string]> = [
      // UTC instant, what the caller hears, why
      ['2026-11-24T00:59:00Z', 'We are closed.', 'Tuesday 08:59 in Shanghai'],
      ['2026-11-24T01:00:00Z', 'We are open. It is 09:00.', 'Tuesday 09:00: the start is included'],
      ['2026-11-24T09:59:00Z', 'We are open. It is 17:59.', 'Tuesday 17:59'],
      ['2026-11-24T10:00:00Z', 'We are closed.', 'Tuesday 18:00: the end is excluded (open in UTC)'],
      ['2026-11-28T02:00:00Z', 'We are closed.', 'Saturday 10:00'],
      ['2026-10-01T02:00:00Z', 'We are closed.', 'Thursday 10:00, a holiday'],
    ];
    for (const [at, heard, why] of cases) {
      w.clock.set(at);
      const call = await dial(w, number);
      expect(await heardUntilEnd(call), why).toEqual([heard]);
      const cdr = await cdrOfCall(w, call);
      expect(cdr.endStatusString, why).toBe(heard === 'We are closed.' ? 'notWorkTime' : 'ivrEnd');
    }
    w.clock.set('2026-11-24T02:00:00Z');
  });
});

// ───────────────────────────── IVR-02…05 prompts ─────────────────────────────

describe('prompts', () => {
  it('[IVR-02] speaks TTS prompts with the tenant’s synthesizer settings, read on every call', async () => {
    const number = await line({
      start: 'hello',
      nodes: [
        { id: 'hello', type: 'play', prompt: say('Welcome to Acme.'), next: 'bye' },
        { id: 'bye', type: 'hangup', prompt: say('Goodbye.') },
      ],
    });
    const call = await dial(w, number);
    await call.ended;
    expect(call.spoken).toEqual([
      { text: 'Welcome to Acme.', synthesizer: VOICE },
      { text: 'Goodbye.', synthesizer: VOICE },
    ]);

    const other = { vendor: 'google', language: 'cmn-CN', voice: 'cmn-CN-Standard-A' };
    const res = await w.t.request('PATCH', '/api/v1/tenant', {
      token: w.cc.admin.token,
      body: { settings: { tts: other } },
    });
    expect(res.status).toBe(200);
    try {
      const again = await dial(w, number);
      await again.ended;
      expect(again.spoken.map((s) => s.synthesizer)).toEqual([other, other]);
    } finally {
      await w.t.request('PATCH', '/api/v1/tenant', { token: w.cc.admin.token, body: { settings: { tts: VOICE } } });
    }
  });

  it('[IVR-03] plays a prompt from a URL', async () => {
    const number = await line({
      start: 'jingle',
      nodes: [
        {
          id: 'jingle',
          type: 'play',
          prompt: { kind: 'play', url: 'https://cdn.example.com/jingle.wav' },
          next: 'bye',
        },
        { id: 'bye', type: 'hangup', prompt: say('Thanks for calling.') },
      ],
    });
    const call = await dial(w, number);
    expect(await heardUntilEnd(call)).toEqual(['https://cdn.example.com/jingle.wav', 'Thanks for calling.']);
  });

  // Long (about 20 s of speech) so that cutting it short is plain in simulated time.
  const notice =
    'Please listen carefully, as our menu options have changed. Our opening hours are Monday to Friday, ' +
    'nine to six, and Saturday morning. You can also reach us on our website, where most questions are ' +
    'answered, or by e-mail, and we will get back to you within one working day.';
  const bargeFlow = (bargeIn: boolean): IvrGraphInput => ({
    start: 'notice',
    nodes: [
      { id: 'notice', type: 'play', prompt: say(notice), bargeIn, next: 'menu' },
      {
        id: 'menu',
        type: 'menu',
        label: 'Menu',
        prompt: say('For sales, press 1.'),
        options: [{ key: '1', label: 'Sales', next: 'sales' }],
        timeoutSeconds: 3,
        maxRetries: 0,
        onFail: 'bye',
      },
      { id: 'sales', type: 'hangup', prompt: say('Sales here.') },
      { id: 'bye', type: 'hangup', prompt: say('Goodbye.') },
    ],
  });

  it('[IVR-04] a key pressed during a prompt that cannot be interrupted is ignored', async () => {
    const call = await dial(w, await line(bargeFlow(false)));
    call.pressWhenHeard(notice, '1'); // while the notice plays: lost, as on a real jambonz
    call.noInput(); // and no key once the menu listens: it times out
    expect(await heardUntilEnd(call)).toEqual([notice, 'For sales, press 1.', 'Goodbye.']);
    expect(call.cutShort).toEqual([]);
    expect((await cdrOfCall(w, call)).ivrKeys).toEqual([]);
  });

  it('[IVR-04] a key pressed during an interruptible prompt cuts it short and answers the menu', async () => {
    const number = await line(bargeFlow(true));
    // The caller presses 1 as soon as the notice starts: the notice and the menu play as one
    // interruptible prompt, so the key cuts it short and answers the menu at once.
    const call = await w.sim.placeCall({ from: '13900001234', to: number });
    call.pressWhenHeard(notice, '1');
    await call.expectPrompt('Sales here.');
    expect(call.cutShort).toEqual([`${notice} For sales, press 1.`]);
    expect(await heardUntilEnd(call)).toEqual([`${notice} For sales, press 1.`, 'Sales here.']);
    expect((await cdrOfCall(w, call)).ivrKeys).toEqual([expect.objectContaining({ key: '1', label: 'Sales' })]);
  });

  it('[IVR-04] a menu whose own prompt cannot be interrupted listens only once it has played', async () => {
    const MENU = 'For sales, press 1. For support, press 2.';
    const number = await line({
      start: 'menu',
      nodes: [
        {
          id: 'menu',
          type: 'menu',
          label: 'Menu',
          prompt: say(MENU),
          bargeIn: false,
          options: [
            { key: '1', label: 'Sales', next: 'sales' },
            { key: '2', label: 'Support', next: 'support' },
          ],
          timeoutSeconds: 10,
          onFail: 'sales',
        },
        { id: 'sales', type: 'hangup', prompt: say('Sales here.') },
        { id: 'support', type: 'hangup', prompt: say('Support here.') },
      ],
    });
    const call = await dial(w, number);
    call.pressWhenHeard(MENU, '2'); // during the prompt: lost
    await call.expectPrompt(MENU);
    const started = w.sim.now();
    await until(async () => w.sim.now() > started + sayDurationMs(MENU) + 500, 'menu prompt over');
    call.press('1');
    expect(await heardUntilEnd(call)).toEqual([MENU, 'Sales here.']);
    expect((await cdrOfCall(w, call)).ivrKeys).toEqual([expect.objectContaining({ key: '1', label: 'Sales' })]);
  });

  it('[IVR-05] repeats a prompt the configured number of times', async () => {
    const number = await line({
      start: 'hold',
      nodes: [
        { id: 'hold', type: 'play', prompt: say('Your call is important to us.'), repeat: 3, next: 'bye' },
        { id: 'bye', type: 'hangup', prompt: say('Goodbye.') },
      ],
    });
    const call = await dial(w, number);
    expect(await heardUntilEnd(call)).toEqual([
      'Your call is important to us.',
      'Your call is important to us.',
      'Your call is important to us.',
      'Goodbye.',
    ]);
  });
});

// ───────────────────────────── IVR-06…11 static menu, IN-07 key trail ─────────────────────────────

describe('static menu', () => {
  const MENU = 'For sales, press 1. For support, press 2.';
  const TIMEOUT = 'We did not get your choice.';
  const INVALID = 'That key is not valid.';
  const menuFlow: IvrGraphInput = {
    start: 'menu',
    nodes: [
      {
        id: 'menu',
        type: 'menu',
        label: 'Main menu',
        prompt: say(MENU),
        options: [
          { key: '1', label: 'Sales', next: 'sales' },
          { key: '2', label: 'Support', next: 'support-menu' },
        ],
        timeoutSeconds: 3,
        maxRetries: 2,
        timeoutPrompt: say(TIMEOUT),
        invalidPrompt: say(INVALID),
        onFail: 'too-many',
      },
      {
        id: 'support-menu',
        type: 'menu',
        label: 'Support menu',
        prompt: say('For billing, press 3.'),
        options: [{ key: '3', label: 'Billing', next: 'billing' }],
        onFail: 'too-many',
      },
      { id: 'sales', type: 'hangup', prompt: say('Sales speaking.') },
      { id: 'billing', type: 'hangup', prompt: say('Billing speaking.') },
      { id: 'too-many', type: 'hangup', label: 'Too many errors', prompt: say('Too many errors. Goodbye.') },
    ],
  };
  let number: string;
  beforeAll(async () => {
    number = await line(menuFlow);
  });

  it('[IVR-06] [IVR-07] [IN-07] keys lead to their branches; the key trail (node, key, branch, time) is in the session and the CDR', async () => {
    // The trail is stamped with the call path's clock (pinned here), like `${SystemTime}`.
    w.clock.set('2026-11-24T02:00:00Z');
    const call = await dial(w, number);
    await call.expectPrompt(MENU);
    call.press('2');
    await until(
      async () =>
        (
          await w.t.app.database.pool.query(
            'select 1 from call_sessions where customer_call_sid = $1 and jsonb_array_length(ivr_keys) = 1',
            [call.callSid],
          )
        ).rows.length,
      'first key',
    );
    w.clock.set('2026-11-24T02:00:07Z');
    await call.expectPrompt('For billing, press 3.');
    call.press('3');
    expect(await heardUntilEnd(call)).toEqual([MENU, 'For billing, press 3.', 'Billing speaking.']);
    const trail = [
      { nodeLabel: 'Main menu', key: '2', label: 'Support', timestamp: expect.any(Number) },
      { nodeLabel: 'Support menu', key: '3', label: 'Billing', timestamp: expect.any(Number) },
    ];
    const cdr = await cdrOfCall(w, call);
    expect(cdr.ivrKeys).toEqual(trail);
    expect(cdr.ivrKeys[0].timestamp).toBe(Date.parse('2026-11-24T02:00:00Z'));
    expect(cdr.ivrKeys[1].timestamp).toBe(Date.parse('2026-11-24T02:00:07Z'));
    w.clock.set('2026-11-24T02:00:00Z');
    const session = await w.t.app.database.pool.query('select ivr_keys from call_sessions where id = $1', [
      await sessionIdOf(w, call),
    ]);
    expect(session.rows[0].ivr_keys).toEqual(cdr.ivrKeys);

    const sales = await dial(w, number);
    await sales.expectPrompt(MENU);
    sales.press('1');
    expect(await heardUntilEnd(sales)).toEqual([MENU, 'Sales speaking.']);
    expect((await cdrOfCall(w, sales)).ivrKeys).toEqual([expect.objectContaining({ key: '1', label: 'Sales' })]);
  });

  it('[IVR-08] [IVR-09] waits the menu’s timeout, plays the timeout prompt and asks again', async () => {
    const call = await dial(w, number);
    await call.expectPrompt(MENU);
    const asked = w.sim.now();
    call.noInput();
    await call.expectPrompt(`${TIMEOUT} ${MENU}`, { timeoutMs: 10_000 });
    const waited = w.sim.now() - asked;
    // The menu prompt, then the 3 s timeout (not jambonz's 15 s default), then the webhook.
    expect(waited).toBeGreaterThanOrEqual(sayDurationMs(MENU) + 3000 - 250);
    expect(waited).toBeLessThan(sayDurationMs(MENU) + 15_000);
    call.press('1');
    expect(await heardUntilEnd(call)).toEqual([MENU, `${TIMEOUT} ${MENU}`, 'Sales speaking.']);
    expect((await cdrOfCall(w, call)).ivrKeys).toEqual([expect.objectContaining({ key: '1', label: 'Sales' })]);
  });

  it('[IVR-10] [IVR-11] plays the invalid-key prompt, then hangs up after the maximum errors; CDR ivrEnd', async () => {
    const call = await dial(w, number);
    await call.expectPrompt(MENU);
    call.press('9');
    await call.expectPrompt(`${INVALID} ${MENU}`);
    call.press('7');
    await call.expectPrompt(`${INVALID} ${MENU}`);
    // Third error, a timeout this time: maxRetries 2 → three errors end the menu.
    call.noInput();
    expect(await heardUntilEnd(call)).toEqual([
      MENU,
      `${INVALID} ${MENU}`,
      `${INVALID} ${MENU}`,
      'Too many errors. Goodbye.',
    ]);
    const cdr = await cdrOfCall(w, call);
    expect(cdr).toMatchObject({ endStatusString: 'ivrEnd', hungUpSide: 'system', ivrKeys: [], agentId: null });
  });
});

// ───────────────────────────── IVR-12 / IVR-26…28 / IVR-30 variables ─────────────────────────────

describe('variables', () => {
  it('[IVR-12] a dynamic branch takes the branch named by a variable’s value, else the default', async () => {
    const number = await line({
      start: 'level',
      nodes: [
        {
          id: 'level',
          type: 'collect',
          prompt: say('Enter your member level.'),
          mode: 'fixed',
          digits: 1,
          timeoutSeconds: 3,
          variable: 'Level',
          next: 'route',
        },
        {
          id: 'route',
          type: 'dynamicBranch',
          variable: 'Level',
          branches: [
            { value: '1', next: 'gold' },
            { value: '2', next: 'silver' },
          ],
          defaultNext: 'guest',
        },
        { id: 'gold', type: 'hangup', prompt: say('Welcome, gold member.') },
        { id: 'silver', type: 'hangup', prompt: say('Welcome, silver member.') },
        { id: 'guest', type: 'hangup', prompt: say('Welcome, guest.') },
      ],
    });
    for (const [key, heard] of [
      ['1', 'Welcome, gold member.'],
      ['2', 'Welcome, silver member.'],
      ['5', 'Welcome, guest.'],
    ] as const) {
      const call = await dial(w, number);
      await call.expectPrompt('Enter your member level.');
      call.press(key);
      expect(await heardUntilEnd(call)).toEqual(['Enter your member level.', heard]);
    }
  });

  const PIN = 'Enter your four digit PIN.';
  const ORDER = 'Enter your order number, then press hash.';
  const collectFlow: IvrGraphInput = {
    start: 'pin',
    nodes: [
      {
        id: 'pin',
        type: 'collect',
        label: 'PIN',
        prompt: say(PIN),
        mode: 'fixed',
        digits: 4,
        timeoutSeconds: 3,
        timeoutPrompt: say('We did not hear your PIN.'),
        failPrompt: say('That PIN is not valid.'),
        maxRetries: 2,
        variable: 'Pin',
        next: 'order',
        onFail: 'fail',
      },
      {
        id: 'order',
        type: 'collect',
        prompt: say(ORDER),
        mode: 'terminated',
        digits: 8,
        timeoutSeconds: 3,
        maxRetries: 0,
        variable: 'Order',
        next: 'check',
        onFail: 'fail',
      },
      {
        id: 'check',
        type: 'condition',
        branches: [{ label: 'Staff PIN', rules: [{ variable: 'Pin', operator: 'eq', value: '1234' }], next: 'staff' }],
        elseNext: 'customer',
      },
      { id: 'staff', type: 'hangup', prompt: say('PIN ${Pin} accepted. Order ${Order} is on its way.') },
      { id: 'customer', type: 'hangup', prompt: say('Thank you. Order ${Order} is noted.') },
      { id: 'fail', type: 'hangup', prompt: say('Sorry, we could not read your input. Goodbye.') },
    ],
  };
  let collectLine: string;
  beforeAll(async () => {
    collectLine = await line(collectFlow);
  });

  it('[IVR-26] [IVR-28] collects fixed-length and #-terminated digits into variables that later nodes branch on', async () => {
    const staff = await dial(w, collectLine);
    await staff.expectPrompt(PIN);
    staff.press('1234');
    await staff.expectPrompt(ORDER);
    staff.press('98765#');
    expect(await heardUntilEnd(staff)).toEqual([PIN, ORDER, 'PIN 1234 accepted. Order 98765 is on its way.']);

    const customer = await dial(w, collectLine);
    await customer.expectPrompt(PIN);
    customer.press('5555');
    await customer.expectPrompt(ORDER);
    customer.press('42#');
    expect(await heardUntilEnd(customer)).toEqual([PIN, ORDER, 'Thank you. Order 42 is noted.']);
  });

  it('[IVR-27] collection timeout and failure prompts, then the failure branch after the maximum errors', async () => {
    const call = await dial(w, collectLine);
    await call.expectPrompt(PIN);
    // No key: the timeout prompt, then the question again.
    call.noInput();
    await call.expectPrompt(`We did not hear your PIN. ${PIN}`, { timeoutMs: 10_000 });
    call.press('12#4'); // four keys, but not a PIN
    await call.expectPrompt(`That PIN is not valid. ${PIN}`);
    // A third error (a timeout) ends the collection.
    call.noInput();
    expect(await heardUntilEnd(call)).toEqual([
      PIN,
      `We did not hear your PIN. ${PIN}`,
      `That PIN is not valid. ${PIN}`,
      'Sorry, we could not read your input. Goodbye.',
    ]);
    expect((await cdrOfCall(w, call)).endStatusString).toBe('ivrEnd');
  });

  it('[IVR-28] a collected variable survives a redirect of the caller’s leg (the flow resumes where it was)', async () => {
    const number = await line({
      start: 'pin',
      nodes: [
        {
          id: 'pin',
          type: 'collect',
          prompt: say(PIN),
          mode: 'fixed',
          digits: 4,
          timeoutSeconds: 3,
          variable: 'Pin',
          next: 'menu',
        },
        {
          id: 'menu',
          type: 'menu',
          label: 'Confirm',
          prompt: say('To hear your PIN, press 1.'),
          options: [{ key: '1', label: 'Repeat', next: 'tell' }],
          timeoutSeconds: 10,
          onFail: 'tell',
        },
        { id: 'tell', type: 'hangup', prompt: say('Your PIN is ${Pin}.') },
      ],
    });
    const call = await dial(w, number);
    await call.expectPrompt(PIN);
    call.press('4321');
    await call.expectPrompt('To hear your PIN, press 1.');
    const sessionId = await sessionIdOf(w, call);
    await w.t.app.container.cradle.telephony.redirect(call.callSid, {
      sessionId,
      tenantId: w.cc.tenantId,
      role: 'customer',
    });
    await call.expectPrompt('To hear your PIN, press 1.');
    call.press('1');
    expect(await heardUntilEnd(call)).toEqual([
      PIN,
      'To hear your PIN, press 1.',
      'To hear your PIN, press 1.',
      'Your PIN is 4321.',
    ]);
  });

  it('[IVR-30] a condition reads the system variables (caller, callee, session id) and custom variables', async () => {
    const number = await line({
      start: 'who',
      variables: [{ name: 'Region', default: 'north' }],
      nodes: [
        {
          id: 'who',
          type: 'condition',
          branches: [
            {
              label: 'Mobile VIP',
              rules: [{ variable: 'SystemCallerNumber', operator: 'startsWith', value: '8613' }],
              next: 'vip',
            },
            {
              label: 'North hotline',
              rules: [
                { variable: 'SystemCalleeNumber', operator: 'startsWith', value: '400' },
                { variable: 'Region', operator: 'eq', value: 'north' },
                { variable: 'SystemCallerNumber', operator: 'endsWith', value: '7' },
              ],
              next: 'north',
            },
          ],
          elseNext: 'other',
        },
        { id: 'vip', type: 'hangup', prompt: say('Hello VIP caller ${SystemCallerNumber}.') },
        { id: 'north', type: 'hangup', prompt: say('Welcome to the ${Region} hotline ${SystemCalleeNumber}.') },
        { id: 'other', type: 'hangup', prompt: say('Your session is ${SystemSessionId}.') },
      ],
    });
    const vip = await dial(w, number, '8613900001111');
    expect(await heardUntilEnd(vip)).toEqual(['Hello VIP caller 8613900001111.']);
    const north = await dial(w, number, '13900001117');
    expect(await heardUntilEnd(north)).toEqual([`Welcome to the north hotline ${number}.`]);
    const other = await dial(w, number, '13900001118');
    const heard = await heardUntilEnd(other);
    expect(heard).toEqual([`Your session is ${await sessionIdOf(w, other)}.`]);
  });
});

// ───────────────────────────── IVR-13 transfer, IVR-32 end ─────────────────────────────

describe('transfer and end', () => {
  it('[IVR-13] a menu key transfers to a skill group: the agent answers, they talk, the CDR names the group', async () => {
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    try {
      const number = await line({
        start: 'menu',
        nodes: [
          {
            id: 'menu',
            type: 'menu',
            label: 'Main menu',
            prompt: say('For after-sales, press 2.'),
            options: [{ key: '2', label: 'After-sales', next: 'to-after-sales' }],
            onFail: 'bye',
          },
          {
            id: 'to-after-sales',
            type: 'transfer',
            label: 'After-sales queue',
            target: { type: 'skillGroup', skillGroupId: w.cc.groups.afterSales },
            transferPrompt: say('Connecting you to after-sales.'),
          },
          { id: 'bye', type: 'hangup' },
        ],
      });
      const call = await dial(w, number);
      await call.expectPrompt('For after-sales, press 2.');
      call.press('2');
      await call.expectPrompt('Connecting you to after-sales.');
      const leg = (await device.nextRing({ timeoutMs: 10_000 })).answer();
      await until(async () => call.conference && call.conference === leg.conference, 'caller and agent in one room');
      call.hangup();
      await leg.ended;
      const cdr = await cdrOfCall(w, call);
      expect(cdr).toMatchObject({
        endStatusString: 'ok',
        hungUpSide: 'user',
        queuedSkillGroupId: w.cc.groups.afterSales,
        queuedSkillGroupName: 'after-sales',
        servingSkillGroupName: 'after-sales',
        agentId: agent.id,
        ivrKeys: [expect.objectContaining({ nodeLabel: 'Main menu', key: '2', label: 'After-sales' })],
      });
    } finally {
      await setAgentState(w.t, agent, 'offline');
    }
  });

  it('[IVR-32] an end node says its goodbye and hangs up; the CDR ends ivrEnd by the system', async () => {
    const number = await line({
      start: 'hi',
      nodes: [
        { id: 'hi', type: 'play', prompt: say('We are moving offices.'), next: 'end' },
        { id: 'end', type: 'hangup', label: 'End', prompt: say('Goodbye.') },
      ],
    });
    const call = await dial(w, number);
    expect(await heardUntilEnd(call)).toEqual(['We are moving offices.', 'Goodbye.']);
    expect((await call.ended).by).toBe('jambonz');
    expect(await cdrOfCall(w, call)).toMatchObject({ endStatusString: 'ivrEnd', hungUpSide: 'system' });
  });
});
