/**
 * The WebRTC softphone in a real Chromium (fake microphone) against a scripted SIP-over-WebSocket
 * peer started by the test, playing jambonz's SBC: REGISTER with a 401 digest challenge checked
 * against the provisioned credentials, INVITEs with a real WebRTC offer, ACK, BYE, CANCEL.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBrowserSupport } from './device-check.js';
import { launchChromium, serveTestPage, type TestPageServer } from './test-support/browser.js';
import type { SoftphoneTestApi } from './test-support/page-entry.js';
import { SipPeer, type PeerCall } from './test-support/sip-peer.js';
import type { SoftphoneCredentials, SoftphoneEvents } from './types.js';

declare const softphoneTest: SoftphoneTestApi;

const REALM = 'sip.test.local';
const SIP_USER = 'sb-0f6c2a4e-agent';
const PASSWORD = 'provisioned-Secret_1';

let browser: Browser;
let site: TestPageServer;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  site = await serveTestPage();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  await browser?.close();
  await site?.close();
});

function credentials(peer: SipPeer, password = PASSWORD): SoftphoneCredentials {
  return { sipUser: SIP_USER, password, realm: REALM, wsServer: peer.url, mode: 'sip' };
}

/** A SIP peer and a fresh page with a softphone made from `creds` (not started). */
async function world(opts: { password?: string; phone?: Record<string, unknown> } = {}) {
  const peer = await SipPeer.start({ realm: REALM, user: SIP_USER, password: PASSWORD });
  const page = await browser.newPage();
  closers.push(
    () => peer.close(),
    () => page.close(),
  );
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(site.url);
  await page.waitForFunction(() => 'softphoneTest' in globalThis);
  await page.evaluate(([c, o]) => softphoneTest.create(c, o), [
    credentials(peer, opts.password),
    opts.phone ?? {},
  ] as const);
  return { peer, page, errors };
}

/** The `n`th (0-based) event of `type` the phone emitted, waiting for it. */
async function event<K extends keyof SoftphoneEvents>(page: Page, type: K, n = 0): Promise<SoftphoneEvents[K]> {
  const handle = await page.waitForFunction(
    ([t, i]) => softphoneTest.events.filter((e) => e.type === t)[i]?.payload,
    [type, n] as const,
    { timeout: 20_000 },
  );
  return (await handle.jsonValue()) as SoftphoneEvents[K];
}

const run = (page: Page, method: Parameters<SoftphoneTestApi['run']>[0], arg?: unknown) =>
  page.evaluate(([m, a]) => softphoneTest.run(m, a), [method, arg] as const);

async function registered(page: Page, peer: SipPeer): Promise<void> {
  await run(page, 'start');
  expect(await event(page, 'registered')).toEqual({ sipUser: SIP_USER });
  expect(peer.digestChecks).toEqual([true]);
}

/** Places a call from the peer with a real WebRTC offer; resolves once the phone rings (180). */
async function ring(page: Page, peer: SipPeer, headers: Array<[string, string]> = []): Promise<PeerCall> {
  const sdp = await page.evaluate(() => softphoneTest.makeOffer());
  const call = peer.invite({ sdp, fromUser: '13900001111', fromName: 'Customer 1111', headers });
  await peer.waitFor((m) => m.status === 180 && m.header('call-id') === call.callId, '180 Ringing');
  return call;
}

const liveMicrophones = (page: Page) => page.evaluate(() => softphoneTest.liveMicrophones());

describe('JsSipSoftphone in Chromium against a SIP-over-WebSocket peer', () => {
  it('[IN-01] registers with the provisioned digest credentials, answers an INVITE with audio, and the far end hangs up', async () => {
    const { peer, page, errors } = await world({ phone: { dtmfTransport: 'INFO' } });

    // JsSIP is not in the first-load bundle: its chunk is fetched only when the phone starts.
    const beforeStart = [...site.requests];
    const jssipChunk = `/${site.files.find((f) => /^JsSIP-\w+\.js$/.test(f))}`;
    expect(jssipChunk).not.toBe('/undefined');
    expect(beforeStart).toContain('/page-entry.js');
    expect(beforeStart).not.toContain(jssipChunk);

    await registered(page, peer);
    const registers = peer.received.filter((m) => m.method === 'REGISTER');
    expect(registers[0]!.header('authorization')).toBeUndefined();
    expect(registers[1]!.header('authorization')).toMatch(new RegExp(`username="${SIP_USER}"`));
    expect(registers[1]!.header('authorization')).not.toContain(PASSWORD);
    expect(registers[1]!.header('to')).toContain(`sip:${SIP_USER}@${REALM}`);
    expect(site.requests.slice(beforeStart.length)).toContain(jssipChunk);

    const call = await ring(page, peer);
    expect(await event(page, 'incoming')).toEqual({
      id: call.callId,
      remoteDisplay: 'Customer 1111',
      sessionId: null,
      autoAnswer: false,
      state: 'ringing',
      muted: false,
    });
    // No microphone while it only rings.
    expect(await liveMicrophones(page)).toBe(0);

    await run(page, 'answer');
    const ok = await peer.finalAnswer(call);
    expect(ok.status).toBe(200);
    expect(ok.header('content-type')).toBe('application/sdp');
    expect(ok.body).toMatch(/^m=audio /m);
    expect(await event(page, 'accepted')).toEqual({ id: call.callId });
    expect(await liveMicrophones(page)).toBe(1);

    // Real audio from the (fake) microphone reaches the far end.
    await page.evaluate((sdp) => softphoneTest.acceptAnswer(sdp), ok.body);
    await expect
      .poll(() => page.evaluate(() => softphoneTest.bytesFromSoftphone()), { timeout: 20_000 })
      .toBeGreaterThan(0);

    await run(page, 'mute', true);
    expect(await event(page, 'muted')).toEqual({ id: call.callId, muted: true });
    expect(await page.evaluate(() => softphoneTest.lastMicrophoneEnabled())).toBe(false);
    await run(page, 'mute', false);
    expect(await event(page, 'muted', 1)).toEqual({ id: call.callId, muted: false });
    expect(await page.evaluate(() => softphoneTest.lastMicrophoneEnabled())).toBe(true);

    await run(page, 'sendDtmf', '5');
    const info = await peer.waitFor((m) => m.method === 'INFO' && m.header('call-id') === call.callId, 'DTMF INFO');
    expect(info.header('content-type')).toBe('application/dtmf-relay');
    expect(info.body).toMatch(/Signal=5/);

    const byeAnswer = await peer.bye(call);
    expect(byeAnswer.status).toBe(200);
    expect(await event(page, 'ended')).toEqual({ id: call.callId, cause: 'remote-hangup', detail: 'Terminated' });
    expect(await page.evaluate(() => softphoneTest.state().call)).toBeNull();
    // The microphone is released with the call.
    expect(await liveMicrophones(page)).toBe(0);

    await run(page, 'stop');
    expect(await event(page, 'unregistered')).toEqual({ reason: null });
    const last = peer.received.filter((m) => m.method === 'REGISTER').at(-1)!;
    expect(`${last.header('contact')} ${last.header('expires')}`).toMatch(/expires=0|\b0$/);
    expect(errors).toEqual([]);
  });

  it('[IN-01] declines a ring with 486, ends a cancelled ring, hangs up itself with BYE, using the chosen microphone and speaker', async () => {
    const { peer, page, errors } = await world();
    await registered(page, peer);

    const first = await ring(page, peer);
    await event(page, 'incoming');
    await run(page, 'reject');
    expect((await peer.finalAnswer(first)).status).toBe(486);
    expect(await event(page, 'ended')).toMatchObject({ id: first.callId, cause: 'rejected' });

    const second = await ring(page, peer);
    await event(page, 'incoming', 1);
    peer.cancel(second);
    expect((await peer.finalAnswer(second)).status).toBe(487);
    expect(await event(page, 'ended', 1)).toMatchObject({ id: second.callId, cause: 'cancelled' });
    expect(await liveMicrophones(page)).toBe(0);

    // The agent picks a microphone: it is remembered and used for the next call.
    expect(await page.evaluate(() => softphoneTest.requestMicrophone())).toBe('granted');
    const { microphones } = await page.evaluate(() => softphoneTest.listAudioDevices());
    const mic = microphones.find((m) => m.deviceId !== 'default') ?? microphones[0]!;
    await run(page, 'setInputDevice', mic.deviceId);
    expect(await page.evaluate(() => softphoneTest.loadDevicePreferences())).toMatchObject({
      inputDeviceId: mic.deviceId,
    });

    // And a speaker: applied to the call audio at once, remembered; an unknown one is refused.
    const { speakers } = await page.evaluate(() => softphoneTest.listAudioDevices());
    // Chromium's fake devices include speakers ("Fake Audio Output 1"…).
    const speaker = speakers.find((d) => d.deviceId !== 'default')!;
    expect(speaker.label).not.toBe('');
    await run(page, 'setOutputDevice', speaker.deviceId);
    expect(await page.evaluate(() => softphoneTest.sinkId())).toBe(speaker.deviceId);
    expect(await page.evaluate(() => softphoneTest.loadDevicePreferences())).toMatchObject({
      outputDeviceId: speaker.deviceId,
    });
    await expect(run(page, 'setOutputDevice', 'no-such-speaker')).rejects.toThrow();

    const third = await ring(page, peer);
    await event(page, 'incoming', 2);
    await run(page, 'answer');
    expect((await peer.finalAnswer(third)).status).toBe(200);
    await event(page, 'accepted');
    const used = await page.evaluate(() => softphoneTest.constraintsSeen.at(-1));
    expect(used).toEqual({ audio: { deviceId: { exact: mic.deviceId } }, video: false });

    await run(page, 'hangup');
    const bye = await peer.waitFor((m) => m.method === 'BYE' && m.header('call-id') === third.callId, 'BYE');
    expect(bye.header('from')).toContain(`sip:${SIP_USER}@${REALM}`);
    expect(await event(page, 'ended', 2)).toMatchObject({ id: third.callId, cause: 'local-hangup' });
    expect(await liveMicrophones(page)).toBe(0);
    expect(errors).toEqual([]);
  });

  it('[IN-03] answers by itself when the INVITE asks (Call-Info answer-after=0), unless told to ignore it', async () => {
    const { peer, page } = await world();
    await registered(page, peer);
    const call = await ring(page, peer, [['Call-Info', `<sip:${REALM}>;answer-after=0`]]);
    expect(await event(page, 'incoming')).toMatchObject({ id: call.callId, autoAnswer: true });
    expect((await peer.finalAnswer(call)).status).toBe(200);
    expect(await event(page, 'accepted')).toEqual({ id: call.callId });
    expect((await peer.bye(call)).status).toBe(200);
    await event(page, 'ended');

    const ignoring = await world({ phone: { honourAutoAnswer: false } });
    await registered(ignoring.page, ignoring.peer);
    const plain = await ring(ignoring.page, ignoring.peer, [['Call-Info', `<sip:${REALM}>;answer-after=0`]]);
    expect(await event(ignoring.page, 'incoming')).toMatchObject({ autoAnswer: false });
    // Still ringing when the agent declines: it was not answered.
    await run(ignoring.page, 'reject');
    expect((await ignoring.peer.finalAnswer(plain)).status).toBe(486);
  });

  it('[IN-01] the workbench’s factory picks the phone the server’s mode names, and the SIP one registers', async () => {
    const { peer, page } = await world();
    for (const [mode, kind] of [
      ['none', null],
      ['simulator', 'simulator'],
      ['sip', 'sip'],
    ] as const) {
      site.device = { ...credentials(peer), mode };
      expect(await page.evaluate(() => softphoneTest.createFromServer()), mode).toBe(kind);
    }
    await registered(page, peer);
  });

  it('[IN-01] a wrong password fails the registration (the registrar challenges again)', async () => {
    const { peer, page } = await world({ password: 'not-the-provisioned-one' });
    await run(page, 'start');
    expect(await event(page, 'registrationFailed')).toEqual({ cause: expect.stringMatching(/Authentication Error/i) });
    expect(peer.digestChecks).toEqual([false]);
    expect(peer.contact).toBeUndefined();
    expect(await page.evaluate(() => softphoneTest.state().registration)).toBe('failed');
  });
});

describe('device checks in Chromium', () => {
  it('[IN-01] reports browser support, lists microphones and speakers, knows the permission, and remembers the choice', async () => {
    const { page } = await world();
    const support = await page.evaluate(() => softphoneTest.checkBrowserSupport());
    expect(support).toMatchObject({ secureContext: true, webrtc: true, getUserMedia: true, ok: true, missing: [] });

    expect(await page.evaluate(() => softphoneTest.requestMicrophone())).toBe('granted');
    expect(await page.evaluate(() => softphoneTest.microphonePermission())).toBe('granted');
    const devices = await page.evaluate(() => softphoneTest.listAudioDevices());
    expect(devices.microphones.length).toBeGreaterThan(0);
    expect(devices.microphones.every((m) => m.label !== '' && m.deviceId !== '')).toBe(true);
    expect(devices.speakers.length).toBeGreaterThan(0);
    // The microphone was only borrowed for the check.
    expect(await liveMicrophones(page)).toBe(0);

    const mic = devices.microphones[0]!.deviceId;
    await page.evaluate((id) => softphoneTest.saveDevicePreferences({ inputDeviceId: id }), mic);
    await page.reload();
    await page.waitForFunction(() => 'softphoneTest' in globalThis);
    expect(await page.evaluate(() => softphoneTest.loadDevicePreferences())).toEqual({
      inputDeviceId: mic,
      outputDeviceId: null,
    });
    // A damaged entry reads as "nothing chosen" rather than breaking the workbench.
    await page.evaluate(() => localStorage.setItem('switchboard.softphone.devices', '{oops'));
    expect(await page.evaluate(() => softphoneTest.loadDevicePreferences())).toEqual({
      inputDeviceId: null,
      outputDeviceId: null,
    });
  });

  it('[IN-01] names what is missing in a browser that cannot run the softphone', () => {
    const insecure = checkBrowserSupport({ isSecureContext: false, navigator: {} as Navigator });
    expect(insecure).toMatchObject({ ok: false, missing: ['secureContext', 'webrtc', 'getUserMedia'] });
  });
});
