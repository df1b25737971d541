import { describe, expect, it } from 'vitest';
import { ivrGraphSchema, type IvrGraph } from './flow-model.js';
import { startIvr, stepIvr } from './interpreter.js';

const SG = '6f1c1d2e-8a57-4a55-9d2e-8f2d8f6c1a01';
const graph: IvrGraph = ivrGraphSchema.parse({
  start: 'welcome',
  nodes: [
    { id: 'welcome', type: 'play', label: 'Welcome', prompt: { kind: 'say', text: 'Welcome' }, next: 'menu' },
    {
      id: 'menu',
      type: 'menu',
      label: 'Main',
      prompt: { kind: 'say', text: 'Press 1 for sales' },
      options: [{ key: '1', label: 'Sales', next: 'sales' }],
      timeoutSeconds: 5,
      maxRetries: 1,
      invalidPrompt: { kind: 'say', text: 'Invalid' },
      onFail: 'bye',
    },
    { id: 'sales', type: 'transfer', label: 'Sales queue', target: { type: 'skillGroup', skillGroupId: SG } },
    { id: 'bye', type: 'hangup', prompt: { kind: 'say', text: 'Bye' } },
  ],
});

describe('IVR interpreter', () => {
  it('[IVR-06] plays the welcome and asks the menu in one collect', () => {
    const s = startIvr(graph);
    expect(s.state).toEqual({ node: 'menu', retries: 0 });
    expect(s.effects).toEqual([
      {
        type: 'collect',
        step: 'menu',
        prompts: [
          { kind: 'say', text: 'Welcome' },
          { kind: 'say', text: 'Press 1 for sales' },
        ],
        numDigits: 1,
        timeoutSeconds: 5,
      },
    ]);
  });

  it('[IVR-07] [IVR-13] [IN-07] a valid key records the key trail and transfers to the skill group', () => {
    const s = stepIvr(
      graph,
      { node: 'menu', retries: 0 },
      { type: 'digits', step: 'menu', digits: '1', timedOut: false },
    );
    // The flow parks at the transfer node for the queue events (noAgent, queueWait, …).
    expect(s.state).toEqual({ node: 'sales', retries: 0, wait: 'queue' });
    expect(s.effects).toEqual([
      { type: 'keyPressed', key: '1', label: 'Sales', nodeLabel: 'Main' },
      { type: 'transfer', skillGroupId: SG, priority: 100, nodeId: 'sales' },
    ]);
  });

  it('[IVR-10] [IVR-11] a wrong key replays the menu with the invalid prompt, then hangs up after the maximum errors', () => {
    const first = stepIvr(
      graph,
      { node: 'menu', retries: 0 },
      { type: 'digits', step: 'menu', digits: '9', timedOut: false },
    );
    expect(first.state).toEqual({ node: 'menu', retries: 1 });
    expect(first.effects[0]).toMatchObject({
      type: 'collect',
      prompts: [{ text: 'Invalid' }, { text: 'Press 1 for sales' }],
    });
    const second = stepIvr(graph, first.state!, { type: 'digits', step: 'menu', digits: '', timedOut: true });
    expect(second.state).toBeNull();
    expect(second.effects).toEqual([{ type: 'prompt', prompt: { kind: 'say', text: 'Bye' } }, { type: 'hangup' }]);
  });

  it('[IVR-07] ignores input for a step the caller is no longer at (duplicate webhook)', () => {
    const s = stepIvr(
      graph,
      { node: 'menu', retries: 0 },
      { type: 'digits', step: 'other', digits: '1', timedOut: false },
    );
    expect(s).toEqual({ state: { node: 'menu', retries: 0 }, effects: [] });
  });

  it('[IVR-07] rejects graphs with dangling references', () => {
    const bad = ivrGraphSchema.safeParse({
      start: 'x',
      nodes: [{ id: 'a', type: 'play', prompt: { kind: 'say', text: 'hi' }, next: 'nowhere' }],
    });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toMatch(/missing node nowhere/);
    expect(JSON.stringify(bad.error?.issues)).toMatch(/start points to missing node x/);
  });
});
