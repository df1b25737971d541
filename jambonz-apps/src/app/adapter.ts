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
  CallStatusPayloadSchema,
  EnqueueActionPayloadSchema,
  EnqueueWaitPayloadSchema,
  GatherActionPayloadSchema,
  JambonzApiError,
  JambonzRestClient,
  QueueEventPayloadSchema,
  hangup,
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
  simulator?: { timeScale?: number };
}

const legContextSchema = z.object({
  sessionId: z.uuid(),
  tenantId: z.uuid(),
  role: z.enum(['customer', 'agent']),
  offerId: z.uuid().optional(),
});

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
    logger: log.child({ component: 'audio-fork' }),
    auth: audioAuth,
  });
  ctx.upgrade(HOOKS.audio, audioFork);

  const port: TelephonyPort = {
    async ringAgent(req) {
      const to =
        req.device.type === 'webrtc'
          ? {
              type: 'user' as const,
              name: req.device.user.includes('@') ? req.device.user : `${req.device.user}@${sipRealm}`,
            }
          : { type: 'phone' as const, number: req.device.number };
      const { sid } = await rest.createCall({
        from: req.callerId,
        to,
        call_hook: abs(HOOKS.agent),
        call_status_hook: abs(HOOKS.status),
        timeout: req.ringTimeoutSeconds,
        tag: { ...req.context },
        ...speech,
      });
      return { callSid: sid };
    },
    async moveToRoom(callSid) {
      await rest.updateCall(callSid, { call_hook: abs(HOOKS.room) });
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
    hook(
      GatherActionPayloadSchema,
      async (p, ctx) => {
        const leg = legContextOf(p.customerData);
        if (!leg) return [hangup()];
        const step = typeof ctx.query.step === 'string' ? ctx.query.step : '';
        return d.flow.onDigits(leg, { step, digits: p.digits ?? '', timedOut: p.reason !== 'dtmfDetected' });
      },
      [hangup()],
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
  router.post(
    HOOKS.queueAction,
    hook(EnqueueActionPayloadSchema, async () => null, []),
  );

  router.post(
    HOOKS.agent,
    hook(
      CallHookPayloadSchema,
      async (p) => {
        const leg = legContextOf(p.customerData);
        if (!leg || leg.role !== 'agent') return [hangup()];
        return d.flow.onAgentAnswered(leg, { callSid: p.call_sid });
      },
      [hangup()],
    ),
  );

  router.post(
    HOOKS.room,
    hook(
      CallHookPayloadSchema,
      async (p) => {
        const leg = legContextOf(p.customerData);
        if (!leg) return [hangup()];
        return d.flow.onCustomerJoinRoom(leg);
      },
      [hangup()],
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
