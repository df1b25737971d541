import type Router from '@koa/router';
import { authorize, createError, type AppContext } from '@switchboard/core';
import type { Logger } from 'pino';
import { z } from 'zod';
import { sayDurationMs, type JambonzSimulator, type SimCall } from '../simulator/index.js';
import { mountSimulatorDeviceRoutes } from './sim-device-routes.js';

/** What {@link mountSimulatorDemoRoutes} needs. */
export interface SimulatorDemoDeps {
  simulator: JambonzSimulator;
  logger: Logger;
}

/** The demo tenant's hotline (`DEMO_NUMBER` in core's `demo/call-center.ts`). */
const DEMO_NUMBER = '4001000000';
/** Scripted calls one installation runs at once: the demo is a demo, not a load generator. */
const MAX_SCRIPTED_CALLS = 20;
/** Simulated length assumed for a `play` prompt (the simulator's default). */
const PLAY_PROMPT_MS = 3000;
/** Wall-clock polling interval of the call scripts. */
const POLL_MS = 25;
const FINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'busy', 'no-answer']);

const number = z
  .string()
  .trim()
  .regex(/^\+?[0-9]{3,20}$/, 'Digits only, optionally with a leading +');

const placeCallBody = z
  .object({
    from: number.default('13912345678'),
    to: number.default(DEMO_NUMBER),
    digits: z
      .string()
      .regex(/^[0-9*#]{0,20}$/, 'DTMF digits 0-9, * and # only')
      .default('1'),
    talkSeconds: z.number().min(0).max(3600).default(20),
  })
  .strict();

const deviceBody = z
  .object({
    user: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9._-]+$/, 'A SIP user name without the realm'),
    autoAnswerAfterSeconds: z.number().min(0).max(60).default(2),
  })
  .strict();

function parseBody<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const res = schema.safeParse(value ?? {});
  if (!res.success) {
    throw createError('validation_failed', 'Invalid body', {
      details: res.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message, code: i.code })),
    });
  }
  return res.data;
}

/** Sleeps `ms` wall-clock milliseconds. */
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Demo endpoints for simulator mode (`npm start` without a real jambonz), so a newcomer can
 * watch a call flow without a phone or a softphone. Admins only; mounted by the adapter only
 * when the simulator runs. The bodies are parsed by core (they are not under `/jambonz/`).
 *
 * - `POST /api/v1/simulator/calls` `{from?, to?, digits?, talkSeconds?}` → 202 `{callSid}`:
 *   a simulated PSTN caller rings one of the tenant's numbers, presses `digits` once the IVR
 *   menu prompt has played, and hangs up `talkSeconds` (simulated) after it is bridged to an
 *   agent (0 = the caller never hangs up).
 * - `POST /api/v1/simulator/devices` `{user, autoAnswerAfterSeconds?}` → 201: registers a
 *   simulated WebRTC device for an agent's SIP user that answers every ring by itself.
 * - `GET /api/v1/simulator/calls` → `{items}`: the simulator's live legs of the tenant.
 * - `/api/v1/simulator/devices/me…`: the signed-in agent's own manual-answer simulated softphone
 *   (see {@link mountSimulatorDeviceRoutes}), what the workbench uses in simulator mode.
 */
export function mountSimulatorDemoRoutes(router: Router, deps: SimulatorDemoDeps): void {
  const { simulator: sim, logger: log } = deps;
  /** Calls placed here → their tenant (until they have a tag, nothing else says whose they are). */
  const placed = new Map<string, string>();
  /** Devices registered here → the answer delay they were registered with. */
  const devices = new Map<string, number>();
  mountSimulatorDeviceRoutes(router, { simulator: sim, logger: log, autoAnswering: devices });

  const admin = async (ctx: AppContext, routePath: string) => {
    ctx.state.routePath = routePath;
    const principal = await authorize(ctx, { roles: ['admin'] });
    return principal!;
  };

  router.post('/api/v1/simulator/calls', async (ctx: AppContext) => {
    const principal = await admin(ctx, '/api/v1/simulator/calls');
    const body = parseBody(placeCallBody, ctx.request.body);
    const to = body.to.replace(/^\+/, '');
    const { numberRepo } = ctx.state.container.cradle;
    const num = await numberRepo.findByNumber(to);
    if (!num || num.tenantId !== principal.tenantId) {
      throw createError('not_found', `Your tenant has no number ${body.to}`);
    }
    if (placed.size >= MAX_SCRIPTED_CALLS) {
      throw createError('too_many_attempts', `At most ${MAX_SCRIPTED_CALLS} simulated calls may run at once`);
    }
    let call: SimCall;
    try {
      call = await sim.placeCall({ from: body.from, to: body.to });
    } catch (err) {
      throw createError('telephony_unavailable', 'The simulator cannot place calls yet', { cause: err });
    }
    placed.set(call.callSid, principal.tenantId);
    void call.ended.then(() => placed.delete(call.callSid));
    const callLog = log.child({ callSid: call.callSid });
    callLog.info({ from: body.from, to: body.to, digits: body.digits }, 'simulated demo call placed');
    void runScript(sim, call, body).catch((err: unknown) => callLog.warn({ err }, 'simulated demo call script failed'));
    ctx.status = 202;
    ctx.body = { callSid: call.callSid };
  });

  router.get('/api/v1/simulator/calls', async (ctx: AppContext) => {
    const principal = await admin(ctx, '/api/v1/simulator/calls');
    const items = sim
      .calls()
      .filter((c) => c.customerData?.tenantId === principal.tenantId || placed.get(c.callSid) === principal.tenantId);
    ctx.body = { items };
  });

  router.post('/api/v1/simulator/devices', async (ctx: AppContext) => {
    const principal = await admin(ctx, '/api/v1/simulator/devices');
    const body = parseBody(deviceBody, ctx.request.body);
    const { agentService } = ctx.state.container.cradle;
    const agents = await agentService.list(principal.tenantId);
    const agent = agents.find((a) => a.sipUser === body.user);
    if (!agent) throw createError('not_found', `No agent of your tenant has the SIP user ${body.user}`);
    const device = sim.registerUser(body.user, { autoAnswerAfterMs: body.autoAnswerAfterSeconds * 1000 });
    // Registering again keeps the device (and its answer delay) the simulator already has.
    const effective = devices.get(device.address) ?? body.autoAnswerAfterSeconds;
    devices.set(device.address, effective);
    log.info({ user: device.address, autoAnswerAfterSeconds: effective }, 'simulated WebRTC device registered');
    ctx.status = 201;
    ctx.body = { user: body.user, address: device.address, agentId: agent.userId, autoAnswerAfterSeconds: effective };
  });
}

/** The simulator's snapshot of one leg, if it is still known. */
function legOf(sim: JambonzSimulator, callSid: string) {
  return sim.calls().find((c) => c.callSid === callSid);
}

function isOver(call: SimCall): boolean {
  return FINAL_STATUSES.has(call.status);
}

/** Polls `check` until it holds (true) or the call has ended (false). */
async function until(call: SimCall, check: () => boolean): Promise<boolean> {
  for (;;) {
    if (isOver(call)) return false;
    if (check()) return true;
    await sleep(POLL_MS);
  }
}

/** The caller's script: menu digits, then talk, then hang up. Never throws on a call that ends. */
async function runScript(
  sim: JambonzSimulator,
  call: SimCall,
  opts: { digits: string; talkSeconds: number },
): Promise<void> {
  const wall = (simulatedMs: number) => simulatedMs * sim.timeScale;
  const bridged = () => {
    const room = call.conference;
    return room !== undefined && (sim.conferences().find((c) => c.name === room)?.members.length ?? 0) >= 2;
  };
  if (opts.digits) {
    // The menu is the first gather; a flow without one goes straight on.
    const atMenu = await until(call, () => legOf(sim, call.callSid)?.currentVerb === 'gather' || bridged());
    if (!atMenu) return;
    if (!bridged()) {
      // Let the menu prompt (the last thing heard) play out before pressing, as a caller would.
      const prompt = call.heard.at(-1);
      const promptMs = prompt === undefined ? 0 : /^https?:/.test(prompt) ? PLAY_PROMPT_MS : sayDurationMs(prompt);
      await sleep(wall(promptMs + 200));
      if (isOver(call)) return;
      call.press(opts.digits);
    }
  }
  if (!(await until(call, bridged))) return;
  if (opts.talkSeconds === 0) return;
  await sleep(wall(opts.talkSeconds * 1000));
  if (!isOver(call)) call.hangup();
}
