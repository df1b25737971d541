import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JambonzApiError, JambonzRestClient, type UpdateCallAction } from './rest-client.js';

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('JambonzRestClient', () => {
  let server: Server;
  let seen: Seen[];
  let client: JambonzRestClient;

  beforeEach(async () => {
    seen = [];
    server = createServer((req, res) => {
      void readBody(req).then((body) => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
        res.setHeader('Content-Type', 'application/json');
        if (req.method === 'POST') {
          res.statusCode = 201;
          res.end(JSON.stringify({ sid: 'new-sid', callId: 'cid' }));
        } else if (req.url?.endsWith('/Calls/missing')) {
          res.statusCode = 404;
          res.end(JSON.stringify({ msg: 'call not found' }));
        } else if (req.url?.endsWith('/Calls/bad')) {
          res.statusCode = 400;
          res.end(JSON.stringify({ msg: 'multiple options are not allowed' }));
        } else if (req.method === 'PUT') {
          res.statusCode = 202;
          res.end();
        } else if (req.url?.endsWith('/Queues')) {
          res.end(JSON.stringify([{ name: 'support', length: 2 }]));
        } else if (req.url?.endsWith('/Conferences')) {
          res.end(JSON.stringify(['room-1']));
        } else {
          res.end(JSON.stringify({ call_sid: 'c1', call_status: 'in-progress', direction: 'inbound' }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new JambonzRestClient({ baseUrl: `http://127.0.0.1:${port}/v1/`, accountSid: 'acc', apiKey: 'key' });
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('creates, updates and reads calls with bearer auth', async () => {
    const { sid } = await client.createCall({
      from: '4001000000',
      to: { type: 'user', name: 'agent1' },
      call_hook: 'http://app/agent-leg',
      call_status_hook: 'http://app/status',
      speech_synthesis_vendor: 'google',
      speech_synthesis_language: 'en-US',
      speech_synthesis_voice: 'en-US-Standard-C',
      speech_recognizer_vendor: 'google',
      speech_recognizer_language: 'en-US',
    });
    expect(sid).toBe('new-sid');
    await client.updateCall('c1', { conferenceParticipantAction: { action: 'hold', wait_hook: '/moh' } });
    expect((await client.getCall('c1'))?.call_status).toBe('in-progress');
    expect(await client.getCall('missing')).toBeNull();
    expect(await client.listQueues()).toEqual([{ name: 'support', length: 2 }]);
    expect(await client.listConferences()).toEqual(['room-1']);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/Accounts/acc/Calls', auth: 'Bearer key' });
    expect(seen[1]).toMatchObject({ method: 'PUT', url: '/v1/Accounts/acc/Calls/c1' });
    expect(JSON.parse(seen[1]!.body)).toEqual({ conferenceParticipantAction: { action: 'hold', wait_hook: '/moh' } });
  });

  it('allows exactly one action per update at the type level', () => {
    const ok: UpdateCallAction[] = [
      { call_hook: 'http://app/a', child_call_hook: 'http://app/b' },
      { conf_hold_status: 'hold', wait_hook: '/moh' },
      { listen_status: 'pause' },
    ];
    // @ts-expect-error two actions in one request are rejected by the API (400)
    const bad: UpdateCallAction = { call_status: 'completed', mute_status: 'mute' };
    expect(ok.length + Object.keys(bad).length).toBe(5);
  });

  it('surfaces non-2xx answers as JambonzApiError', async () => {
    const err = await client.updateCall('bad', { call_status: 'completed' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JambonzApiError);
    expect((err as JambonzApiError).status).toBe(400);
    expect((err as JambonzApiError).body).toEqual({ msg: 'multiple options are not allowed' });
  });
});
