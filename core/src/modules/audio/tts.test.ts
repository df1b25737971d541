/**
 * TTS preview (IVR-02) through the real espeak-ng binary: the WAV that comes back is decoded
 * here and must hold speech (not silence); a missing engine answers 503 telling how to install it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { EspeakNgTts } from './tts.js';

/** Decodes a PCM WAV: format and samples, checking every chunk size against the bytes. */
function decodeWav(wav: Buffer): { sampleRate: number; channels: number; samples: Int16Array } {
  expect(wav.toString('latin1', 0, 4)).toBe('RIFF');
  expect(wav.toString('latin1', 8, 12)).toBe('WAVE');
  expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
  let at = 12;
  let fmt: { sampleRate: number; channels: number; bits: number } | undefined;
  while (at + 8 <= wav.length) {
    const id = wav.toString('latin1', at, at + 4);
    const size = wav.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      expect(wav.readUInt16LE(at + 8)).toBe(1); // PCM
      fmt = {
        channels: wav.readUInt16LE(at + 10),
        sampleRate: wav.readUInt32LE(at + 12),
        bits: wav.readUInt16LE(at + 22),
      };
    }
    if (id === 'data') {
      expect(fmt?.bits).toBe(16);
      expect(at + 8 + size).toBe(wav.length);
      const data = wav.subarray(at + 8, at + 8 + size);
      const samples = new Int16Array(data.length / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(i * 2);
      return { sampleRate: fmt!.sampleRate, channels: fmt!.channels, samples };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

let t: TestApp;
let admin: SeededUser;
let agent: SeededUser;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'sb-tts-'));
  t = await startTestApp({ config: { tts: { maxTextLength: 200 } } });
  const seeded = await t.seedTenant({ slug: 'tts', roles: ['admin', 'agent'] });
  admin = seeded.users.admin!;
  agent = seeded.users.agent!;
});
afterAll(async () => {
  await t?.stop();
  await rm(scratch, { recursive: true, force: true });
});

async function preview(body: unknown, token = admin.token) {
  const res = await fetch(`${t.url}/api/v1/tts/preview`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('TTS preview', () => {
  it('[IVR-02] renders a prompt to a WAV with speech in it (espeak-ng, no cloud account)', async () => {
    const { res, bytes } = await preview({ text: 'Welcome to Switchboard. Press 1 for sales.' });
    expect(res.status, bytes.toString()).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(res.headers.get('x-tts-engine')).toBe('espeak-ng');
    const wav = decodeWav(bytes);
    expect(wav.channels).toBe(1);
    expect(wav.sampleRate).toBeGreaterThanOrEqual(8000);
    const seconds = wav.samples.length / wav.sampleRate;
    expect(seconds).toBeGreaterThan(1);
    expect(seconds).toBeLessThan(10);
    expect(rms(wav.samples)).toBeGreaterThan(500);

    // A language tag picks the engine's voice for it: Mandarin text renders too.
    const zh = await preview({ text: '欢迎致电', language: 'zh-CN' });
    expect(zh.res.status).toBe(200);
    expect(rms(decodeWav(zh.bytes).samples)).toBeGreaterThan(500);
  });

  it('[IVR-02] text is never read as an engine option', async () => {
    const target = join(scratch, 'pwned.wav');
    const { res, bytes } = await preview({ text: `-w ${target} hello` });
    expect(res.status).toBe(200);
    expect(decodeWav(bytes).samples.length).toBeGreaterThan(0);
    expect(existsSync(target)).toBe(false);
  });

  it('[IVR-02] refuses long texts, unknown voices and non-admins', async () => {
    const long = await preview({ text: 'a'.repeat(201) });
    expect(long.res.status).toBe(400);
    expect(JSON.parse(long.bytes.toString()).error.details[0].path).toBe('body.text');
    const voice = await preview({ text: 'hello', voice: 'xx-nosuch' });
    expect(voice.res.status).toBe(400);
    expect(JSON.parse(voice.bytes.toString()).error).toMatchObject({ code: 'validation_failed' });
    expect((await preview({ text: 'hello' }, agent.token)).res.status).toBe(403);
  });

  it('[IVR-02] a missing engine answers 503 tts_unavailable saying how to install it', async () => {
    const missing = await startTestApp({ config: { tts: { espeakNgPath: join(scratch, 'no-espeak-ng') } } });
    try {
      const { users } = await missing.seedTenant({ slug: 'tts-missing', roles: ['admin'] });
      const res = await missing.request('POST', '/api/v1/tts/preview', {
        token: users.admin!.token,
        body: { text: 'hello' },
      });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('tts_unavailable');
      expect(res.body.error.message).toMatch(/apt-get install espeak-ng/);
    } finally {
      await missing.stop();
    }
    // And the port on its own, as a plugin would use it.
    const tts = new EspeakNgTts({
      config: { tts: { espeakNgPath: 'espeak-ng', defaultVoice: 'en-us', speed: 160, timeoutMs: 10_000 } },
    });
    const out = await tts.synthesize({ text: 'one two three' });
    expect(rms(decodeWav(out.audio).samples)).toBeGreaterThan(500);
  });
});
