import { createHmac } from 'node:crypto';
import type Router from '@koa/router';
import {
  createError,
  type AppContext,
  type CallAction,
  type InstalledTelephony,
  type LegContext,
  type LegStatus,
  type TelephonyAdapter,
  type TelephonyContext,
  type TelephonyPort,
} from '@switchboard/core';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  CallHookPayloadSchema,
  CallInfoPayloadSchema,
  CallStatusPayloadSchema,
  DialActionPayloadSchema,
  EnqueueActionPayloadSchema,
  EnqueueWaitPayloadSchema,
  GatherActionPayloadSchema,
  JambonzApiError,
  JambonzRestClient,
  QueueEventPayloadSchema,
  hangup,
  pause,
  play,
  say,
  tag,
  validateVerbs,
  verifySignature,
  type SpeechSettings,
  type Verb,
} from '../protocol/index.js';
import { JambonzSimulator } from '../simulator/index.js';
import { createAudioForkHandler } from './audio-fork.js';
import { mountSimulatorDemoRoutes } from './demo-routes.js';
import { HOOKS, toVerbs, type VerbContext } from './to-verbs.js';

/** Options of {@link jambonz}. Secrets come from the environment via `plugins.config.ts`. */
export interface JambonzOptions {
  /** REST base such as `https://jz.example.com/v1`, or `'simulator'` for the built-in fake. */
  apiBaseUrl: string;
  accountSid?: string;
  apiKey?: string;
  /** The account's webhook secret: every webhook must carry a valid `Jambonz-Signature`. */
  webhookSecret: string;
  /** SIP realm of the account; WebRTC agents register as `<user>@<realm>`. */
  sipRealm?: string;
  /** Speech defaults required by the REST API when creating calls without an application. */
  speech?: Partial<SpeechSettings>;
  /** Recording sample rate (8000 for telephone audio). */
  recordingSampleRate?: number;
  /** Simulator options (simulator mode only). */
  simulator?: { timeScale?: number; requireClientCredentials?: boolean };
  /** WSS URL of the SBC softphones register to (default `wss://<sipRealm>:8443`, research §4.8). */
  softphoneWsUrl?: string;
}

const legContextSchema = z.object({
  sessionId: z.uuid(),
  tenantId: z.uuid(),
  role: z.enum(['customer', 'agent', 'external', 'supervisor']),
  offerId: z.uuid().optional(),
  legId: z.uuid().optional(),
});

/** Hold music as core hands it over, carried in the wait_hook's query (`m`, base64url JSON). */
const holdMusicSchema = z
  .array(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('say'), text: z.string().min(1).max(2000) }),
      z.object({ kind: z.literal('play'), url: z.url() }),
    ]),
  )
  .max(10);

const DEFAULT_SPEECH: SpeechSettings = {
  speech_synthesis_vendor: 'google',
  speech_synthesis_language: 'en-US',
  speech_synthesis_voice: 'en-US-Standard-C',
  speech_recognizer_vendor: 'google',
  speech_recognizer_language: 'en-US',
};

/** Verbs when core fails on the initial hook: apologise and end, never leave the caller hanging. */
const FALLBACK_INITIAL: Verb[] = [say('Sorry, we cannot take your call right now. Please try again later.'), hangup()];

function legContextOf(customerData: unknown): LegContext | undefined {
  const parsed = legContextSchema.safeParse(customerData);
  return parsed.success ? parsed.data : undefined;
}

function legStatusOf(callStatus: string): LegStatus | undefined {
  switch (callStatus) {
    case 'trying':
    case 'ringing':
    case 'early-media':
      return 'ringing';
    case 'in-progress':
      return 'answered';
    case 'completed':
    case 'no-answer':
    case 'busy':
    case 'failed':
      return callStatus;
    default:
      return undefined;
  }
}

/**
 * The jambonz telephony adapter (`telephony: jambonz({...})` in `plugins.config.ts`): signed
 * webhook routes under `/jambonz/`, REST call control, and the audio-fork recorder. With
 * `apiBaseUrl: 'simulator'` it starts the built-in simulator instead of talking to a server.
 */
export function jambonz(opts: JambonzOptions): TelephonyAdapter {
  if (!opts.webhookSecret)
    throw createError('config_invalid', 'Invalid configuration:\n  telephony.webhookSecret: required');
  return {
    name: 'jambonz',
    rawBodyPrefixes: ['/jambonz/'],
    install: (ctx) => install(opts, ctx),
  };
}

async function install(opts: JambonzOptions, ctx: TelephonyContext): Promise<InstalledTelephony> {
  const log = ctx.logger;
  const simulated = opts.apiBaseUrl === 'simulator';
  const sipRealm = opts.sipRealm ?? 'sip.switchboard.local';
  const sim = simulated
    ? await JambonzSimulator.start({
        webhookSecret: opts.webhookSecret,
        sipRealm,
        logger: log.child({ component: 'simulator' }),
        ...(opts.simulator?.timeScale !== undefined ? { timeScale: opts.simulator.timeScale } : {}),
        ...(opts.simulator?.requireClientCredentials ? { requireClientCredentials: true } : {}),
      })
    : undefined;
  const baseUrl = sim ? sim.apiBaseUrl : opts.apiBaseUrl;
  const accountSid = sim ? sim.accountSid : opts.accountSid;
  const apiKey = sim ? sim.apiKey : opts.apiKey;
  if (!accountSid || !apiKey) {
    throw createError(
      'config_invalid',
      'Invalid configuration:\n  telephony: accountSid and apiKey are required with a real jambonz',
    );
  }
  const rest = new JambonzRestClient({ baseUrl, accountSid, apiKey });
  const speech: SpeechSettings = { ...DEFAULT_SPEECH, ...opts.speech };
  // Audio forks authenticate with Basic auth derived from the webhook secret: jambonz sends
  // `wsAuth` but signs nothing on WebSockets.
  const audioAuth = {
    username: 'jambonz',
    password: createHmac('sha256', opts.webhookSecret).update('audio-fork').digest('base64url'),
  };
  const abs = (path: string) => `${ctx.publicUrl().replace(/\/+$/, '')}${path}`;
  const verbContext = (): VerbContext => ({
    audioUrl: abs(HOOKS.audio).replace(/^http/, 'ws'),
    audioAuth,
    sampleRate: opts.recordingSampleRate ?? 8000,
  });

  mountRoutes(ctx.router, { secret: opts.webhookSecret, flow: ctx.callFlow, log, verbContext });
  if (sim) mountSimulatorDemoRoutes(ctx.router, { simulator: sim, logger: log.child({ component: 'simulator-demo' }) });
  const audioFork = createAudioForkHandler({
    recordings: ctx.recordings,
    sessionTenant: ctx.sessionTenant,
    background: ctx.background,
    logger: log.child({ component: 'audio-fork' }),
    auth: audioAuth,
  });
  ctx.upgrade(HOOKS.audio, audioFork);

  /** A device as a jambonz call target: a registered WebRTC user (in our realm) or a phone. */
  const target = (device: Parameters<TelephonyPort['ringAgent']>[0]['device']) =>
    device.type === 'webrtc'
      ? {
          type: 'user' as const,
          name: device.user.includes('@') ? device.user : `${device.user}@${sipRealm}`,
        }
      : { type: 'phone' as const, number: device.number };

  const port: TelephonyPort = {
    async ringAgent(req) {
      const to = target(req.device);
      const { sid } = await rest.createCall({
        from: req.callerId,
        to,
        call_hook: abs(HOOKS.agent),
        call_status_hook: abs(HOOKS.status),
        timeout: req.ringTimeoutSeconds,
        tag: { ...req.context },
        // IN-03: the de-facto auto-answer request softphones and desk phones honour.
        ...(req.autoAnswer && req.device.type === 'webrtc'
          ? { headers: { 'Call-Info': `<sip:${sipRealm}>;answer-after=0` } }
          : {}),
        ...speech,
      });
      return { callSid: sid };
    },
    async provisionClient(client) {
      const body = {
        username: client.username,
        password: client.password,
        is_active: client.active,
        // Softphones only receive calls; they never dial the app, queues or users directly.
        allow_direct_app_calling: false,
        allow_direct_queue_calling: false,
        allow_direct_user_calling: false,
      };
      if (client.clientSid) {
        try {
          await rest.updateClient(client.clientSid, body);
          return { clientSid: client.clientSid };
        } catch (err) {
          // Deleted on the jambonz side meanwhile: create it again below.
          if (!(err instanceof JambonzApiError && err.status === 404)) throw err;
        }
      }
      return { clientSid: await rest.createClient(body) };
    },
    async removeClient(clientSid) {
      await rest.deleteClient(clientSid).catch((err: unknown) => {
        if (!(err instanceof JambonzApiError && err.status === 404)) throw err;
      });
    },
    async isRegistered(user) {
      // One user's status, rather than listing every registration of the account per ring.
      return rest.isSipUserRegistered(user.split('@')[0] as string);
    },
    softphoneEndpoint() {
      return { realm: sipRealm, wsServer: opts.softphoneWsUrl ?? `wss://${sipRealm}:8443` };
    },
    async moveToRoom(callSid) {
      await rest.updateCall(callSid, { call_hook: abs(HOOKS.room) });
    },
    async redirect(callSid) {
      // The leg keeps its tag, so the redirect hook knows the session and the role.
      await rest.updateCall(callSid, { call_hook: abs(HOOKS.redirect) });
    },
    async hangup(callSid) {
      try {
        await rest.updateCall(callSid, { call_status: 'completed' });
      } catch (err) {
        if (err instanceof JambonzApiError && err.status === 404) return;
        // 422: the leg is not answered yet — cancel the ringing instead.
        if (err instanceof JambonzApiError && err.status === 422) {
          await rest.updateCall(callSid, { call_status: 'no-answer' }).catch((e: unknown) => {
            if (!(e instanceof JambonzApiError && (e.status === 404 || e.status === 422))) throw e;
          });
          return;
        }
        throw err;
      }
    },
    async memberAction(callSid, action, actionOpts) {
      // Per member, always: `conf_mute_status` would mute every non-moderator (research §4.5).
      if (action !== 'hold') {
        await rest.updateCall(callSid, { conferenceParticipantAction: { action } });
        return;
      }
      const music = Buffer.from(JSON.stringify(actionOpts?.holdMusic ?? [])).toString('base64url');
      await rest.updateCall(callSid, {
        conferenceParticipantAction: { action: 'hold', wait_hook: `${abs(HOOKS.hold)}?m=${music}` },
      });
    },
    async sendDtmf(callSid, digits) {
      // One digit per request: the REST body carries a single `digit`.
      for (const digit of digits) await rest.updateCall(callSid, { dtmf: { digit } });
    },
    async placeCall(req) {
      const to = target(req.device);
      // Answered legs ask the redirect hook what to do: core decides from the leg's row.
      const { sid } = await rest.createCall({
        from: req.callerId,
        to,
        call_hook: abs(HOOKS.redirect),
        call_status_hook: abs(HOOKS.status),
        timeout: req.timeoutSeconds,
        tag: { ...req.context },
        ...speech,
      });
      return { callSid: sid };
    },
    async isAlive(callSid) {
      const call = await rest.getCall(callSid);
      return (
        call !== null &&
        call.call_status !== 'completed' &&
        call.call_status !== 'failed' &&
        call.call_status !== 'no-answer' &&
        call.call_status !== 'busy'
      );
    },
  };

  return {
    port,
    async started() {
      sim?.setApplication({
        callHook: abs(HOOKS.call),
        statusHook: abs(HOOKS.status),
        queueEventHook: abs(HOOKS.queueEvent),
      });
    },
    async stop() {
      // Open forks would keep the HTTP server from closing; their recordings are finished.
      await audioFork.close();
      await sim?.stop();
    },
    ...(sim ? { extra: { simulator: sim } } : {}),
  };
}

interface RouteDeps {
  secret: string;
  flow: TelephonyContext['callFlow'];
  log: Logger;
  verbContext: () => VerbContext;
}

/**
 * The webhook routes. Each one verifies the signature on the raw body first (403 otherwise),
 * then parses the payload, asks core, and answers with a validated verb array. A failure in core
 * never reaches jambonz as a 500 (which would drop the call): it answers a safe fallback.
 */
function mountRoutes(router: Router, d: RouteDeps): void {
  const hook =
    <T extends z.ZodType>(
      schema: T,
      run: (payload: z.output<T>, ctx: AppContext) => Promise<CallAction[] | Verb[] | null>,
      fallback: Verb[],
    ) =>
    async (ctx: AppContext) => {
      ctx.state.routePath = ctx.path;
      const raw = ctx.request.rawBody ?? Buffer.alloc(0);
      if (!verifySignature(ctx.get('jambonz-signature') || undefined, raw, d.secret)) {
        throw createError('webhook_signature_invalid');
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8') || '{}');
      } catch (err) {
        throw createError('malformed_json', undefined, { cause: err });
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        throw createError('validation_failed', 'Unexpected jambonz payload', {
          details: parsed.error.issues.slice(0, 10),
        });
      }
      let verbs: Verb[];
      try {
        const out = await run(parsed.data, ctx);
        verbs = out === null ? [] : isVerbs(out) ? out : toVerbs(out, d.verbContext());
        validateVerbs(verbs);
      } catch (err) {
        ctx.state.log.error({ err, path: ctx.path }, 'jambonz webhook failed; answering the fallback');
        verbs = fallback;
      }
      ctx.status = 200;
      ctx.body = verbs;
    };

  /**
   * A hook of a leg we tagged: the leg's context from `customerData` (hang up without one), the
   * `step` query parameter when the action names one, and a hang-up if core fails.
   */
  const legHook = <T extends z.ZodType<{ customerData?: unknown }>>(
    schema: T,
    run: (leg: LegContext, payload: z.output<T>, step: string) => Promise<CallAction[] | Verb[]>,
  ) =>
    hook(
      schema,
      async (p, ctx) => {
        const leg = legContextOf(p.customerData);
        if (!leg) return [hangup()];
        return run(leg, p, typeof ctx.query.step === 'string' ? ctx.query.step : '');
      },
      [hangup()],
    );

  router.post(
    HOOKS.call,
    hook(
      CallHookPayloadSchema,
      async (p) => {
        const res = await d.flow.onInboundCall({
          callSid: p.call_sid,
          from: p.from,
          to: p.to,
          extras: { sipCallId: p.call_id, trunk: p.originating_sip_trunk_name, callerName: p.caller_name },
        });
        const verbs = toVerbs(res.actions, d.verbContext());
        // The tag travels back as `customerData` on every later hook of this leg.
        return res.context ? [tag({ ...res.context }), ...verbs] : verbs;
      },
      FALLBACK_INITIAL,
    ),
  );

  router.post(
    HOOKS.status,
    hook(
      CallStatusPayloadSchema,
      async (p) => {
        const status = legStatusOf(p.call_status);
        if (status) {
          const hungUpBy =
            p.call_termination_by === 'caller' ? 'caller' : p.call_termination_by === 'jambonz' ? 'system' : undefined;
          await d.flow.onLegStatus(legContextOf(p.customerData), {
            callSid: p.call_sid,
            status,
            ...(hungUpBy ? { hungUpBy } : {}),
            ...(p.sip_status ? { sipStatus: p.sip_status } : {}),
          });
        }
        return null;
      },
      [],
    ),
  );

  router.post(
    HOOKS.ivr,
    legHook(GatherActionPayloadSchema, (leg, p, step) =>
      d.flow.onDigits(leg, { step, digits: p.digits ?? '', timedOut: p.reason !== 'dtmfDetected' }),
    ),
  );

  router.post(
    HOOKS.queueWait,
    hook(
      EnqueueWaitPayloadSchema,
      async (p) => {
        const leg = legContextOf(p.customerData);
        if (!leg) return [];
        return d.flow.onQueueWait(leg, { position: p.queue_position, size: p.queue_size, waitedSeconds: p.queue_time });
      },
      [],
    ),
  );

  // The enqueue ended: bridged, abandoned, or killed because we moved the caller into a room
  // (then jambonz ignores this answer). Core learns about hang-ups from the status hook.
  // `leave` is ours: the waitHook answered `leave` to ask the queue-timeout question (IVR-16).
  router.post(
    HOOKS.queueAction,
    hook(
      EnqueueActionPayloadSchema,
      async (p) => {
        if (p.queue_result !== 'leave') return null;
        const leg = legContextOf(p.customerData);
        if (!leg) return [hangup()];
        return d.flow.onQueueLeft(leg);
      },
      [hangup()],
    ),
  );

  // An external transfer's dial ended (IVR-25): `completed` = it was answered and bridged.
  router.post(
    HOOKS.dial,
    legHook(DialActionPayloadSchema, (leg, p, step) =>
      d.flow.onDialResult(leg, {
        step,
        answered: p.dial_call_status === 'completed',
        status: p.dial_call_status,
        callerGone: p.call_status !== undefined && p.call_status !== 'in-progress',
      }),
    ),
  );

  // A voicemail's `listen` ended (IVR-31): time limit, finish key or the fork closed.
  router.post(
    HOOKS.voicemail,
    legHook(CallInfoPayloadSchema, (leg, _p, step) => d.flow.onVoicemailDone(leg, { step })),
  );

  router.post(
    HOOKS.agent,
    legHook(CallHookPayloadSchema, async (leg, p) =>
      leg.role === 'agent' ? d.flow.onAgentAnswered(leg, { callSid: p.call_sid }) : [hangup()],
    ),
  );

  router.post(
    HOOKS.room,
    legHook(CallHookPayloadSchema, (leg) => d.flow.onCustomerJoinRoom(leg)),
  );

  router.post(
    HOOKS.redirect,
    legHook(CallHookPayloadSchema, (leg) => d.flow.onRedirect(leg)),
  );

  // A room ended under a leg joined with `askOnExit`: core says whether it rejoins or hangs up.
  router.post(
    HOOKS.roomExit,
    legHook(CallHookPayloadSchema, async (leg) => (d.flow.onRoomExit ? d.flow.onRoomExit(leg) : [hangup()])),
  );

  // Hold music for a member on hold (conference wait_hook): only play, say and pause may loop.
  router.post(
    HOOKS.hold,
    hook(
      CallHookPayloadSchema,
      async (_p, ctx) => {
        let music: z.output<typeof holdMusicSchema> = [];
        try {
          const raw = typeof ctx.query.m === 'string' ? ctx.query.m : '';
          music = holdMusicSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8') || '[]'));
        } catch {
          music = [];
        }
        const verbs: Verb[] = music.map((m) => (m.kind === 'say' ? say(m.text) : play(m.url)));
        return verbs.length ? verbs : [pause(10)];
      },
      [pause(10)],
    ),
  );

  // Queue membership is ours (ACD state in PostgreSQL); the account queue events are logged
  // for diagnosis only.
  router.post(
    HOOKS.queueEvent,
    hook(
      QueueEventPayloadSchema,
      async (p) => {
        d.log.debug({ event: p.event, queue: p.queue, length: p.length }, 'jambonz queue event');
        return null;
      },
      [],
    ),
  );
}

function isVerbs(x: CallAction[] | Verb[]): x is Verb[] {
  return x.length > 0 && 'verb' in (x[0] as object);
}
