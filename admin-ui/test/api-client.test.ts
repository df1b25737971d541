/**
 * The API client's interceptors against a real HTTP server: token and language on every
 * request, one refresh after a 401 and a retry, sign-out when the refresh fails, the server's
 * error message shown as it comes, and the throttling message of the sign-in endpoint.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configureApi, createApi, quiet, unwrap, ApiError } from '../src/api/request.js';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  language: string | undefined;
  quiet: boolean;
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
/** Tokens the server accepts. */
let valid = new Set(['t1']);

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (d: Buffer) => (s += d.toString()));
    req.on('end', () => resolve(s));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await read(req);
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      language: req.headers['accept-language'],
      quiet: 'x-switchboard-quiet' in req.headers,
      body,
    });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (req.url === '/api/v1/auth/login') {
      return json(429, { error: { code: 'too_many_attempts', message: 'Too many failed sign-ins; try again in 4 s' } });
    }
    if (req.url === '/api/v1/agents/me/state') {
      if (!token || !valid.has(token)) return json(401, { error: { code: 'invalid_token', message: 'expired' } });
      if (JSON.parse(body).state === 'rest') {
        return json(409, {
          error: { code: 'invalid_state_transition', message: 'You cannot change to rest while offline' },
        });
      }
      return json(200, { ok: true, echo: JSON.parse(body) });
    }
    json(404, { error: { code: 'route_not_found', message: 'No route' } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

let token = 't1';
let refreshes: Array<string | null> = [];
let errors: string[] = [];
let signedOut = 0;
let nextToken: string | null = null;

beforeEach(() => {
  seen.length = 0;
  valid = new Set(['t1']);
  token = 't1';
  refreshes = [];
  errors = [];
  signedOut = 0;
  nextToken = null;
  configureApi({
    accessToken: () => token,
    locale: () => 'en',
    refresh: async (failed) => {
      refreshes.push(failed);
      if (!nextToken) return null;
      token = nextToken;
      valid.add(nextToken);
      return nextToken;
    },
    unauthenticated: () => signedOut++,
    notifyError: (m) => errors.push(m),
    networkErrorText: () => 'offline!',
  });
});

describe('API client', () => {
  it('sends the access token and the UI language', async () => {
    const api = createApi(base);
    const r = unwrap(await api.PUT('/api/v1/agents/me/state', { body: { state: 'idle' } }));
    expect(r).toMatchObject({ echo: { state: 'idle' } });
    expect(seen[0]).toMatchObject({ authorization: 'Bearer t1', language: 'en', quiet: false });
  });

  it('[LOGIN-01] refreshes once after a 401 and sends the same request again with the new token', async () => {
    token = 'stale';
    nextToken = 't2';
    const api = createApi(base);
    const r = await api.PUT('/api/v1/agents/me/state', { body: { state: 'notReady' } });
    expect(r.response.status).toBe(200);
    expect(refreshes).toEqual(['stale']);
    expect(seen.map((s) => [s.authorization, s.body])).toEqual([
      ['Bearer stale', '{"state":"notReady"}'],
      ['Bearer t2', '{"state":"notReady"}'],
    ]);
    expect(errors).toEqual([]);
    expect(signedOut).toBe(0);
  });

  it('signs out (and shows nothing more) when the refresh fails', async () => {
    token = 'stale';
    const api = createApi(base);
    const r = await api.PUT('/api/v1/agents/me/state', { body: { state: 'idle' } });
    expect(r.response.status).toBe(401);
    expect(signedOut).toBe(1);
    expect(errors).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it("shows the server's error message as it comes, unless the caller handles it", async () => {
    const api = createApi(base);
    const r = await api.PUT('/api/v1/agents/me/state', { body: { state: 'rest' } });
    expect(errors).toEqual(['You cannot change to rest while offline']);
    expect(() => unwrap(r)).toThrow(ApiError);
    expect(() => unwrap(r)).toThrow('You cannot change to rest while offline');
    await api.PUT('/api/v1/agents/me/state', { body: { state: 'rest' }, ...quiet });
    expect(errors).toHaveLength(1);
    // The quiet marker never leaves the browser.
    expect(seen.at(-1)!.quiet).toBe(false);
  });

  it('[LOGIN-01] a throttled sign-in shows the wait the server names, and does not try a refresh', async () => {
    const api = createApi(base);
    const r = await api.POST('/api/v1/auth/login', { body: { email: 'a@b.c', password: 'x' } });
    expect(r.response.status).toBe(429);
    expect(errors).toEqual(['Too many failed sign-ins; try again in 4 s']);
    expect(refreshes).toEqual([]);
    // Sign-in endpoints never carry a (possibly stale) access token.
    expect(seen[0]!.authorization).toBeUndefined();
  });

  it('says so when the server cannot be reached', async () => {
    const api = createApi('http://127.0.0.1:1');
    await expect(api.PUT('/api/v1/agents/me/state', { body: { state: 'idle' } })).rejects.toThrow();
    expect(errors).toEqual(['offline!']);
  });
});
