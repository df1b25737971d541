import { createHmac } from 'node:crypto';
import type Router from '@koa/router';
import {
  ProviderUnavailableError,
  createError,
  type AppContext,
  type CallAction,
  type InstalledTelephony,
  type LegContext,
  type LegStatus,
  type LivenessHint,
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
  JambonzCallStateError,
  JambonzNoCapacityError,
  JambonzRestClient,
  JambonzServerError,
  QueueEventPayloadSchema,
  hangup,
  pause,
  play,
  redirect,
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
  /**
   * Time budget of every webhook answer in ms (default 2000). Past it the hook answers its safe
   * fallback (waitHook: keep waiting; call hooks: apology and hang-up; status hooks: 204) while
   * the late work finishes in the background; counted in `switchboard_webhook_deadline_total`.
   */
  webhookBudgetMs?: number;
  /**
   * Seconds after a leg's last status change at which jambonz forgets its call record (Redis
   * expiry; `GET /Calls/{sid}` then answers 404 for a live call). Default 3600, the shortest
   * expiry jambonz uses. The reaper does not trust a 404 past it.
   */
  callRecordTtlSeconds?: number;
  /**
   * Longest call the reaper keeps alive on the word of the status hooks alone once jambonz's
   * record expired and no room vouches for it (default 4 h).
   */
  maxUnverifiedCallSeconds?: number;
  /**
   * Set when the cluster has a single feature server: recordings (`config.listen`) cannot then
   * be cut by a REFER to another server, and the health warning about it is left out.
   */
  singleFeatureServer?: boolean;
}

/** Default of {@link JambonzOptions.webhookBudgetMs}. */
export const DEFAULT_WEBHOOK_BUDGET_MS = 2000;

/** The health warning about recordings in clusters with several feature servers. */
export const RECORDING_REFER_WARNING =
  'recordings (config.listen) stop when jambonz moves a call to another feature server (REFER in a ' +
  'multi-server cluster), and a second config.listen on a leg is skipped while one runs; set ' +
  'JAMBONZ_SINGLE_FEATURE_SERVER=1 when the cluster has one feature server';

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

/** Verbs when core does not answer an action hook in time: apologise and end the leg. */
const FALLBACK_LATE: Verb[] = [say('Sorry, something went wrong. Please call again.'), hangup()];

/**
 * Verbs when core does not answer a leg's new application (agent answered, move into the room,
 * redirect) in time: its work still lands (an accepted offer, a bridged session), so the leg
 * waits a second and asks again through the redirect hook, which answers from the stored state.
 */
const ASK_AGAIN: Verb[] = [pause(1), redirect(HOOKS.redirect)];

/**
 * The waitHook's answer when core has nothing (or is late, or failed): keep the caller waiting.
 * Never `[]`: an empty answer ends jambonz's wait loop for good, so the caller would wait in
 * silence and the queue timeout (IVR-16) could never fire. jambonz asks again after the pause.
 */
const KEEP_WAITING: Verb[] = [pause(5)];

/** Rank of a call status in a leg's life: a status hook never moves a leg back. */
const STATUS_RANK: Record<string, number> = {
  trying: 0,
  queued: 0,
  ringing: 1,
  'early-media': 2,
  'in-progress': 3,
  completed: 4,
  failed: 4,
  busy: 4,
  'no-answer': 4,
};
const FINAL_RANK = 4;

/**
 * The last status each leg reported through the status hook (this instance only), bounded:
 * drops statuses that arrive after a later one, and tells the reaper how old a leg's last status
 * change is, i.e. whether jambonz may have forgotten the call record.
 */
class LegStatusMemory {
  private readonly legs = new Map<string, { rank: number; at: number }>();
  constructor(private readonly max = 20_000) {}

  /** Records `status`; false when the leg already reported a later one (out of order). */
  accept(callSid: string, status: string, now = Date.now()): boolean {
    const rank = STATUS_RANK[status] ?? 0;
    const prev = this.legs.get(callSid);
    if (prev && (rank < prev.rank || prev.rank === FINAL_RANK)) return false;
    this.legs.delete(callSid); // re-insert: the Map's order is the eviction order
    this.legs.set(callSid, { rank, at: now });
    if (this.legs.size > this.max) this.legs.delete(this.legs.keys().next().value as string);
    return true;
  }

  get(callSid: string): { final: boolean; at: number } | undefined {
    const e = this.legs.get(callSid);
    return e ? { final: e.rank === FINAL_RANK, at: e.at } : undefined;
  }
}

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
  const budgetMs = opts.webhookBudgetMs ?? DEFAULT_WEBHOOK_BUDGET_MS;
  if (!Number.isInteger(budgetMs) || budgetMs < 100 || budgetMs > 120_000) {
    throw createError(
      'config_invalid',
      'Invalid configuration:\n  telephony.webhookBudgetMs: an integer from 100 to 120000 (ms)',
    );
  }
  if (budgetMs > 9000) {
    // jambonz gives up after 10 s: past that the budget never answers first. Only a simulator
    // with a longer webhook timeout (load tests) has a use for it.
    log.warn({ budgetMs }, 'telephony.webhookBudgetMs is past jambonz’s 10 s webhook timeout');
  }
  for (const [key, v] of [
    ['callRecordTtlSeconds', opts.callRecordTtlSeconds],
    ['maxUnverifiedCallSeconds', opts.maxUnverifiedCallSeconds],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1))
      throw createError(
        'config_invalid',
        `Invalid configuration:\n  telephony.${key}: a whole number of seconds, at least 1`,
      );
  }
  const recordTtlMs = (opts.callRecordTtlSeconds ?? 3600) * 1000;
  const maxUnverifiedMs = (opts.maxUnverifiedCallSeconds ?? 4 * 3600) * 1000;
  const statuses = new LegStatusMemory();
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

  mountRoutes(ctx.router, {
    secret: opts.webhookSecret,
    flow: ctx.callFlow,
    log,
    verbContext,
    budgetMs,
    statuses,
    onDeadline: (name) => ctx.metrics?.webhookDeadline(name),
  });
  // A real cluster may move a call between feature servers; the background recording fork does
  // not follow (jambonz 0.9). Said once at start and in /readyz, as a known limit.
  const warnings = !simulated && !opts.singleFeatureServer ? [RECORDING_REFER_WARNING] : [];
  for (const w of warnings) log.warn(w);
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

  /** `POST /Calls` with jambonz's capacity and server failures named in the error. */
  const createCall = async (body: Parameters<JambonzRestClient['createCall']>[0]) => {
    try {
      return await rest.createCall(body);
    } catch (err) {
      // The caller (ACD, live call control) treats it as a failed ring/placement and carries on;
      // the message says why in the log.
      if (err instanceof JambonzNoCapacityError)
        throw new ProviderUnavailableError('jambonz has no feature server free to place the call (480)', {
          cause: err,
        });
      if (err instanceof JambonzServerError)
        throw new ProviderUnavailableError(`jambonz failed to place the call (${err.status})`, { cause: err });
      throw err;
    }
  };

  const port: TelephonyPort = {
    async ringAgent(req) {
      const to = target(req.device);
      const { sid } = await createCall({
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
      return {
        realm: sipRealm,
        wsServer: opts.softphoneWsUrl ?? `wss://${sipRealm}:8443`,
        ...(simulated ? { simulated: true } : {}),
      };
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
        // 404: unknown, or a record that expired (a live call an hour after its last status
        // change — nothing more can be done through the API then).
        if (err instanceof JambonzApiError && err.status === 404) return;
        // 422: the leg is not answered yet — cancel the ringing instead; a second 422 means it
        // has ended already (jambonz keeps ended calls' records for a while).
        if (err instanceof JambonzCallStateError) {
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
      const { sid } = await createCall({
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
    async isAlive(callSid, hint) {
      const call = await rest.getCall(callSid);
      if (call !== null) {
        return (
          call.call_status !== 'completed' &&
          call.call_status !== 'failed' &&
          call.call_status !== 'no-answer' &&
          call.call_status !== 'busy'
        );
      }
      return aliveDespite404(callSid, hint);
    },
  };

  /**
   * `GET /Calls/{sid}` said 404. jambonz drops a call's record an hour after the leg's last
   * status change (conference members are not refreshed), so a 404 proves the leg ended only
   * while its last status change is younger than that. Past it, the room and the status hooks
   * decide: a live room vouches for its members; a leg whose last status was not final is kept
   * up to {@link JambonzOptions.maxUnverifiedCallSeconds}.
   */
  const aliveDespite404 = async (callSid: string, hint: LivenessHint | undefined): Promise<boolean> => {
    const now = Date.now();
    const known = statuses.get(callSid);
    if (known?.final) return false;
    // The newest status change we can vouch for: our own record of it, else the session start.
    const lastChange = known?.at ?? hint?.startedAt?.getTime();
    if (lastChange === undefined || now - lastChange < recordTtlMs) return false;
    if (hint?.room) {
      const rooms = await rest.listConferences();
      if (rooms.includes(hint.room)) {
        log.info({ callSid, room: hint.room }, 'call record expired at jambonz; its room is live, call kept');
        return true;
      }
    }
    if (now - lastChange < maxUnverifiedMs) {
      log.warn(
        { callSid, lastStatusChange: new Date(lastChange).toISOString() },
        'call record expired at jambonz and no room vouches for it; kept on the status hooks’ word',
      );
      return true;
    }
    return false;
  };

  return {
    port,
    health: () => ({ warnings }),
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
  /** Time budget of one webhook answer (ms). */
  budgetMs: number;
  statuses: LegStatusMemory;
  /** Counts a hook that answered its fallback because core was late. */
  onDeadline(hook: string): void;
}

/** The outcome of racing core's work against the webhook budget. */
type Raced<T> = { late: false; value: T } | { late: true };

/**
 * Resolves with the work's value, or `late` once `ms` passed. The work is never cancelled:
 * whatever it does (database writes, state changes) completes; a late failure is logged by
 * the caller's handler, never left as an unhandled rejection.
 */
async function withinBudget<T>(work: Promise<T>, ms: number): Promise<Raced<T>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Raced<T>>((resolve) => {
    timer = setTimeout(() => resolve({ late: true }), ms);
  });
  try {
    return await Promise.race([work.then((value): Raced<T> => ({ late: false, value })), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The webhook routes. Each one verifies the signature on the raw body first (403 otherwise),
 * then parses the payload, asks core, and answers with a validated verb array. A failure in core
 * never reaches jambonz as a 500 (which would drop the call): it answers a safe fallback.
 */
function mountRoutes(router: Router, d: RouteDeps): void {
  /**
   * One webhook route. `fallback` answers a failure in core; `late` (default `fallback`) answers
   * when core needs longer than the budget. `null` from `run`, or a `null` fallback, is a 204:
   * hooks whose answer jambonz ignores (status, queue events).
   */
  const hook =
    <T extends z.ZodType>(
      name: string,
      schema: T,
      run: (payload: z.output<T>, ctx: AppContext) => Promise<CallAction[] | Verb[] | null>,
      fallback: Verb[] | null,
      late: Verb[] | null = fallback,
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
      const log = ctx.state.log;
      const work = (async (): Promise<Verb[] | null> => {
        const out = await run(parsed.data, ctx);
        if (out === null) return null;
        const verbs = isVerbs(out) ? out : toVerbs(out, d.verbContext());
        validateVerbs(verbs);
        return verbs;
      })();
      let verbs: Verb[] | null;
      try {
        const raced = await withinBudget(work, d.budgetMs);
        if (raced.late) {
          d.onDeadline(name);
          log.warn(
            { hook: name, path: ctx.path, budgetMs: d.budgetMs },
            'jambonz webhook over its time budget; answering the fallback',
          );
          // The work goes on; its answer is dropped, its failure logged.
          work.then(
            () => log.info({ hook: name, path: ctx.path }, 'late jambonz webhook work finished'),
            (err: unknown) => log.error({ err, hook: name, path: ctx.path }, 'late jambonz webhook work failed'),
          );
          verbs = late;
        } else {
          verbs = raced.value;
        }
      } catch (err) {
        log.error({ err, path: ctx.path }, 'jambonz webhook failed; answering the fallback');
        verbs = fallback;
      }
      if (verbs === null) {
        ctx.status = 204;
        return;
      }
      ctx.status = 200;
      ctx.body = verbs;
    };

  /**
   * A hook of a leg we tagged: the leg's context from `customerData` (hang up without one), the
   * `step` query parameter when the action names one, and a hang-up if core fails.
   * `app`: jambonz runs the answer as the leg's new application (a call hook, a REST redirect),
   * so `[]` would end the call: it is answered as an explicit hang-up. For an action hook `[]`
   * means "carry on with the verbs after this one" and is passed through.
   */
  const legHook = <T extends z.ZodType<{ customerData?: unknown }>>(
    name: string,
    kind: 'app' | 'action',
    schema: T,
    run: (leg: LegContext, payload: z.output<T>, step: string) => Promise<CallAction[] | Verb[]>,
  ) =>
    hook(
      name,
      schema,
      async (p, ctx) => {
        const leg = legContextOf(p.customerData);
        if (!leg) return [hangup()];
        const out = await run(leg, p, typeof ctx.query.step === 'string' ? ctx.query.step : '');
        if (kind === 'app' && out.length === 0) {
          d.log.warn({ hook: name, sessionId: leg.sessionId }, 'no instructions for a leg; hanging it up');
          return [hangup()];
        }
        return out;
      },
      [hangup()],
      kind === 'app' ? ASK_AGAIN : FALLBACK_LATE,
    );

  router.post(
    HOOKS.call,
    hook(
      'call',
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
      'status',
      CallStatusPayloadSchema,
      async (p) => {
        // Statuses of one leg may arrive out of order (jambonz posts them without waiting for
        // each other): one older than what the leg already reported is dropped.
        if (!d.statuses.accept(p.call_sid, p.call_status)) {
          d.log.debug({ callSid: p.call_sid, status: p.call_status }, 'out-of-order call status dropped');
          return null;
        }
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
      null,
    ),
  );

  router.post(
    HOOKS.ivr,
    legHook('ivr', 'action', GatherActionPayloadSchema, (leg, p, step) =>
      d.flow.onDigits(leg, { step, digits: p.digits ?? '', timedOut: p.reason !== 'dtmfDetected' }),
    ),
  );

  router.post(
    HOOKS.queueWait,
    hook(
      'queue_wait',
      EnqueueWaitPayloadSchema,
      async (p) => {
        const leg = legContextOf(p.customerData);
        if (!leg) return KEEP_WAITING;
        // FS leaves out what its Redis look-ups could not find: position 0 and size 1 read as
        // "you are next", the kindest guess (and the announcement says nothing worse).
        const position = p.queue_position ?? 0;
        const size = p.queue_size ?? Math.max(position + 1, 1);
        const out = await d.flow.onQueueWait(leg, { position, size, waitedSeconds: p.queue_time });
        return out.length > 0 ? out : KEEP_WAITING;
      },
      KEEP_WAITING,
    ),
  );

  // The enqueue ended: bridged, abandoned, or killed because we moved the caller into a room
  // (then jambonz ignores this answer). Core learns about hang-ups from the status hook.
  // `leave` is ours: the waitHook answered `leave` to ask the queue-timeout question (IVR-16).
  router.post(
    HOOKS.queueAction,
    hook(
      'queue_action',
      EnqueueActionPayloadSchema,
      async (p) => {
        if (p.queue_result !== 'leave') return null;
        const leg = legContextOf(p.customerData);
        if (!leg) return [hangup()];
        return d.flow.onQueueLeft(leg);
      },
      [hangup()],
      FALLBACK_LATE,
    ),
  );

  // An external transfer's dial ended (IVR-25): `completed` = it was answered and bridged.
  // Without `dial_call_status` no INVITE went out at all: the number was not reached.
  router.post(
    HOOKS.dial,
    legHook('dial', 'action', DialActionPayloadSchema, (leg, p, step) =>
      d.flow.onDialResult(leg, {
        step,
        answered: p.dial_call_status === 'completed',
        status: p.dial_call_status ?? 'failed',
        callerGone: p.call_status !== undefined && p.call_status !== 'in-progress',
      }),
    ),
  );

  // A voicemail's `listen` ended (IVR-31): time limit, finish key or the fork closed.
  router.post(
    HOOKS.voicemail,
    legHook('voicemail', 'action', CallInfoPayloadSchema, (leg, _p, step) => d.flow.onVoicemailDone(leg, { step })),
  );

  router.post(
    HOOKS.agent,
    legHook('agent', 'app', CallHookPayloadSchema, async (leg, p) =>
      leg.role === 'agent' ? d.flow.onAgentAnswered(leg, { callSid: p.call_sid }) : [hangup()],
    ),
  );

  router.post(
    HOOKS.room,
    legHook('room', 'app', CallHookPayloadSchema, (leg) => d.flow.onCustomerJoinRoom(leg)),
  );

  router.post(
    HOOKS.redirect,
    legHook('redirect', 'app', CallHookPayloadSchema, (leg) => d.flow.onRedirect(leg)),
  );

  // A room ended under a leg joined with `askOnExit`: core says whether it rejoins or hangs up.
  router.post(
    HOOKS.roomExit,
    legHook('room_exit', 'action', CallHookPayloadSchema, async (leg) =>
      d.flow.onRoomExit ? d.flow.onRoomExit(leg) : [hangup()],
    ),
  );

  // Hold music for a member on hold (conference wait_hook): only play, say and pause may loop.
  // Unlike other hooks its body is snake-cased through and through (`customer_data`): nothing
  // here needs the leg's context, the music travels in the query.
  router.post(
    HOOKS.hold,
    hook(
      'hold',
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
      'queue_event',
      QueueEventPayloadSchema,
      async (p) => {
        d.log.debug({ event: p.event, queue: p.queue, length: p.length }, 'jambonz queue event');
        return null;
      },
      null,
    ),
  );
}

function isVerbs(x: CallAction[] | Verb[]): x is Verb[] {
  return x.length > 0 && 'verb' in (x[0] as object);
}
