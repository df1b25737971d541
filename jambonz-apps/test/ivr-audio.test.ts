/**
 * Audio-library prompts heard by a real (simulated) caller: files uploaded through the API,
 * named by a flow's `play` and `menu` prompts, are played by their signed URL — and that URL,
 * fetched without any credentials as jambonz fetches it, returns exactly the uploaded bytes.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeMp3, makeWav } from '../../core/test/support/audio-files.js';
import { createFlow, onHotline } from './support/ivr-world.js';
import { useLiveWorld } from './support/live-world.js';

// Where the app keeps the uploaded files; removed once the app has stopped (hooks after the
// tests run in reverse order of registration).
const dataDir = mkdtempSync(join(tmpdir(), 'sb-ivr-audio-'));
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});
const w = useLiveWorld({
  secret: 'ivr-audio',
  timeScale: 0.02,
  calls: { wrapUpSeconds: 0, sweepIntervalMs: 200 },
  config: { database: { dataDir } },
  center: { slug: 'ivraudio', agents: 1 },
});

async function upload(name: string, bytes: Buffer) {
  const res = await w.t.request('POST', `/api/v1/audio-files?name=${encodeURIComponent(name)}`, {
    token: w.cc.admin.token,
    rawBody: bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; url: string };
}

describe('audio-library prompts in a call', () => {
  it('[ADM-01] [IVR-03] the caller is played the uploaded files’ URLs, which serve the uploaded bytes', async () => {
    const welcomeBytes = makeWav(1);
    const menuBytes = makeMp3(1);
    const welcome = await upload('Welcome', welcomeBytes);
    const menu = await upload('Main menu', menuBytes);
    const flowId = await createFlow(
      w,
      {
        start: 'welcome',
        nodes: [
          { id: 'welcome', type: 'play', prompt: { kind: 'audio', audioId: welcome.id }, next: 'menu' },
          {
            id: 'menu',
            type: 'menu',
            prompt: { kind: 'audio', audioId: menu.id },
            options: [{ key: '1', label: 'Sales', next: 'chosen' }],
            onFail: 'bye',
          },
          { id: 'chosen', type: 'play', prompt: { kind: 'say', text: 'You chose sales.' }, next: 'bye' },
          { id: 'bye', type: 'hangup' },
        ],
      },
      'Audio prompts',
    );
    await onHotline(w, flowId);

    const call = await w.sim.placeCall({ from: '13911120001', to: w.cc.number });
    const heardWelcome = await call.expectPrompt(welcome.url);
    const heardMenu = await call.expectPrompt(menu.url);
    call.press('1');
    await call.expectPrompt(/You chose sales/);
    await call.ended;
    // Exactly these URLs, in this order, and each is the library's own play URL for the id.
    expect(call.heard).toEqual([welcome.url, menu.url, 'You chose sales.']);
    const { audioLibrary } = w.t.app.container.cradle;
    expect(heardWelcome).toBe(audioLibrary.playUrl(welcome.id));
    expect(heardMenu).toBe(audioLibrary.playUrl(menu.id));
    // FreeSWITCH picks its file module by the extension.
    expect(new URL(heardWelcome).pathname).toMatch(/\.wav$/);
    expect(new URL(heardMenu).pathname).toMatch(/\.mp3$/);

    // Fetched the way jambonz fetches it: no credentials at all.
    for (const [url, bytes, type] of [
      [heardWelcome, welcomeBytes, 'audio/x-wav'],
      [heardMenu, menuBytes, 'audio/mpeg'],
    ] as const) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    }

    // The published flow plays them, so they cannot be deleted.
    const del = await w.t.request('DELETE', `/api/v1/audio-files/${welcome.id}`, { token: w.cc.admin.token });
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('audio_in_use');
  });
});
