/**
 * Throw-site messages in the client's language: every English sentence a throw site
 * or a request schema writes has a Chinese one in `throw-site-zh.ts` (checked against the
 * source, so a new sentence without its Chinese fails here), and a zh-CN client gets it with
 * the values put back in, while an English client gets the sentence as thrown.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanMessages } from '../../test/support/throw-site-messages.js';
import { startTestApp, type TestApp } from '../../test/support/test-app.js';
import { THROW_SITE_ZH, translateDetailMessages, translateThrowSiteMessage } from './throw-site-zh.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** English words that only an untranslated sentence still carries (lower case: `A-law` is a name). */
const ENGLISH_WORD =
  /\b(?:the|a|an|is|are|was|not|no|and|or|of|to|in|on|at|for|with|this|that|must|may|cannot|has|have|be|by|from|your|you|it|its|only|one|any|try|again)\b/;
const CHINESE = /[\u4e00-\u9fff]/;

/** Why a translation does not pass for Chinese; undefined when it does. */
function notChinese(english: string, chinese: string | null): string | undefined {
  if (chinese === null) return 'no entry';
  if (chinese === english) return 'unchanged';
  if (!CHINESE.test(chinese)) return 'no Chinese in it';
  // Values (a sample's X1, a table entry's {to}) and code (`to`) are not words of the sentence.
  const word = ENGLISH_WORD.exec(chinese.replace(/\bX\d+\b|\{[a-z]\w*\}|`[^`]*`/g, ''));
  return word ? `English word "${word[0]}" left in it` : undefined;
}

describe('throw-site messages have Chinese sentences', () => {
  const { sites, unresolved } = scanMessages(repoRoot);

  it('every createError message, custom schema message and hand-built detail in the source has a Chinese sentence', () => {
    // The scanner still sees the source (≈ 260 throw sites, ≈ 100 schema messages).
    expect(sites.filter((s) => s.kind === 'throw').length).toBeGreaterThan(250);
    expect(sites.filter((s) => s.kind === 'schema').length).toBeGreaterThan(60);
    const missing: string[] = [];
    for (const site of sites) {
      for (const sample of site.samples) {
        const chinese = translateThrowSiteMessage(sample);
        const why = notChinese(sample, chinese);
        if (why) missing.push(`${site.file}:${site.line} ${JSON.stringify(sample)} → ${chinese} (${why})`);
      }
    }
    // Add the sentence to THROW_SITE_ZH in core/src/errors/throw-site-zh.ts.
    expect(missing).toEqual([]);
  });

  it('every thrown message can be followed to its text, but for the two that carry another error’s own', () => {
    // A message in a variable the scanner cannot follow would go unchecked: write it in place,
    // in a `const`, or through a file-local helper — or, if it really is another error's
    // message, list it here with the place its sentences are checked.
    expect(unresolved.map((u) => `${u.file}: ${u.text}`)).toEqual([
      // Koa's own errors (a status it throws itself): not ours to word.
      'core/src/http/error-handler.ts: caught.message',
      // The audio probe's message: its sentences are scanned at `new AudioProbeError(…)`.
      'core/src/modules/audio/service.ts: err.message',
    ]);
  });

  it('the table is well formed: one entry per sentence, every Chinese placeholder named in its English', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{([a-z]\w*)\}/g)].map((m) => m[1]);
    const seen = new Set<string>();
    for (const [english, chinese] of THROW_SITE_ZH) {
      expect(seen.has(english), english).toBe(false);
      seen.add(english);
      const names = placeholders(english);
      expect(new Set(names).size, english).toBe(names.length);
      for (const name of placeholders(chinese)) expect(names, `${english} → ${chinese}`).toContain(name);
      expect(notChinese(english, chinese), english).toBeUndefined();
    }
  });

  it('puts the values back, translating only those that are words or sentences of ours', () => {
    expect(translateThrowSiteMessage('No plugin "crm-screen-pop" on this server')).toBe(
      '此服务器上没有插件 "crm-screen-pop"',
    );
    // A state is translated; a name is shown as sent, even one that reads like a state.
    expect(translateThrowSiteMessage('张三 is notReady and cannot take a call now')).toBe(
      '张三 当前示忙，暂时无法接听',
    );
    expect(translateThrowSiteMessage('No tenant "rest"')).toBe('没有租户 "rest"');
    // A sentence inside a sentence, and phrases joined by "; ".
    expect(translateThrowSiteMessage('Invalid body: body.nmae: unknown field "nmae"; did you mean "name"?')).toBe(
      '请求体不正确：body.nmae：未知字段 "nmae"，您是不是要填 "name"？',
    );
    expect(translateThrowSiteMessage('Your device cannot be rung: agent has no device')).toBe(
      '无法呼叫您的设备：坐席没有可用的设备',
    );
    expect(
      translateThrowSiteMessage(
        'The skill group is in use: numbers are linked to it: 4008001234; 2 call(s) in progress are in it. Change those first',
      ),
    ).toBe('该技能组正在使用中：号码关联到该组：4008001234；该组有 2 个进行中的通话。请先修改这些');
    // A value spanning lines (configuration problems).
    expect(translateThrowSiteMessage('Invalid configuration:\n  a: required\n  b: required')).toBe(
      '配置无效：\n  a: required\n  b: required',
    );
    // Not a sentence of ours: no translation, so the caller keeps the English.
    expect(translateThrowSiteMessage('Something nobody wrote')).toBeNull();
    expect(
      translateDetailMessages({
        errors: [
          { row: 3, column: 'email', message: 'must be an email address' },
          { row: 4, column: 'staffNo', message: '已是中文' },
        ],
      }),
    ).toEqual({
      errors: [
        { row: 3, column: 'email', message: '必须是邮箱地址' },
        { row: 4, column: 'staffNo', message: '已是中文' },
      ],
    });
  });
});

describe('a zh-CN client reads throw-site messages in Chinese', () => {
  let t: TestApp;
  let admin: string;
  const zh = { 'accept-language': 'zh-CN,zh;q=0.9' };
  const en = { 'accept-language': 'en' };

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.seedTenant({ slug: 'throw-zh', roles: ['admin'] })).users.admin!.token;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('a templated message names the value in Chinese for zh-CN and stays English for en', async () => {
    const zhRes = await t.request('GET', '/api/v1/plugins/no-such-plugin', { token: admin, headers: zh });
    expect(zhRes.status).toBe(404);
    expect(zhRes.body.error).toEqual({ code: 'not_found', message: '此服务器上没有插件 "no-such-plugin"' });
    const enRes = await t.request('GET', '/api/v1/plugins/no-such-plugin', { token: admin, headers: en });
    expect(enRes.body.error).toEqual({ code: 'not_found', message: 'No plugin "no-such-plugin" on this server' });
    // No Accept-Language at all: English, as before.
    const none = await t.request('GET', '/api/v1/plugins/no-such-plugin', { token: admin });
    expect(none.body.error.message).toBe('No plugin "no-such-plugin" on this server');
  });

  it('a refusal’s message and its details[].message are Chinese for zh-CN: an unknown field, a schema’s own sentence', async () => {
    const typo = { name: 'g', nmae: 'x' };
    const zhRes = await t.request('POST', '/api/v1/skill-groups', { token: admin, body: typo, headers: zh });
    expect(zhRes.status).toBe(400);
    expect(zhRes.body.error.message).toBe('请求体不正确：body.nmae：未知字段 "nmae"，您是不是要填 "name"？');
    expect(zhRes.body.error.details).toContainEqual(
      expect.objectContaining({ path: 'body.nmae', message: '未知字段 "nmae"，您是不是要填 "name"？' }),
    );
    const enRes = await t.request('POST', '/api/v1/skill-groups', { token: admin, body: typo, headers: en });
    expect(enRes.body.error.message).toBe('Invalid body: body.nmae: unknown field "nmae"; did you mean "name"?');

    // `.refine(…, 'send name, type, …')`: a sentence written in the schema, not one of zod's.
    const group = await t.request('POST', '/api/v1/skill-groups', { token: admin, body: { name: 'zh-refine' } });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    const empty = await t.request('PATCH', `/api/v1/skill-groups/${group.body.id}`, {
      token: admin,
      body: {},
      headers: zh,
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('请求体不正确');
    expect(empty.body.error.details[0].message).toMatch(/^请至少提供以下一项：name、type/);
  });
});
