/**
 * The audio library over the real API: WAV and MP3 uploads (made here from generated PCM),
 * sniffing, limits, rename, delete refused while a runnable flow plays the file, the signed
 * media URL (exact bytes, Range, 403 on a bad signature) and tenant isolation.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMp3, makeWav } from '../../../test/support/audio-files.js';
import { AudioLibrary } from './service.js';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import type { IvrGraph } from '../ivr/flow-model.js';

let t: TestApp;
let dataDir: string;
let admin: SeededUser;
let supervisor: SeededUser;
let agent: SeededUser;
let tenantId: string;
let other: { tenantId: string; users: Record<string, SeededUser> };

const MAX_BYTES = 256 * 1024;
const MAX_SECONDS = 5;

async function upload(name: string, bytes: Buffer | string, contentType = 'audio/wav', token = admin.token) {
  return t.request('POST', `/api/v1/audio-files?name=${encodeURIComponent(name)}`, {
    token,
    rawBody: bytes,
    headers: { 'content-type': contentType },
  });
}

function audioFlow(audioId: string): IvrGraph {
  return {
    start: 'hello',
    nodes: [
      { id: 'hello', type: 'play', prompt: { kind: 'audio', audioId }, next: 'bye' },
      { id: 'bye', type: 'hangup' },
    ],
  } as IvrGraph;
}
const SAY_FLOW = {
  start: 'hello',
  nodes: [
    { id: 'hello', type: 'play', prompt: { kind: 'say', text: 'Hello' }, next: 'bye' },
    { id: 'bye', type: 'hangup' },
  ],
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sb-audio-'));
  t = await startTestApp({
    config: { database: { dataDir }, audio: { maxBytes: MAX_BYTES, maxDurationSeconds: MAX_SECONDS } },
  });
  const seeded = await t.seedTenant({ slug: 'audio', edition: 'advanced' });
  tenantId = seeded.tenantId;
  admin = seeded.users.admin!;
  supervisor = seeded.users.supervisor!;
  agent = seeded.users.agent!;
  other = await t.seedTenant({ slug: 'audio-other', edition: 'advanced' });
});
afterAll(async () => {
  await t?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('audio library', () => {
  it('[ADM-01] uploads a WAV and an MP3, lists, renames and deletes them', async () => {
    const wav = makeWav(1.5);
    const mp3 = makeMp3(2);
    // The Content-Type header is ignored: the MP3 is sent as octet-stream and still stored as MP3.
    const w = await upload('Welcome', wav, 'audio/wav');
    expect(w.status, JSON.stringify(w.body)).toBe(201);
    expect(w.body).toMatchObject({ name: 'Welcome', format: 'wav', contentType: 'audio/wav', sizeBytes: wav.length });
    expect(w.body.durationMs).toBe(1500);
    const m = await upload('Hold music', mp3, 'application/octet-stream');
    expect(m.status, JSON.stringify(m.body)).toBe(201);
    expect(m.body).toMatchObject({
      name: 'Hold music',
      format: 'mp3',
      contentType: 'audio/mpeg',
      sizeBytes: mp3.length,
    });
    // MP3 frames carry ~1 frame of padding at each end; the duration is counted from the frames.
    expect(Math.abs(m.body.durationMs - 2000)).toBeLessThan(200);

    const list = await t.request('GET', '/api/v1/audio-files', { token: supervisor.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { name: string }) => i.name)).toEqual(['Hold music', 'Welcome']);
    expect(list.body).toMatchObject({ total: 2, page: 1 });
    // Paged, filtered by name and sorted on the server (the admin list and the editor's picker).
    const paged = await t.request('GET', '/api/v1/audio-files?q=WEL&sort=createdAt&order=desc&pageSize=1', {
      token: supervisor.token,
    });
    expect(paged.body).toMatchObject({ total: 1, page: 1, pageSize: 1, items: [{ name: 'Welcome' }] });
    expect((await t.request('GET', '/api/v1/audio-files?pageSize=0', { token: admin.token })).status).toBe(400);
    for (const item of list.body.items) {
      expect(item).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          sizeBytes: expect.any(Number),
          durationMs: expect.any(Number),
          createdAt: expect.any(String),
          url: expect.stringContaining(`${t.url}/api/v1/media/audio/${item.id}.${item.format}?sig=`),
        }),
      );
    }
    expect((await t.request('GET', `/api/v1/audio-files/${w.body.id}`, { token: admin.token })).body.name).toBe(
      'Welcome',
    );

    const renamed = await t.request('PATCH', `/api/v1/audio-files/${w.body.id}`, {
      token: admin.token,
      body: { name: 'Greeting' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Greeting');
    // The URL is of the id: a rename does not change what a flow plays.
    expect(renamed.body.url).toBe(w.body.url);
    const clash = await t.request('PATCH', `/api/v1/audio-files/${w.body.id}`, {
      token: admin.token,
      body: { name: 'Hold music' },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('conflict');

    // Agents neither read nor write the library.
    expect((await t.request('GET', '/api/v1/audio-files', { token: agent.token })).status).toBe(403);
    expect((await upload('Nope', wav, 'audio/wav', agent.token)).status).toBe(403);

    for (const id of [w.body.id, m.body.id]) {
      expect((await t.request('DELETE', `/api/v1/audio-files/${id}`, { token: admin.token })).status).toBe(204);
      expect((await t.request('GET', `/api/v1/audio-files/${id}`, { token: admin.token })).status).toBe(404);
    }
    expect((await t.request('GET', '/api/v1/audio-files', { token: admin.token })).body.items).toEqual([]);
    // The bytes went with the row.
    expect(await readdir(join(dataDir, 'audio', tenantId))).toEqual([]);
    // And the old URL no longer serves anything.
    expect((await fetch(w.body.url)).status).toBe(404);
  });

  it('[ADM-01] sniffs the bytes: text named .wav → 415, a broken WAV → 422, duplicate names → 409', async () => {
    const text = await upload('notes.wav', 'This is plain text, not audio at all.', 'audio/wav');
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('audio_unsupported_type');
    expect(text.body.error.message).toMatch(/neither WAV .* nor MP3/);

    // A RIFF/WAVE header with no fmt or data chunk: claims to be WAV, has no audio.
    const broken = Buffer.concat([
      Buffer.from('RIFF\x24\x00\x00\x00WAVEjunk\x10\x00\x00\x00', 'latin1'),
      Buffer.alloc(16),
    ]);
    const bad = await upload('broken', broken, 'audio/wav');
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('audio_invalid');

    // An ID3 tag followed by no MPEG frames.
    const id3 = Buffer.concat([
      Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'),
      Buffer.from('hello'.repeat(40)),
    ]);
    const badMp3 = await upload('broken.mp3', id3, 'audio/mpeg');
    expect(badMp3.status).toBe(422);
    expect(badMp3.body.error.code).toBe('audio_invalid');

    // A real MP3 behind an ID3v2 tag (here an empty one, 10 bytes) is recognised by the tag.
    const tagged = Buffer.concat([Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x00', 'latin1'), makeMp3(1)]);
    const withTag = await upload('tagged', tagged, 'text/plain');
    expect(withTag.status, JSON.stringify(withTag.body)).toBe(201);
    expect(withTag.body).toMatchObject({ format: 'mp3', sizeBytes: tagged.length });
    expect(Math.abs(withTag.body.durationMs - 1000)).toBeLessThan(200);
    await t.request('DELETE', `/api/v1/audio-files/${withTag.body.id}`, { token: admin.token });

    const first = await upload('Same name', makeWav(0.2));
    expect(first.status).toBe(201);
    const dup = await upload('Same name', makeWav(0.3));
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'conflict', details: { field: 'name' } });

    // A name is required and validated.
    const noName = await t.request('POST', '/api/v1/audio-files', {
      token: admin.token,
      rawBody: makeWav(0.2),
      headers: { 'content-type': 'audio/wav' },
    });
    expect(noName.status).toBe(400);
    expect(noName.body.error.details[0].path).toBe('query.name');
    await t.request('DELETE', `/api/v1/audio-files/${first.body.id}`, { token: admin.token });
  });

  it('[ADM-01] refuses files over the size limit (413) and the duration limit (422)', async () => {
    const big = makeWav(MAX_BYTES / 16000 + 1); // 8 kHz 16-bit: 16 000 bytes a second
    expect(big.length).toBeGreaterThan(MAX_BYTES);
    const tooBig = await upload('big', big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toMatchObject({ code: 'audio_too_large', details: { maxBytes: MAX_BYTES } });

    const long = makeWav(MAX_SECONDS + 1); // 6 s: under the size limit, over the duration limit
    expect(long.length).toBeLessThan(MAX_BYTES);
    const tooLong = await upload('long', long);
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.code).toBe('audio_too_long');
    expect(tooLong.body.error.details).toMatchObject({ durationMs: 6000, maxDurationSeconds: MAX_SECONDS });

    const longMp3 = await upload('long.mp3', makeMp3(MAX_SECONDS + 2), 'audio/mpeg');
    expect(longMp3.status).toBe(422);
    expect(longMp3.body.error.code).toBe('audio_too_long');

    // Streamed without a Content-Length (chunked), the limit holds all the same.
    const chunked = (bytes: Buffer, name: string) =>
      fetch(`${t.url}/api/v1/audio-files?name=${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'audio/wav' },
        body: new ReadableStream({
          start(c) {
            for (let i = 0; i < bytes.length; i += 16_384) c.enqueue(bytes.subarray(i, i + 16_384));
            c.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
    const bigChunked = await chunked(big, 'big-chunked');
    expect(bigChunked.status).toBe(413);
    expect(((await bigChunked.json()) as { error: { code: string } }).error.code).toBe('audio_too_large');
    const fine = await chunked(makeWav(1), 'chunked');
    expect(fine.status).toBe(201);
    const fineBody = (await fine.json()) as { id: string; durationMs: number };
    expect(fineBody.durationMs).toBe(1000);
    await t.request('DELETE', `/api/v1/audio-files/${fineBody.id}`, { token: admin.token });

    expect((await t.request('GET', '/api/v1/audio-files', { token: admin.token })).body.items).toEqual([]);
  });

  it('[ADM-01] [IVR-03] flows may only name files of the library', async () => {
    const unknown = randomUUID();
    const refused = await t.request('POST', '/api/v1/ivr-flows', {
      token: admin.token,
      body: { name: 'Unknown audio', graph: audioFlow(unknown) },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('flow_invalid');
    expect(refused.body.error.details).toEqual([expect.objectContaining({ nodeId: 'hello', kind: 'unknown_audio' })]);

    const file = await upload('Known', makeWav(0.5));
    const ok = await t.request('POST', '/api/v1/ivr-flows', {
      token: admin.token,
      body: { name: 'Known audio', graph: audioFlow(file.body.id) },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);

    // Another tenant cannot use this tenant's file in its flows.
    const theirs = await t.request('POST', '/api/v1/ivr-flows', {
      token: other.users.admin!.token,
      body: { name: 'Borrowed audio', graph: audioFlow(file.body.id) },
    });
    expect(theirs.status).toBe(400);
    expect(theirs.body.error.code).toBe('flow_invalid');
    await t.request('DELETE', `/api/v1/ivr-flows/${ok.body.id}`, { token: admin.token });
    await t.request('DELETE', `/api/v1/audio-files/${file.body.id}`, { token: admin.token });
  });

  it('[ADM-01] delete is refused while a published flow or a live call plays the file, then allowed', async () => {
    const file = await upload('In use', makeWav(0.5));
    const flow = await t.request('POST', '/api/v1/ivr-flows', {
      token: admin.token,
      body: { name: 'Uses audio', graph: audioFlow(file.body.id) },
    });
    expect(flow.status).toBe(201);

    const refused = await t.request('DELETE', `/api/v1/audio-files/${file.body.id}`, { token: admin.token });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('audio_in_use');
    expect(refused.body.error.message).toContain('"Uses audio" (version 1)');
    expect(refused.body.error.details.flows).toEqual([
      { flowId: flow.body.id, flowName: 'Uses audio', versions: [1], nodeIds: ['hello'] },
    ]);

    // A call is on version 1 when version 2 (no audio) is published: version 1 can still run.
    const v1 = (
      await t.app.database.pool.query('select id from ivr_flow_versions where flow_id = $1 and version = 1', [
        flow.body.id,
      ])
    ).rows[0].id as string;
    const session = await t.app.database.pool.query(
      `insert into call_sessions (tenant_id, direction, caller, callee, customer_call_sid, state, flow_version_id)
       values ($1, 'inbound', '13900000001', '4000000001', $2, 'ivr', $3) returning id`,
      [tenantId, `sid-${randomUUID()}`, v1],
    );
    const saved = await t.request('PUT', `/api/v1/ivr-flows/${flow.body.id}`, {
      token: admin.token,
      body: { graph: SAY_FLOW },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.publishedVersion).toBe(2);
    const stillRunning = await t.request('DELETE', `/api/v1/audio-files/${file.body.id}`, { token: admin.token });
    expect(stillRunning.status).toBe(409);
    expect(stillRunning.body.error.details.flows[0].versions).toEqual([1]);

    // The call ends: nothing can play the file any more.
    await t.app.database.pool.query(`update call_sessions set state = 'ended', ended_at = now() where id = $1`, [
      session.rows[0].id,
    ]);
    const deleted = await t.request('DELETE', `/api/v1/audio-files/${file.body.id}`, { token: admin.token });
    expect(deleted.status).toBe(204);
    // Version 1 names a file that is gone, so it cannot be published again.
    const republish = await t.request('PUT', `/api/v1/ivr-flows/${flow.body.id}/published-version`, {
      token: admin.token,
      body: { version: 1 },
    });
    expect(republish.status).toBe(400);
    expect(republish.body.error.code).toBe('flow_invalid');
  });

  it('[ADM-01] a flow saved while its audio file is deleted: one of the two fails, never a flow playing a missing file', async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < 24; round++) {
      const file = await upload(`Race ${round}`, makeWav(0.2));
      expect(file.status).toBe(201);
      const audioId = file.body.id as string;
      // Alternately a new version of an existing flow (PUT) and a new flow (POST): both publish.
      let flowId: string | undefined;
      if (round % 2 === 0) {
        const f = await t.request('POST', '/api/v1/ivr-flows', {
          token: admin.token,
          body: { name: `Race flow ${round}`, graph: SAY_FLOW },
        });
        flowId = f.body.id as string;
      }
      const save = () =>
        flowId
          ? t.request('PUT', `/api/v1/ivr-flows/${flowId}`, { token: admin.token, body: { graph: audioFlow(audioId) } })
          : t.request('POST', '/api/v1/ivr-flows', {
              token: admin.token,
              body: { name: `Race flow ${round}`, graph: audioFlow(audioId) },
            });
      const remove = () => t.request('DELETE', `/api/v1/audio-files/${audioId}`, { token: admin.token });
      // Different head starts for the save, from none to enough to finish first, so the two
      // requests interleave differently from round to round.
      const lead = round % 4;
      const [saved, deleted] = await Promise.all([
        save(),
        (async () => {
          if (lead === 3) await new Promise((r) => setTimeout(r, 40));
          else for (let i = 0; i < lead * 2; i++) await new Promise((r) => setImmediate(r));
          return remove();
        })(),
      ]);
      const savedOk = saved.status === 200 || saved.status === 201;
      const deletedOk = deleted.status === 204;
      expect(savedOk !== deletedOk, `round ${round}: save ${saved.status}, delete ${deleted.status}`).toBe(true);
      const stillThere = await t.request('GET', `/api/v1/audio-files/${audioId}`, { token: admin.token });
      if (savedOk) {
        expect(deleted.body.error.code).toBe('audio_in_use');
        expect(stillThere.status).toBe(200);
        outcomes.add('saved');
      } else {
        expect(saved.status).toBe(400);
        expect(saved.body.error.code).toBe('flow_invalid');
        expect(saved.body.error.details).toEqual([expect.objectContaining({ nodeId: 'hello', kind: 'unknown_audio' })]);
        expect(stillThere.status).toBe(404);
        outcomes.add('deleted');
      }
      // Whatever won, no runnable version of the tenant names a file that is gone.
      const dangling = await t.app.database.pool.query(
        `select v.id from ivr_flow_versions v join ivr_flows f on f.id = v.flow_id and f.published_version = v.version
          where v.tenant_id = $1 and v.graph::text like $2
            and not exists (select 1 from audio_files a where a.id::text = $3)`,
        [tenantId, `%${audioId}%`, audioId],
      );
      expect(dangling.rows, `round ${round}`).toEqual([]);
    }
    // The rounds saw both orders (a race that always went one way would prove little).
    expect([...outcomes].sort()).toEqual(['deleted', 'saved']);
  });

  it('[ADM-01] the signed URL serves the exact bytes with Range; a bad signature gets 403', async () => {
    const wav = makeWav(1);
    const file = await upload('Served', wav);
    const url = new URL(file.body.url as string);
    // Absolute, on the app's public URL, and the very URL the call path plays.
    expect(url.origin).toBe(t.url);
    expect(file.body.url).toBe(t.app.container.cradle.audioLibrary.playUrl(file.body.id));

    // The extension is what FreeSWITCH picks its file module by; the type is one its mime.types maps.
    expect(url.pathname).toBe(`/api/v1/media/audio/${file.body.id}.wav`);
    const full = await fetch(url);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('audio/x-wav');
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await full.arrayBuffer()).equals(wav)).toBe(true);

    const part = await fetch(url, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${wav.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(wav.subarray(100, 200))).toBe(true);
    const tail = await fetch(url, { headers: { range: 'bytes=-10' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(wav.subarray(wav.length - 10))).toBe(true);
    expect((await fetch(url, { headers: { range: `bytes=${wav.length}-` } })).status).toBe(416);

    const sig = url.searchParams.get('sig')!;
    const forged = new URL(url);
    forged.searchParams.set('sig', sig.slice(0, -2) + (sig.endsWith('AA') ? 'BB' : 'AA'));
    const bad = await fetch(forged);
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('media_signature_invalid');
    const unsigned = new URL(url);
    unsigned.search = '';
    expect((await fetch(unsigned)).status).toBe(403);
    // A valid signature of one id does not open another.
    const second = await upload('Served 2', makeWav(0.3));
    const swapped = new URL(second.body.url as string);
    swapped.searchParams.set('sig', sig);
    expect((await fetch(swapped)).status).toBe(403);
    // The wrong extension is refused (FreeSWITCH would decode the bytes with the wrong module).
    const wrongExt = new URL(url);
    wrongExt.pathname = wrongExt.pathname.replace(/\.wav$/, '.mp3');
    expect((await fetch(wrongExt)).status).toBe(404);

    // An instance that started before the upload (cold index) gives the URL without extension;
    // it serves the same bytes, and once warmed it names the extension too.
    const { db, config, logger, authKeys, audioStorage } = t.app.container.cradle;
    const cold = new AudioLibrary({ db, config, logger, authKeys, audioStorage });
    cold.usePublicUrl(() => t.url);
    const bare = cold.playUrl(file.body.id);
    expect(new URL(bare).pathname).toBe(`/api/v1/media/audio/${file.body.id}`);
    const bareRes = await fetch(bare);
    expect(bareRes.headers.get('content-type')).toBe('audio/x-wav');
    expect(Buffer.from(await bareRes.arrayBuffer()).equals(wav)).toBe(true);
    // The miss made it reload its index in the background: the next URL names the extension.
    await expect.poll(() => cold.playUrl(file.body.id)).toBe(file.body.url);
    for (const id of [file.body.id, second.body.id]) {
      await t.request('DELETE', `/api/v1/audio-files/${id}`, { token: admin.token });
    }
  });

  it('[ADM-01] the API documents the upload as a binary body and the media route as audio', async () => {
    const doc = (await t.request('GET', '/api/openapi.json')).body;
    const post = doc.paths['/api/v1/audio-files'].post;
    expect(Object.keys(post.requestBody.content)).toEqual(['audio/wav', 'audio/mpeg', 'application/octet-stream']);
    expect(post.requestBody.content['audio/wav'].schema).toEqual({ type: 'string', format: 'binary' });
    expect(post.parameters).toEqual([expect.objectContaining({ in: 'query', name: 'name', required: true })]);
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '409', '413', '415', '422']));
    const media = doc.paths['/api/v1/media/audio/{id}'].get;
    expect(media.security).toBeUndefined();
    expect(Object.keys(media.responses['200'].content)).toEqual(['audio/x-wav', 'audio/mpeg']);
    expect(Object.keys(doc.paths['/api/v1/tts/preview'].post.responses['200'].content)).toEqual(['audio/wav']);
  });

  it('[ADM-01] another tenant can neither see, change, delete nor fetch a file without its link', async () => {
    const file = await upload('Private', makeWav(0.4));
    const b = other.users.admin!.token;
    expect((await t.request('GET', '/api/v1/audio-files', { token: b })).body.items).toEqual([]);
    expect((await t.request('GET', `/api/v1/audio-files/${file.body.id}`, { token: b })).status).toBe(404);
    expect(
      (await t.request('PATCH', `/api/v1/audio-files/${file.body.id}`, { token: b, body: { name: 'pwned' } })).status,
    ).toBe(404);
    expect((await t.request('DELETE', `/api/v1/audio-files/${file.body.id}`, { token: b })).status).toBe(404);
    // B's own file's signature does not open A's file.
    const mine = await t.request('POST', `/api/v1/audio-files?name=Mine`, {
      token: b,
      rawBody: makeWav(0.2),
      headers: { 'content-type': 'audio/wav' },
    });
    expect(mine.status).toBe(201);
    const sigB = new URL(mine.body.url as string).searchParams.get('sig')!;
    expect((await fetch(`${t.url}/api/v1/media/audio/${file.body.id}?sig=${sigB}`)).status).toBe(403);
    // Still there, unchanged, for its owner.
    const still = await t.request('GET', `/api/v1/audio-files/${file.body.id}`, { token: admin.token });
    expect(still.body.name).toBe('Private');
    await t.request('DELETE', `/api/v1/audio-files/${file.body.id}`, { token: admin.token });
    await t.request('DELETE', `/api/v1/audio-files/${mine.body.id}`, { token: b });
  });
});
