import type {
  ConferenceVerb,
  ConfigVerb,
  DequeueVerb,
  DialTarget,
  DialVerb,
  EnqueueVerb,
  GatherVerb,
  Hook,
  ListenVerb,
  PlayVerb,
  Verb,
} from '../protocol/verbs.js';
import type { AudioFork } from './audio-fork.js';
import { Bridge } from './bridge.js';
import type { DialState, SimLeg } from './call-leg.js';
import type { Engine } from './engine.js';
import { playSay, playUrls, runPromptVerbs } from './media.js';
import { childController, deferred, whenAborted } from './util.js';

/** What the caller hears for `listen.playBeep` (FS listen.js plays this tone). */
export const BEEP_TONE = 'tone_stream://L=1;%(500, 0, 1500)';
const BEEP_MS = 500;

/**
 * Executes one verb on a leg, with the semantics of the corresponding FS task. Returns the verb
 * array from the verb's actionHook (which replaces the rest of the stack) or undefined to go on.
 * `signal` aborts when the verb is killed (REST redirect, hang-up).
 */
export async function executeVerb(
  engine: Engine,
  leg: SimLeg,
  verb: Verb,
  signal: AbortSignal,
): Promise<Verb[] | undefined> {
  switch (verb.verb) {
    case 'say':
      leg.answer();
      await playSay(engine, leg, verb, signal);
      return undefined;
    case 'play':
      return execPlay(engine, leg, verb, signal);
    case 'pause':
      leg.answer();
      await engine.clock.sleep(verb.length * 1000, signal);
      return undefined;
    case 'gather':
      return execGather(engine, leg, verb, signal);
    case 'enqueue':
      return execEnqueue(engine, leg, verb, signal);
    case 'dequeue':
      return execDequeue(engine, leg, verb, signal);
    case 'conference':
      return execConference(engine, leg, verb, signal);
    case 'dial':
      return execDial(engine, leg, verb, signal);
    case 'listen':
      return execListen(engine, leg, verb, signal);
    case 'config':
      execConfig(engine, leg, verb);
      return undefined;
    case 'tag':
      leg.customerData = verb.data;
      return undefined;
    case 'redirect': {
      const res = await engine.webhooks.send('redirect', verb.actionHook, leg.callInfo(), leg.hookCtx());
      return signal.aborted ? undefined : res.verbs;
    }
    case 'hangup':
      if (!leg.answered) {
        // Precondition StableCall fails: FS skips the verb (use sip:decline on unanswered calls).
        engine.alert(leg.sid, 'hangup on an unanswered call is ignored by jambonz; use sip:decline');
        return undefined;
      }
      leg.release('jambonz');
      return undefined;
    case 'sip:decline':
      if (leg.answered) {
        engine.alert(leg.sid, 'sip:decline on an answered call is ignored by jambonz');
        return undefined;
      }
      leg.decline(verb.status, verb.reason ?? 'Declined');
      return undefined;
    case 'leave':
      engine.alert(leg.sid, 'leave is only valid in an enqueue waitHook response');
      return undefined;
    default: {
      const name = (verb as { verb: string }).verb;
      engine.alert(leg.sid, `simulator does not implement verb ${name}`);
      return undefined;
    }
  }
}

/**
 * POSTs a verb's actionHook with the call info plus `extra`. A killed verb still reports (FS
 * does, e.g. enqueue with queue_result hangup) but its response is ignored.
 */
async function performAction(
  engine: Engine,
  leg: SimLeg,
  hook: Hook | undefined,
  extra: Record<string, unknown>,
  signal: AbortSignal,
  sendWhenGone = true,
): Promise<Verb[] | undefined> {
  if (!hook) return undefined;
  if (leg.gone && !sendWhenGone) return undefined;
  const res = await engine.webhooks.send('action', hook, { ...leg.callInfo(), ...extra }, leg.hookCtx());
  if (signal.aborted || leg.gone) return undefined;
  return res.verbs;
}

async function execPlay(engine: Engine, leg: SimLeg, verb: PlayVerb, signal: AbortSignal): Promise<Verb[] | undefined> {
  leg.answer();
  const { completed, playedMs } = await playUrls(engine, leg, verb, signal);
  if (!verb.actionHook || signal.aborted) return undefined;
  return performAction(
    engine,
    leg,
    verb.actionHook,
    {
      reason: completed ? 'playCompleted' : 'playFailed',
      playbackSeconds: Math.floor(playedMs / 1000),
      playbackMilliseconds: Math.round(playedMs),
    },
    signal,
  );
}

type GatherOutcome =
  | { reason: 'dtmfDetected'; digits: string }
  | { reason: 'speechDetected'; speech: Record<string, unknown> }
  | { reason: 'timeout' };

/** FS gather.js digit semantics (research §2.3), plus final transcripts from `SimCall.speak`. */
async function execGather(
  engine: Engine,
  leg: SimLeg,
  verb: GatherVerb,
  signal: AbortSignal,
): Promise<Verb[] | undefined> {
  leg.answer();
  const input = verb.input ?? ['digits'];
  const digits = input.includes('digits');
  const speech = input.includes('speech');
  const dtmfBargein = verb.dtmfBargein !== false && digits;
  const timeoutMs = verb.timeout === 0 ? 0 : (verb.timeout ?? 15) * 1000;
  const done = deferred<GatherOutcome>();
  const promptCtrl = childController(signal);
  let buffer = '';
  let cancelInterDigit: (() => void) | undefined;
  let cancelTimeout: (() => void) | undefined;

  const onDigit = (d: string): void => {
    if (done.settled) return;
    cancelInterDigit?.();
    cancelInterDigit = undefined;
    if (dtmfBargein) promptCtrl.abort();
    if (!digits) return;
    if (d === verb.finishOnKey) {
      done.resolve({ reason: 'dtmfDetected', digits: buffer });
      return;
    }
    buffer += d;
    if (buffer.length === verb.numDigits || buffer.length === verb.maxDigits) {
      done.resolve({ reason: 'dtmfDetected', digits: buffer });
      return;
    }
    // FS starts the inter-digit timer only once minDigits is reached; minDigits has no default.
    if ((verb.interDigitTimeout ?? 0) > 0 && verb.minDigits !== undefined && buffer.length >= verb.minDigits) {
      cancelInterDigit = leg.patience((verb.interDigitTimeout ?? 0) * 1000, () => {
        cancelInterDigit = undefined;
        done.resolve({ reason: 'dtmfDetected', digits: buffer });
      });
    }
  };
  // Like FS _resolve → _killAudio: whatever resolves the gather also stops its prompt.
  void done.promise.then(() => promptCtrl.abort());
  leg.setDtmfHandler(onDigit);
  if (speech) {
    leg.setSpeechHandler((text) => {
      promptCtrl.abort();
      done.resolve({
        reason: 'speechDetected',
        speech: {
          language_code: 'en-US',
          channel_tag: 1,
          is_final: true,
          alternatives: [{ transcript: text, confidence: 0.92 }],
        },
      });
    });
  }
  try {
    if (!done.settled) {
      if (verb.say) await playSay(engine, leg, verb.say, promptCtrl.signal);
      else if (verb.play) await playUrls(engine, leg, verb.play, promptCtrl.signal);
    }
    // The overall timer starts once the prompt is over (or was barged into).
    if (!done.settled && !signal.aborted && timeoutMs > 0) {
      // The caller's patience: real time unless the caller gives no input (SimCall.noInput).
      cancelTimeout = leg.patience(timeoutMs, () => {
        if (cancelInterDigit) return; // let the inter-digit timer complete
        done.resolve(
          verb.minDigits !== undefined && buffer.length >= verb.minDigits
            ? { reason: 'dtmfDetected', digits: buffer }
            : { reason: 'timeout' },
        );
      });
    }
    const outcome = await Promise.race([done.promise, whenAborted(signal).then(() => undefined)]);
    if (!outcome || leg.gone || signal.aborted) return undefined;
    return await performAction(engine, leg, verb.actionHook, { ...outcome }, signal, false);
  } finally {
    cancelInterDigit?.();
    cancelTimeout?.();
    leg.setDtmfHandler(undefined);
    leg.setSpeechHandler(undefined);
  }
}

/** FS enqueue.js: join, waitHook loop (say/play/pause/leave/tag), bridge on dequeue. */
async function execEnqueue(
  engine: Engine,
  leg: SimLeg,
  verb: EnqueueVerb,
  signal: AbortSignal,
): Promise<Verb[] | undefined> {
  leg.answer();
  const startedSim = engine.clock.now();
  const queueSid = `queue:${engine.accountSid}:${verb.name}`;
  const dequeued = deferred<Bridge>();
  const left = deferred<void>();
  const { member, length } = engine.queues.add({
    leg,
    queue: verb.name,
    priority: verb.priority ?? 999,
    joinedAtSim: startedSim,
    onDequeued: (_dequeuer, bridge) => dequeued.resolve(bridge),
  });
  leg.queueMember = member;
  engine.queueEvent(leg, { event: 'join', queue: verb.name, length, joinTime: Date.now() });
  const queueTime = (): number => Math.floor((engine.clock.now() - startedSim) / 1000);

  const waitCtrl = childController(signal);
  const waitLoop = async (hook: Hook): Promise<void> => {
    while (!waitCtrl.signal.aborted && !leg.gone) {
      if (!(await engine.clock.sleep(500, waitCtrl.signal))) return; // silence_stream://500
      const payload = {
        queueSid,
        queueTime: queueTime(),
        queueSize: engine.queues.length(verb.name),
        queuePosition: engine.queues.position(member),
        callSid: leg.sid,
        callId: leg.callId,
        ...(leg.customerData ? { customerData: leg.customerData } : {}),
      };
      const res = await engine.webhooks.send('wait', hook, payload, leg.hookCtx(waitCtrl.signal));
      if (waitCtrl.signal.aborted || !res.ok || res.verbs.length === 0) return;
      const bad = res.verbs.find((v) => !['say', 'play', 'pause', 'leave', 'tag'].includes(v.verb));
      if (bad) {
        engine.alert(leg.sid, `unsupported verb in enqueue waitHook: ${bad.verb} (only say, play, pause, leave, tag)`);
        return;
      }
      const outcome = await runPromptVerbs(engine, leg, res.verbs, waitCtrl.signal);
      if (outcome === 'leave') {
        left.resolve();
        return;
      }
      if (outcome === 'aborted') return;
    }
  };
  if (verb.waitHook) engine.spawn(waitLoop(verb.waitHook), leg.sid);

  const first = await Promise.race([
    dequeued.promise.then((bridge) => ({ kind: 'dequeued' as const, bridge })),
    left.promise.then(() => ({ kind: 'leave' as const })),
    whenAborted(signal).then(() => ({ kind: 'aborted' as const })),
  ]);
  waitCtrl.abort();
  leg.queueMember = undefined;
  let result: 'bridged' | 'hangup' | 'leave';
  if (first.kind === 'dequeued') {
    // The dequeuer removed us from the queue and posted the `leave` event.
    result = 'bridged';
    await Promise.race([first.bridge.ended, whenAborted(signal)]);
    first.bridge.end(leg);
  } else {
    const remaining = engine.queues.remove(member) ?? engine.queues.length(verb.name);
    engine.queueEvent(leg, {
      event: 'leave',
      queue: verb.name,
      length: remaining,
      leaveReason: 'abandoned',
      leaveTime: Date.now(),
    });
    result = first.kind === 'leave' ? 'leave' : 'hangup';
  }
  return performAction(engine, leg, verb.actionHook, { queueSid, queueTime: queueTime(), queueResult: result }, signal);
}

/** FS dequeue.js: 1 s initial sleep, poll every 5 s, optional callSid, bridge until one side leaves. */
async function execDequeue(
  engine: Engine,
  leg: SimLeg,
  verb: DequeueVerb,
  signal: AbortSignal,
): Promise<Verb[] | undefined> {
  leg.answer();
  const searchCtrl = childController(signal);
  const cancelTimer =
    verb.timeout && verb.timeout > 0
      ? engine.clock.after(verb.timeout * 1000, () => searchCtrl.abort())
      : () => undefined;
  let member = undefined as ReturnType<Engine['queues']['find']>;
  if (await engine.clock.sleep(1000, searchCtrl.signal)) {
    for (;;) {
      member = engine.queues.find(verb.name, verb.callSid);
      if (member) break;
      if (!(await engine.clock.sleep(5000, searchCtrl.signal))) break;
    }
  }
  cancelTimer();
  if (signal.aborted) return undefined;
  if (!member) return performAction(engine, leg, verb.actionHook, { dequeueResult: 'timeout' }, signal);

  const remaining = engine.queues.remove(member) ?? 0;
  const bridge = new Bridge(member.leg, leg);
  engine.queueEvent(member.leg, {
    event: 'leave',
    queue: verb.name,
    length: remaining,
    leaveReason: 'dequeued',
    leaveTime: Date.now(),
    dequeuer: leg.callInfo(),
  });
  member.onDequeued(leg, bridge);
  await Promise.race([bridge.ended, whenAborted(signal)]);
  bridge.end(leg);
  return performAction(engine, leg, verb.actionHook, { dequeueResult: 'complete' }, signal);
}

/** FS conference.js: start / join / wait for a moderator, stay until left, kicked or room end. */
async function execConference(
  engine: Engine,
  leg: SimLeg,
  verb: ConferenceVerb,
  signal: AbortSignal,
): Promise<Verb[] | undefined> {
  leg.answer();
  let room = engine.conferences.get(verb.name);
  if (!room) {
    if (verb.startConferenceOnEnter === false) {
      const waitCtrl = childController(signal);
      if (verb.waitHook) {
        engine.spawn(promptHookLoop(engine, leg, verb.waitHook, 750, waitCtrl.signal, 'conference waitHook'), leg.sid);
      }
      const started = await engine.conferences.waitForStart(verb.name, signal);
      waitCtrl.abort();
      room = engine.conferences.get(verb.name);
      if (!started || !room) return performAction(engine, leg, verb.actionHook, {}, signal);
    } else {
      room = engine.conferences.start(verb.name, leg, verb);
    }
  }
  if (verb.enterHook) {
    const res = await engine.webhooks.send('action', verb.enterHook, leg.callInfo(), leg.hookCtx(signal));
    if (res.ok)
      await runPromptVerbs(
        engine,
        leg,
        res.verbs.filter((v) => ['say', 'play', 'pause'].includes(v.verb)),
        signal,
      );
    if (signal.aborted || leg.gone) return undefined;
  }
  const member = engine.conferences.join(room, leg, verb);
  if (!member) {
    engine.alert(leg.sid, `conference ${verb.name} is full (maxParticipants ${String(room.maxParticipants)})`);
    return performAction(engine, leg, verb.actionHook, {}, signal);
  }
  const reason = await Promise.race([member.left.promise, whenAborted(signal).then(() => 'aborted' as const)]);
  if (reason === 'aborted') engine.conferences.leave(member, 'left');
  return performAction(engine, leg, verb.actionHook, {}, signal);
}

/** A waitHook loop that plays say/play/pause responses until aborted or an empty answer. */
async function promptHookLoop(
  engine: Engine,
  leg: SimLeg,
  hook: Hook,
  silenceMs: number,
  signal: AbortSignal,
  what: string,
): Promise<void> {
  while (!signal.aborted && !leg.gone) {
    if (!(await engine.clock.sleep(silenceMs, signal))) return;
    const res = await engine.webhooks.send('action', hook, leg.callInfo(), leg.hookCtx(signal));
    if (signal.aborted || !res.ok || res.verbs.length === 0) return;
    const bad = res.verbs.find((v) => !['say', 'play', 'pause'].includes(v.verb));
    if (bad) {
      engine.alert(leg.sid, `unsupported verb in ${what}: ${bad.verb} (only say, play, pause)`);
      return;
    }
    if ((await runPromptVerbs(engine, leg, res.verbs, signal)) !== 'done') return;
  }
}

/** FS dial.js subset: ring targets in parallel, first answer wins, bridge, actionHook. */
async function execDial(engine: Engine, leg: SimLeg, verb: DialVerb, signal: AbortSignal): Promise<Verb[] | undefined> {
  if (!verb.answerOnBridge) leg.answer();
  for (const opt of [
    'confirmHook',
    'dtmfCapture',
    'dtmfHook',
    'referHook',
    'onHoldHook',
    'amd',
    'transcribe',
    'dub',
  ] as const) {
    if ((verb as unknown as Record<string, unknown>)[opt] !== undefined) engine.unsupported(leg.sid, `dial.${opt}`);
  }
  const task = leg.current;
  const dialState: DialState = {};
  if (task) task.dial = dialState;
  const seen = new Set<string>();
  const targets: DialTarget[] = [];
  for (const t of verb.target) {
    const key = JSON.stringify([t.type, t.number ?? t.name ?? t.sipUri]);
    if (!seen.has(key) && targets.length < 10) {
      seen.add(key);
      targets.push(t);
    }
  }
  const ringSecs = verb.timeout ?? 60;
  const children = targets.map((target) => ({ target, child: engine.createChildLeg(leg, target, verb) }));
  const winner = deferred<SimLeg | undefined>();
  const ringCtrls = children.map(() => childController(signal));
  let pending = children.length;
  children.forEach(({ target, child }, i) => {
    const ctrl = ringCtrls[i] as AbortController;
    const ringing = engine.ring(child, target, ringSecs, ctrl.signal, verb.headers).then((outcome) => {
      pending--;
      if (outcome === 'answered') {
        if (!winner.settled && !signal.aborted) {
          winner.resolve(child);
          ringCtrls.forEach((c, j) => j !== i && c.abort());
        } else {
          child.release('jambonz');
        }
      }
      if (pending === 0) winner.resolve(undefined);
    });
    engine.spawn(ringing, child.sid);
  });
  if (children.length === 0) winner.resolve(undefined);
  // dialMusic: FS plays the URL to the caller (looped) instead of ringback while the targets ring.
  const musicCtrl = childController(signal);
  if (verb.dialMusic && children.length > 0) {
    leg.answer();
    engine.spawn(playUrls(engine, leg, { url: verb.dialMusic, loop: 'forever' }, musicCtrl.signal), leg.sid);
  }
  const child = await Promise.race([winner.promise, whenAborted(signal).then(() => undefined)]);
  musicCtrl.abort();
  const last = children[children.length - 1]?.child;

  if (!child) {
    ringCtrls.forEach((c) => c.abort());
    const statuses = children.map((c) => c.child.status);
    const status = statuses.includes('busy') ? 'busy' : statuses.includes('no-answer') ? 'no-answer' : 'failed';
    const sip = children.find((c) => c.child.status === status)?.child.sipStatus ?? 480;
    return performAction(
      engine,
      leg,
      verb.actionHook,
      {
        dialCallStatus: signal.aborted ? (last?.status ?? status) : status,
        dialSipStatus: sip,
        ...(last ? { dialCallSid: last.sid, dialSbcCallid: last.sbcCallid } : {}),
      },
      signal,
    );
  }

  leg.answer(); // answerOnBridge: the A-leg is answered when the B-leg answers
  dialState.child = child;
  const bridge = new Bridge(leg, child);
  if (verb.listen) {
    dialState.fork = engine.startFork(leg, verb.listen, 'dial', signal);
  }
  const timeLimitCtrl = childController(signal);
  const limit =
    verb.timeLimit && verb.timeLimit > 0 ? engine.clock.sleep(verb.timeLimit * 1000, timeLimitCtrl.signal) : undefined;
  const ended = await Promise.race([
    bridge.ended.then(() => 'bridge' as const),
    whenAborted(signal).then(() => 'killed' as const),
    ...(limit ? [limit.then((ok) => (ok ? ('limit' as const) : ('killed' as const)))] : []),
  ]);
  timeLimitCtrl.abort();
  const fork: AudioFork | undefined = dialState.fork;
  if (fork) await fork.stop();
  bridge.end(leg);
  if (ended !== 'bridge' && !dialState.adultChild) child.release('jambonz');
  return performAction(
    engine,
    leg,
    verb.actionHook,
    {
      dialCallStatus: 'completed',
      dialSipStatus: 200,
      dialCallSid: child.sid,
      dialSbcCallid: child.sbcCallid,
    },
    signal,
  );
}

/** FS listen.js: blocking audio fork; ends on maxLength, finishOnKey, socket close or kill. */
async function execListen(
  engine: Engine,
  leg: SimLeg,
  verb: ListenVerb,
  signal: AbortSignal,
): Promise<Verb[] | undefined> {
  leg.answer();
  // playBeep: FS plays a short tone before it starts forking, so the beep is not recorded.
  if (verb.playBeep) {
    leg.hear(BEEP_TONE);
    if (!(await engine.clock.sleep(BEEP_MS, signal))) return undefined;
  }
  const fork = engine.startFork(leg, verb, 'listen', signal);
  if (!fork) return undefined;
  if (leg.current) leg.current.fork = fork;
  const finished = deferred<string | undefined>();
  if (verb.finishOnKey) {
    leg.setDtmfHandler((d) => {
      if (d === verb.finishOnKey) finished.resolve(d);
    });
  }
  const limitCtrl = childController(signal);
  const waits: Array<Promise<unknown>> = [fork.ended, finished.promise, whenAborted(signal)];
  if (verb.maxLength && verb.maxLength > 0) waits.push(engine.clock.sleep(verb.maxLength * 1000, limitCtrl.signal));
  await Promise.race(waits);
  limitCtrl.abort();
  leg.setDtmfHandler(undefined);
  await fork.stop();
  const digits = finished.settled ? await finished.promise : undefined;
  return performAction(engine, leg, verb.actionHook, digits ? { digits } : {}, signal);
}

/** `config`: background listen start/stop; other session settings are accepted and ignored. */
function execConfig(engine: Engine, leg: SimLeg, verb: ConfigVerb): void {
  if (verb.bargeIn) engine.unsupported(leg.sid, 'config.bargeIn');
  if (verb.record) engine.unsupported(leg.sid, 'config.record');
  const listen = verb.listen;
  if (!listen) return;
  if (listen.enable) {
    if (!listen.url) {
      engine.alert(leg.sid, 'config.listen enable:true requires a url');
      return;
    }
    const running = leg.backgroundFork?.record.state;
    if (running === 'connecting' || running === 'open') {
      // FS config.js: a background listen already runs on this leg, so this one is skipped
      // (not restarted); the first fork keeps its URL and metadata.
      engine.debug('config.listen skipped: a background listen is already running', { callSid: leg.sid });
      return;
    }
    leg.backgroundFork = engine.startFork(leg, { ...listen, url: listen.url }, 'config', leg.sessionCtrl.signal);
  } else if (leg.backgroundFork) {
    void leg.backgroundFork.stop();
    leg.backgroundFork = undefined;
  }
}
