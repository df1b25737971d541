/**
 * Push on a live call (REC-03, REC-08, PUSH-01/02): when a simulator call ends, its record goes
 * to the tenant's subscription — whole numbers, though agents see them masked — and once the
 * recording is stored, a `recording.ready` with a signed link that plays it without our auth.
 * The receiver is a real HTTP server; every request's signature verifies.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import { Receiver } from '../../core/test/support/push-receiver.js';
import { PUSH_HEADERS, verifyPush } from '../../core/src/modules/push/signature.js';
import { callPresales, sessionIdOf, talkAndHangUp, useLiveWorld } from './support/live-world.js';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await Receiver.start();
});
afterAll(() => receiver?.close());

const w = useLiveWorld({
  secret: 'push-live-secret',
  timeScale: 0.02,
  calls: { wrapUpSeconds: 0 },
  center: { slug: 'push-live', agents: 1, settings: { numberProtection: true } },
});

describe('[REC-03] [REC-08] push on a live call', () => {
  it('[REC-03] [REC-08] [PUSH-01] [PUSH-02] the ended call’s record and then its recording reach the subscription, signed, the recording with a link that plays it', async () => {
    const admin = w.cc.admin;
    const allow = await w.t.request('PATCH', '/api/v1/tenant/settings', {
      token: admin.token,
      body: { allowPrivateUrls: true },
    });
    expect(allow.status, JSON.stringify(allow.body)).toBe(200);
    const sub = await w.t.request('POST', '/api/v1/push/subscriptions', {
      token: admin.token,
      body: {
        name: 'CRM',
        url: receiver.url,
        eventTypes: ['record.created', 'recording.ready'],
        auth: { type: 'none' },
      },
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    const secret = sub.body.signingSecret as string;

    const customer = `139${randomInt(1e7, 1e8)}`;
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    const call = await callPresales(w, w.cc, customer);
    const ring = await device.nextRing({ timeoutMs: 10_000 });
    const sessionId = await sessionIdOf(w, call);
    await talkAndHangUp(call, ring.answer());

    const of = (type: string) => receiver.got.find((r) => r.json.type === type && r.json.data.sessionId === sessionId);
    await receiver.until(() => !!of('record.created') && !!of('recording.ready'), 'the record and the recording');
    const record = of('record.created')!;
    // Integrations get the number whole (agents see it masked under number protection).
    expect(record.json.data).toMatchObject({ sessionId, caller: customer, direction: 'inbound', agentId: agent.id });
    const recording = of('recording.ready')!;
    expect(recording.json.data).toMatchObject({ sessionId, contentType: 'audio/mpeg' });
    for (const r of [record, recording]) {
      expect(
        verifyPush(
          secret,
          r.headers[PUSH_HEADERS.timestamp] as string,
          r.headers[PUSH_HEADERS.signature] as string,
          r.body,
        ),
      ).toBe(true);
    }
    // The link plays the MP3 with no token, and only as signed.
    const audioUrl = recording.json.data.audioUrl as string;
    const audio = await fetch(audioUrl);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/mpeg');
    expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const forged = await fetch(audioUrl.replace(/sig=[^&]+/, 'sig=forged'));
    expect(forged.status).toBe(403);
    await forged.body?.cancel();
  });
});
