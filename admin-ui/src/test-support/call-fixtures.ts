/**
 * What the call screens' unit tests share: a signed-in agent, the server's REST answers (a
 * stand-in for `fetch` that records every request), a softphone that rings when told, and
 * realtime frames shaped as core publishes them (`acd.ts`, `call-flow.ts`, `session-end.ts`).
 */
import type { ServerEventType, ServerEvents, ServerFrame } from '@/api/realtime-events';
import { SESSION_KEY } from '@/stores/auth';
import type { PhoneCall, PhoneEvents, PhoneLike, RegistrationState } from '@/stores/phone';

export const ME = '11111111-1111-4111-8111-111111111111';
export const OTHER = '22222222-2222-4222-8222-222222222222';
export const SESSION = '33333333-3333-4333-8333-333333333333';
export const OFFER = '44444444-4444-4444-8444-444444444444';
export const GROUP = '55555555-5555-4555-8555-555555555555';

/** Stores a signed-in agent session, as the sign-in page leaves it. */
export function signInAgent(): void {
  localStorage.setItem(
    SESSION_KEY,
    JSON.stringify({
      accessToken: 'access',
      refreshToken: 'refresh',
      expiresAt: Date.now() + 60_000,
      user: {
        id: ME,
        tenantId: ME,
        email: 'agent1@demo.local',
        mobile: null,
        name: 'Agent One',
        staffNo: '3001',
        role: 'agent',
      },
    }),
  );
}

let seq = 0;
/** A frame as the gateway sends it. */
export function frame<T extends ServerEventType>(type: T, data: ServerEvents[T]): ServerFrame {
  return { type, data, id: `f-${++seq}`, at: new Date().toISOString() } as ServerFrame;
}

/** `call.offer` as `AcdService.ring` publishes it under number protection, with IN-05/06 and a CRM card. */
export function offerData(patch: Record<string, unknown> = {}): ServerEvents['call.offer'] {
  return {
    sessionId: SESSION,
    offerId: OFFER,
    caller: '139****5678',
    callee: '4001000000',
    companyNumber: { number: '4001000000', label: 'Demo hotline' },
    callerLocation: {
      province: '广东省',
      city: '广州市',
      carrier: '中国移动',
      en: { province: 'Guangdong', city: 'Guangzhou', carrier: 'China Mobile' },
      lineType: 'mobile',
    },
    skillGroupId: GROUP,
    skillGroupName: 'presales',
    ringTimeoutSeconds: 20,
    ivrKeys: [{ key: '1', label: 'Presales' }],
    annotations: {
      screenPop: {
        kind: 'card',
        status: 'found',
        title: 'Wei Li',
        subtitle: 'Sunrise Trading Co.',
        tags: ['Repeat buyer'],
        fields: [
          { label: 'Level', value: 'VIP' },
          { label: 'Customer ID', value: 'c-1001' },
        ],
        link: { label: 'Open in CRM', url: 'https://crm.example.com/customers/c-1001' },
      },
    },
    ...patch,
  } as ServerEvents['call.offer'];
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

type Handler = (req: RecordedRequest) => { status?: number; body?: unknown } | undefined;

/**
 * Answers the app's requests from a table of `METHOD /path` handlers and records them. An
 * unknown route answers 404 like the server.
 */
export function fakeServer(routes: Record<string, Handler | { status?: number; body?: unknown }>) {
  const requests: RecordedRequest[] = [];
  const fetch = async (input: Request): Promise<Response> => {
    const url = new URL(input.url, 'http://localhost');
    const text = await input.text();
    const req: RecordedRequest = {
      method: input.method,
      path: url.pathname,
      body: text ? JSON.parse(text) : undefined,
    };
    requests.push(req);
    const route = routes[`${req.method} ${req.path}`];
    const answer = typeof route === 'function' ? route(req) : route;
    if (!answer) {
      return new Response(JSON.stringify({ error: { code: 'not_found', message: 'Not found' } }), {
        status: 404,
        headers: { 'content-type': 'application/json' },
      });
    }
    const status = answer.status ?? 200;
    return new Response(status === 204 ? null : JSON.stringify(answer.body ?? {}), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests, routes };
}

/** A softphone a test rings and hangs up; it records what the app asked of it. */
export class TestPhone implements PhoneLike {
  readonly kind = 'simulator' as const;
  registration: RegistrationState = 'stopped';
  call: PhoneCall | null = null;
  readonly asked: string[] = [];
  private readonly listeners = new Map<string, Set<(p: never) => void>>();

  on<K extends keyof PhoneEvents>(type: K, listener: (payload: PhoneEvents[K]) => void): () => void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener as (p: never) => void);
    this.listeners.set(type, set);
    return () => set.delete(listener as (p: never) => void);
  }

  emit<K extends keyof PhoneEvents>(type: K, payload: PhoneEvents[K]): void {
    for (const l of this.listeners.get(type) ?? []) (l as (p: PhoneEvents[K]) => void)(payload);
  }

  async start(): Promise<void> {
    this.asked.push('start');
    this.registration = 'registered';
    this.emit('registered', { sipUser: 'agent1' });
  }

  async stop(): Promise<void> {
    this.asked.push('stop');
    this.registration = 'stopped';
  }

  /** The server rings this phone. */
  ring(sessionId: string | null = SESSION, autoAnswer = false): void {
    this.call = {
      id: 'sim-call-1',
      remoteDisplay: '139****5678',
      sessionId,
      autoAnswer,
      state: 'ringing',
      muted: false,
    };
    this.emit('incoming', { ...this.call });
  }

  async answer(): Promise<void> {
    this.asked.push('answer');
    if (!this.call) throw new Error('no ringing call');
    this.call = { ...this.call, state: 'active' };
    this.emit('accepted', { id: this.call.id });
  }

  async reject(): Promise<void> {
    this.asked.push('reject');
    const id = this.call?.id ?? '';
    this.call = null;
    this.emit('ended', { id, cause: 'rejected', detail: null });
  }

  async hangup(): Promise<void> {
    this.asked.push('hangup');
    this.call = null;
  }

  async mute(on: boolean): Promise<void> {
    this.asked.push(`mute:${on}`);
  }

  async sendDtmf(digits: string): Promise<void> {
    this.asked.push(`dtmf:${digits}`);
  }

  async setInputDevice(id: string): Promise<void> {
    this.asked.push(`input:${id}`);
  }

  async setOutputDevice(id: string): Promise<void> {
    this.asked.push(`output:${id}`);
  }
}

/** The agent row `GET /agents/me` answers. */
export function agentRow(patch: Record<string, unknown> = {}) {
  return {
    userId: ME,
    state: 'idle',
    reason: null,
    stateSince: new Date().toISOString(),
    sipUser: 'agent1',
    currentSessionId: null,
    wrapUpUntil: null,
    callsTaken: 0,
    missedOffers: 0,
    ...patch,
  };
}

/** `GET /sessions/:id` as an agent reads it under number protection. */
export function sessionView(patch: Record<string, unknown> = {}) {
  return {
    id: SESSION,
    state: 'bridged',
    direction: 'inbound',
    caller: '139****5678',
    callee: '4001000000',
    startedAt: new Date(Date.now() - 30_000).toISOString(),
    acceptedAt: new Date().toISOString(),
    endedAt: null,
    queuedSkillGroupId: GROUP,
    agentId: ME,
    held: false,
    agentMuted: false,
    customerAway: null,
    ivrKeys: [{ key: '1', label: 'Presales' }],
    variables: {},
    notes: null,
    annotations: {},
    legs: [],
    ...patch,
  };
}
