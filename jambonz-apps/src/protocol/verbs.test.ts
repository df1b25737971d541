import { describe, expect, it } from 'vitest';
import {
  conference,
  config,
  configListen,
  dequeue,
  dial,
  enqueue,
  gather,
  hangup,
  leave,
  listen,
  pause,
  play,
  redirect,
  say,
  sipDecline,
  tag,
  userTarget,
  validateVerbs,
  VerbValidationError,
} from './verbs.js';

describe('verb builders and validateVerbs', () => {
  it('builder output passes the feature server validator', () => {
    const verbs = [
      config({ synthesizer: { vendor: 'google', language: 'en-US' }, bargeIn: { enable: true, input: ['digits'] } }),
      configListen({ enable: true, url: 'wss://rec.example.com/fork', mixType: 'stereo', sampleRate: 8000 }),
      tag({ conversationId: 'c-1' }),
      say('Welcome', { loop: 2 }),
      play('https://example.com/moh.mp3'),
      pause(1),
      gather({ input: ['digits'], numDigits: 1, timeout: 5, actionHook: '/menu', say: { text: 'press 1' } }),
      enqueue('support', { waitHook: '/wait', actionHook: '/queue-done', priority: 10 }),
      dequeue('support', { callSid: 'abc', beep: true, timeout: 30 }),
      leave(),
      conference('room-1', { startConferenceOnEnter: true, endConferenceOnExit: true, memberTag: 'agent' }),
      dial(userTarget('agent1@sip.example.com'), { answerOnBridge: true, timeout: 20, actionHook: '/dial' }),
      listen('wss://rec.example.com/fork', { mixType: 'stereo', metadata: { conversationId: 'c-1' } }),
      redirect('/next'),
      sipDecline(486, 'Busy Here'),
      hangup(),
    ];
    expect(() => validateVerbs(verbs)).not.toThrow();
    expect(verbs[13]).toEqual({ verb: 'redirect', actionHook: '/next' });
  });

  it('accepts the research §2.1 sample, including the {verb: {…}} form', () => {
    expect(() =>
      validateVerbs([
        { verb: 'say', text: 'Please hold' },
        { verb: 'enqueue', name: 'support', waitHook: '/queue/wait', actionHook: '/queue/action' },
        { gather: { input: ['digits'], numDigits: 1, actionHook: '/menu' } },
        { verb: 'dial', target: [{ type: 'user', name: 'agent1@sip.example.com' }], answerOnBridge: true },
        {
          verb: 'config',
          record: { action: 'startCallRecording', type: 'siprec', siprecServerURL: 'sip:srs@1.2.3.4' },
        },
      ]),
    ).not.toThrow();
  });

  it.each([
    [[{ verb: 'say', txt: 'x' }], 'say: unknown property txt'],
    [[{ verb: 'dial' }], 'dial: missing value for target'],
    [[{ verb: 'foo' }], 'invalid instruction: foo'],
    [[{ verb: 'dial', target: [{ type: 'pstn' }] }], 'invalid value pstn must be one of phone,sip,user,teams'],
    [[{ verb: 'gather', numDigits: '1' }], 'gather: property numDigits has invalid data type'],
    [{ verb: 'say' }, 'malformed jambonz payload: must be array'],
    [[{ verb: 'room', name: 'x' }], 'invalid instruction: room'],
  ])('rejects what the feature server rejects: %j', (input, message) => {
    let caught: unknown;
    try {
      validateVerbs(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(VerbValidationError);
    expect((caught as VerbValidationError).message).toContain(message);
  });
});
