import type Router from '@koa/router';
import { authorize, createError, type AppContext, type EventBus, type ServerEvents } from '@switchboard/core';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { JambonzSimulator, SimCall, SimDevice, SimIncoming } from '../simulator/index.js';

/** What {@link mountSimulatorDeviceRoutes} needs. */
export interface SimulatorDeviceDeps {
  simulator: JambonzSimulator;
  logger: Logger;
  /** Answer delay (seconds) of devices the admin demo route registered as auto-answering, by address. */
  autoAnswering: ReadonlyMap<string, number>;
}

type CallEvent = ServerEvents['simulator.device.call'];
type EndCause = NonNullable<CallEvent['cause']>;

/** A leg on the agent's device as the routes show it. */
interface DeviceCallView {
  callSid: string;
  state: 'ringing' | 'active' | 'ended';
  from: string;
  sessionId: string | null;
  offerId: string | null;
  autoAnswer: boolean;
}

/** A device registered through these routes, and whose it is. */
interface OwnDevice {
  device: SimDevice;
  tenantId: string;
  userId: string;
  sipUser: string;
}

const FINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'busy', 'no-answer']);
const ROLES = ['admin', 'supervisor', 'agent'] as const;

const emptyBody = z.object({}).strict();
const callParams = z.object({ callSid: z.uuid('a call sid (UUID)') }).strict();
const dtmfBody = z
  .object({ digits: z.string().regex(/^[0-9*#A-Da-d]{1,32}$/, 'DTMF digits 0-9, *, #, A-D; 1 to 32 of them') })
  .strict();

function parse<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'params'): z.output<T> {
  const res = schema.safeParse(value ?? {});
  if (!res.success) {
    throw createError('validation_failed', `Invalid ${where}`, {
      details: res.error.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message, code: i.code })),
    });
  }
  return res.data;
}

function text(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Whether the INVITE asked the device to answer by itself (IN-03: `Call-Info: …;answer-after=N`). */
function asksAutoAnswer(headers: Record<string, string>): boolean {
  return Object.entries(headers).some(([k, v]) => k.toLowerCase() === 'call-info' && /answer-after\s*=/i.test(v));
}

/**
 * The signed-in agent's own simulated softphone, for simulator mode (`npm start` without a real
 * jambonz): the workbench's simulated phone registers the agent's SIP user as a device that
 * answers only when told (honouring an auto-answer request, as the real softphone does, IN-03),
 * learns of rings from the `simulator.device.call` realtime event, and answers, rejects, hangs
 * up and sends DTMF here. Every route acts on the caller's own device only: the SIP user comes
 * from the caller's own credentials, never from the request, and a call sid that did not ring
 * that device is a 404 — an agent can never touch a colleague's device. Signed-in users only
 * (API keys have no device). Mounted by the adapter only when the simulator runs.
 *
 * - `POST /api/v1/simulator/devices/me` → 201 the device (registers it; again = re-register)
 * - `DELETE /api/v1/simulator/devices/me` → 204 (unregistered: rings to it fail)
 * - `GET /api/v1/simulator/devices/me/calls` → `{registered, items}`: ringing and active legs
 * - `POST /api/v1/simulator/devices/me/calls/{callSid}/answer|reject|hangup` → the leg
 * - `POST /api/v1/simulator/devices/me/calls/{callSid}/dtmf` `{digits}` → the leg
 */
export function mountSimulatorDeviceRoutes(router: Router, deps: SimulatorDeviceDeps): void {
  const { simulator: sim, logger: log } = deps;
  /** Devices registered here, by address (`user@realm`). */
  const own = new Map<string, OwnDevice>();

  const me = async (ctx: AppContext, routePath: string) => {
    ctx.state.routePath = routePath;
    const principal = await authorize(ctx, { roles: [...ROLES] });
    if (principal?.kind !== 'user') throw createError('forbidden', 'Only a signed-in user has a softphone');
    return principal;
  };

  /** The caller's SIP user: from their own credentials (provisioned on first use). */
  const sipUserOf = async (ctx: AppContext, tenantId: string, userId: string) =>
    ctx.state.container.cradle.deviceService.credentials(tenantId, userId);

  /** The caller's device registered here; 404 when they have not registered one. */
  const ownDevice = async (ctx: AppContext, tenantId: string, userId: string): Promise<OwnDevice> => {
    const { sipUser } = await sipUserOf(ctx, tenantId, userId);
    const entry = [...own.values()].find(
      (d) => d.sipUser === sipUser && d.userId === userId && d.tenantId === tenantId,
    );
    if (!entry) throw createError('not_found', 'Register your simulated softphone first (POST /simulator/devices/me)');
    return entry;
  };

  const liveCall = (callSid: string): SimCall | undefined => {
    const call = sim.call(callSid);
    return call && !FINAL_STATUSES.has(call.status) ? call : undefined;
  };

  const view = (ring: SimIncoming): DeviceCallView => {
    const state: DeviceCallView['state'] =
      ring.state === 'ringing' ? 'ringing' : ring.state === 'answered' && liveCall(ring.callSid) ? 'active' : 'ended';
    return {
      callSid: ring.callSid,
      state,
      from: ring.from,
      sessionId: text(ring.customerData?.sessionId),
      offerId: text(ring.customerData?.offerId),
      autoAnswer: asksAutoAnswer(ring.headers),
    };
  };

  /** A ring of the caller's own device; 404 for any other call sid (another agent's included). */
  const ringOf = (entry: OwnDevice, callSid: string): SimIncoming => {
    const ring = entry.device.rings.find((r) => r.callSid === callSid);
    if (!ring) throw createError('not_found', 'No call with that id rang your softphone');
    return ring;
  };

  const publish = (address: string, event: CallEvent, bus: EventBus): void => {
    const entry = own.get(address);
    if (!entry) return;
    bus
      .publish({ tenantId: entry.tenantId, kind: 'user', userId: entry.userId }, 'simulator.device.call', event)
      .catch((err: unknown) => log.warn({ err, callSid: event.callSid }, 'could not publish a simulated device event'));
  };

  /** Tells the agent's workbench what happens to one ring, from ringing to its end. */
  const follow = async (address: string, ring: SimIncoming, bus: EventBus): Promise<void> => {
    const base = view(ring);
    const send = (state: CallEvent['state'], cause?: EndCause) =>
      publish(address, { ...base, state, ...(cause ? { cause } : {}) }, bus);
    send('ringing');
    // `decided` is the device's own answer/reject; a ring may instead be cancelled (caller gone,
    // ring timeout, offer withdrawn). Same package: the simulator's internal promise is ours to read.
    const outcome = await Promise.race([ring.decided, ring.whenCancelled.then(() => 'cancelled' as const)]);
    if (outcome !== 'answer') {
      send('ended', outcome === 'reject' ? 'rejected' : 'cancelled');
      return;
    }
    const call = sim.call(ring.callSid);
    if (!call) {
      send('ended', 'remote-hangup');
      return;
    }
    send('active');
    const end = await call.ended;
    // `caller` = this party (the agent's device) hung up; `jambonz` = the far side or the app.
    send('ended', end.by === 'caller' ? 'local-hangup' : 'remote-hangup');
  };

  /**
   * Follows every ring of a device registered here. It observes rings (`onRing`) rather than
   * taking them (`nextRing`), so a test that answers the device through the simulator still gets
   * each ring while the workbench's simulated phone is told of it too.
   */
  const watch = (device: SimDevice, bus: EventBus): void => {
    device.onRing((ring) => {
      follow(device.address, ring, bus).catch((err: unknown) =>
        log.warn({ err, callSid: ring.callSid }, 'following a simulated device call failed'),
      );
    });
  };

  router.post('/api/v1/simulator/devices/me', async (ctx: AppContext) => {
    const { tenantId, userId } = await me(ctx, '/api/v1/simulator/devices/me');
    parse(emptyBody, ctx.request.body, 'body');
    const creds = await sipUserOf(ctx, tenantId, userId);
    // The password makes the registration work where the simulator checks client credentials.
    const device = sim.registerUser(creds.sipUser, { password: creds.password });
    const watched = own.has(device.address);
    // Events go to whoever owns the SIP user now (one agent; the entry follows a re-provisioning).
    own.set(device.address, { device, tenantId, userId, sipUser: creds.sipUser });
    if (!watched) watch(device, ctx.state.container.cradle.bus);
    log.info({ user: device.address, registered: device.registered }, 'agent registered their simulated softphone');
    ctx.status = 201;
    ctx.body = {
      sipUser: creds.sipUser,
      address: device.address,
      registered: device.registered,
      // A device the admin demo route made auto-answering stays so (the simulator keeps a device).
      autoAnswerAfterSeconds: deps.autoAnswering.get(device.address) ?? null,
    };
  });

  router.delete('/api/v1/simulator/devices/me', async (ctx: AppContext) => {
    const { tenantId, userId } = await me(ctx, '/api/v1/simulator/devices/me');
    const entry = await ownDevice(ctx, tenantId, userId);
    entry.device.unregister();
    ctx.status = 204;
  });

  router.get('/api/v1/simulator/devices/me/calls', async (ctx: AppContext) => {
    const { tenantId, userId } = await me(ctx, '/api/v1/simulator/devices/me/calls');
    const entry = await ownDevice(ctx, tenantId, userId);
    ctx.body = {
      registered: entry.device.registered,
      items: entry.device.rings.map(view).filter((c) => c.state !== 'ended'),
    };
  });

  /** One call action: params and body are checked before anything is looked up. */
  const action = <B extends z.ZodType>(
    name: 'answer' | 'reject' | 'hangup' | 'dtmf',
    bodySchema: B,
    act: (ring: SimIncoming, body: z.output<B>) => void,
  ) => {
    const routePath = `/api/v1/simulator/devices/me/calls/:callSid/${name}`;
    router.post(routePath, async (ctx: AppContext) => {
      const { tenantId, userId } = await me(ctx, routePath);
      const { callSid } = parse(callParams, ctx.params, 'params');
      const body = parse(bodySchema, ctx.request.body, 'body');
      const ring = ringOf(await ownDevice(ctx, tenantId, userId), callSid);
      act(ring, body);
      ctx.body = view(ring);
    });
  };

  action('answer', emptyBody, (ring) => {
    if (ring.state !== 'ringing') throw createError('conflict', `The call is ${view(ring).state}, not ringing`);
    ring.answer();
  });
  action('reject', emptyBody, (ring) => {
    if (ring.state !== 'ringing') throw createError('conflict', `The call is ${view(ring).state}, not ringing`);
    ring.reject();
  });
  action('hangup', emptyBody, (ring) => {
    if (ring.state === 'ringing') {
      // Hanging up a ringing call declines it, as on a phone.
      ring.reject();
      return;
    }
    const call = ring.state === 'answered' ? liveCall(ring.callSid) : undefined;
    if (!call) throw createError('conflict', 'The call has ended');
    call.hangup();
  });
  action('dtmf', dtmfBody, (ring, { digits }) => {
    const call = ring.state === 'answered' ? liveCall(ring.callSid) : undefined;
    if (!call) throw createError('conflict', 'DTMF needs an answered call');
    call.press(digits.toUpperCase());
  });
}
