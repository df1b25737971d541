/**
 * Zero 5xx for bad input (issue 9): a corpus of bad input sent to every operation of
 * `/api/openapi.json` (every path and method, so a route added by any module is covered), as
 * an admin of an advanced tenant and unauthenticated. Whatever the route, the answer is never
 * a 5xx, and every 4xx carries the error envelope `{ error: { code, message } }`.
 *
 * Requests go through `node:http`, not `fetch`: fetch refuses TRACE and bodies on GET, and
 * this corpus needs both.
 */
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from './support/test-app.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: Json[];
  const?: Json;
  format?: string;
  minimum?: number;
  minItems?: number;
  default?: Json;
}
interface Operation {
  method: string;
  /** OpenAPI path, e.g. `/api/v1/users/{id}`. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  /** A body shaped like the JSON request schema (values need not be valid), if there is one. */
  sample?: Json;
}
interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
const NUL = 'a\u0000b';
const LONG = 'x'.repeat(100 * 1024);
const FIVE_MB = Buffer.alloc(5 * 1024 * 1024, 'a');
/** Path-parameter values, already URL-encoded as a client would put them on the wire. */
const TRAVERSALS = [
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%252e%252e%252f',
  '%00',
  '..%00',
  '%E0%A4%A',
  'a'.repeat(2048),
];
const HUGE_NUMBERS = [1e308, -1, -1e308, 2 ** 31, 2 ** 53, 2 ** 63, 0.5];

let t: TestApp;
let admin: SeededUser;
let ops: Operation[];
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** One HTTP request with any method, path and body, exactly as given. */
function send(
  method: string,
  path: string,
  opts: { token?: string; body?: string | Buffer; contentType?: string } = {},
): Promise<RawResponse> {
  const url = new URL(t.url);
  const headers: Record<string, string | number> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) {
    headers['content-type'] = opts.contentType ?? 'application/json';
    headers['content-length'] = Buffer.byteLength(opts.body);
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    // The server may answer (413) before it has read the whole body; the answer is what counts.
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The invariant of the whole file: no 5xx, and every error carries the envelope. */
function expectHandled(res: RawResponse, what: string): void {
  expect(res.status, `${what} → ${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
  if (res.status >= 400) {
    let body: { error?: { code?: unknown; message?: unknown } } | undefined;
    try {
      body = JSON.parse(res.text) as typeof body;
    } catch {
      body = undefined;
    }
    expect(typeof body?.error?.code, `${what}: error envelope in ${res.text.slice(0, 200)}`).toBe('string');
    expect(typeof body?.error?.message, `${what}: error message`).toBe('string');
  }
}

/** A request that must be refused: a 4xx with the envelope. */
function expectRefused(res: RawResponse, what: string): void {
  expectHandled(res, what);
  expect(res.status, `${what} → ${res.status} ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
}

function resolveRef(doc: { components?: { schemas?: Record<string, JsonSchema> } }, s: JsonSchema): JsonSchema {
  let cur = s;
  for (let i = 0; cur.$ref && i < 20; i++) cur = doc.components?.schemas?.[cur.$ref.split('/').pop()!] ?? {};
  return cur;
}

/** A value shaped like `schema`: the first alternative of a union, every property. */
function sampleOf(doc: Parameters<typeof resolveRef>[0], schema: JsonSchema, depth = 0): Json {
  const s = resolveRef(doc, schema);
  if (depth > 12) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0]!;
  const alt = s.oneOf ?? s.anyOf;
  if (alt?.length) return sampleOf(doc, alt.find((a) => resolveRef(doc, a).type !== 'null') ?? alt[0]!, depth + 1);
  if (s.allOf?.length) {
    const parts = s.allOf.map((a) => sampleOf(doc, a, depth + 1));
    return Object.assign({}, ...parts.filter((p) => p && typeof p === 'object' && !Array.isArray(p))) as Json;
  }
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, sampleOf(doc, v, depth + 1)]));
    case 'array':
      return s.items ? [sampleOf(doc, s.items, depth + 1)] : [];
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (s.format === 'uuid') return NO_SUCH_ID;
      if (s.format === 'email') return 'someone@example.com';
      if (s.format === 'date-time') return '2030-01-01T00:00:00.000Z';
      if (s.format === 'date') return '2030-01-01';
      if (s.format === 'uri') return 'https://example.com/a';
      return typeof s.default === 'string' ? s.default : 'text';
    default:
      return typeof s.default === 'string' || typeof s.default === 'number' ? s.default : 'text';
  }
}

/** Paths to every leaf of `value` of a given JS type. */
function leaves(
  value: Json,
  type: 'string' | 'number',
  path: Array<string | number> = [],
): Array<Array<string | number>> {
  if (typeof value === type) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, type, [...path, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => leaves(v, type, [...path, k]));
  return [];
}

/** A deep copy of `value` with the leaf at `path` replaced. */
function withLeaf(value: Json, path: Array<string | number>, leaf: Json): Json {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? withLeaf(v, rest, leaf) : v));
  const obj = value as { [k: string]: Json };
  return { ...obj, [head!]: withLeaf(obj[head!] ?? null, rest, leaf) };
}

/** Every leaf of `value` replaced by a value of another JSON type. */
function wrongTypes(value: Json): Json {
  if (typeof value === 'string') return 42;
  if (typeof value === 'number') return 'forty-two';
  if (typeof value === 'boolean') return 'yes';
  if (value === null) return { null: true };
  if (Array.isArray(value)) return { 0: value.map(wrongTypes) } as Json;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wrongTypes(v)]));
}

/** The operation's path with each parameter filled (a parameter not in `fill` gets an id that exists nowhere). */
function pathOf(op: Operation, fill: Record<string, string> = {}): string {
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => fill[name] ?? NO_SUCH_ID);
}

const label = (op: Operation) => `${op.method} ${op.path}`;
/** At most `n` items, spread over the list (the corpus is sampled per operation to stay fast). */
const spread = <T>(items: T[], n: number): T[] =>
  items.length <= n ? items : Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!);

beforeAll(async () => {
  t = await startTestApp();
  admin = (await t.seedTenant({ slug: 'corpus', edition: 'advanced', roles: ['admin'] })).users.admin!;
  const doc = JSON.parse((await send('GET', '/api/openapi.json')).text) as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: Array<{ in: string; name: string }>;
          requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
        }
      >
    >;
    components?: { schemas?: Record<string, JsonSchema> };
  };
  ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      return {
        method: method.toUpperCase(),
        path,
        pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        ...(schema ? { sample: sampleOf(doc, schema) } : {}),
      };
    }),
  );
});
afterAll(async () => {
  agent.destroy();
  await t?.stop();
});

describe.each([
  { who: 'an admin', token: () => admin.token },
  { who: 'nobody signed in', token: () => undefined },
])('bad input on every operation, as $who', ({ token }) => {
  it('malformed JSON and bodies of the wrong type are refused with the envelope', async () => {
    expect(ops.length).toBeGreaterThan(50);
    for (const op of ops) {
      for (const body of ['{"name": ', '{"a":1}}', Buffer.from([0xff, 0xfe, 0x7b]), '\u0000', 'nul\u0000l']) {
        const res = await send(op.method, pathOf(op), { token: token(), body });
        // A GET never reads a body (it has no meaning there); everything else must refuse it.
        if (op.method === 'GET') expectHandled(res, `${label(op)} malformed`);
        else expectRefused(res, `${label(op)} malformed`);
      }
      for (const body of [
        [1, 2],
        'text',
        null,
        42,
        true,
        ...(op.sample !== undefined ? [wrongTypes(op.sample)] : []),
      ]) {
        const res = await send(op.method, pathOf(op), { token: token(), body: JSON.stringify(body) });
        // A GET ignores a body it never asked for; a route with a body must refuse these.
        if (op.sample !== undefined) expectRefused(res, `${label(op)} wrong type ${JSON.stringify(body)}`);
        else expectHandled(res, `${label(op)} wrong type`);
      }
    }
  });

  it('NUL, other control characters and 100 KB strings in every string field are refused', async () => {
    const who = token();
    for (const op of ops.filter((o) => o.sample !== undefined)) {
      const fields = leaves(op.sample!, 'string');
      for (const field of who ? fields : spread(fields, 2)) {
        const name = ['body', ...field].join('.');
        const nul = await send(op.method, pathOf(op), {
          token: who,
          body: JSON.stringify(withLeaf(op.sample!, field, NUL)),
        });
        expectRefused(nul, `${label(op)} NUL in ${name}`);
        if (who && nul.status === 400) {
          // Refused for that field, by name (an admin passes the access check first).
          const details = (JSON.parse(nul.text) as { error: { details?: Array<{ path: string }> } }).error.details;
          expect(details?.[0]?.path, `${label(op)} NUL in ${name}`).toBe(name);
        }
      }
      for (const field of spread(fields, who ? 6 : 2)) {
        for (const bad of ['bell\u0007', 'esc\u001b[31m', 'del\u007f', 'c1\u0085', 'lone\ud800', LONG]) {
          const body = JSON.stringify(withLeaf(op.sample!, field, bad));
          expectHandled(await send(op.method, pathOf(op), { token: who, body }), `${label(op)} ${field.join('.')}`);
        }
      }
    }
  });

  it('huge, negative and fractional numbers in every number field never cause a 5xx', async () => {
    for (const op of ops.filter((o) => o.sample !== undefined)) {
      const fields = leaves(op.sample!, 'number');
      // Every operation with a body gets the class, even one with no number field (at its root).
      for (const field of fields.length ? fields : [[]]) {
        for (const n of token() ? HUGE_NUMBERS : HUGE_NUMBERS.slice(0, 2)) {
          const body = JSON.stringify(withLeaf(op.sample!, field, n));
          expectHandled(await send(op.method, pathOf(op), { token: token(), body }), `${label(op)} ${n}`);
        }
      }
      // Beyond what a double holds (JSON.parse makes it Infinity), written by hand: JSON.stringify cannot.
      const marker = 987654321.123;
      const raw = JSON.stringify(withLeaf(op.sample!, fields[0] ?? [], marker)).replace(String(marker), '1e999');
      expectHandled(await send(op.method, pathOf(op), { token: token(), body: raw }), `${label(op)} 1e999`);
    }
  });

  it('traversal strings and NUL in path parameters answer 400 or 404, never 5xx', async () => {
    const withParams = ops.filter((o) => o.pathParams.length > 0);
    expect(withParams.length).toBeGreaterThan(20);
    for (const op of withParams) {
      for (const param of op.pathParams) {
        for (const bad of TRAVERSALS) {
          const path = pathOf(op, { [param]: bad });
          const res = await send(op.method, path, {
            token: token(),
            ...(op.sample !== undefined ? { body: JSON.stringify(op.sample) } : {}),
          });
          expectRefused(res, `${op.method} ${path}`);
          if (token()) expect([400, 403, 404], `${op.method} ${path}`).toContain(res.status);
        }
      }
    }
  });

  it('bad query values never cause a 5xx', async () => {
    for (const op of ops) {
      // Every operation gets the class: unknown parameters too, on routes that take none.
      for (const name of [...op.queryParams, 'unexpected']) {
        for (const bad of ['%00', '-1', '1e400', '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(4096), '%E0%A4%A']) {
          const path = `${pathOf(op)}?${name}=${bad}&${name}=twice`;
          expectHandled(await send(op.method, path, { token: token() }), `${op.method} ${path.slice(0, 120)}`);
        }
      }
    }
  });

  it('a 5 MB body is refused with 413 on every operation that reads one, never a 5xx', async () => {
    for (const op of ops) {
      const res = await send(op.method, pathOf(op), { token: token(), body: FIVE_MB });
      expectHandled(res, `${label(op)} 5 MB`);
      if (op.sample !== undefined) expect(res.status, `${label(op)} 5 MB`).toBe(413);
    }
  });

  it('methods a path does not have answer 405 with an Allow header listing the ones it has', async () => {
    const byPath = new Map<string, Operation[]>();
    for (const op of ops) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
    const pattern = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const [path, pathOps] of byPath) {
      const documented = pathOps.map((o) => o.method);
      const url = pathOf(pathOps[0]!);
      // Methods no route answers on this URL (`/ivr-flows/validate` also matches `/ivr-flows/{id}`).
      const served = ops.filter((o) => pattern(o.path).test(url)).map((o) => o.method);
      const missing = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !served.includes(m));
      for (const method of ['TRACE', 'PROPFIND', ...missing.slice(0, 2)]) {
        const res = await send(method, url, { token: token() });
        expectRefused(res, `${method} ${path}`);
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(JSON.parse(res.text).error.code).toBe('method_not_allowed');
        const allow = String(res.headers.allow ?? '').split(/,\s*/);
        for (const m of documented) expect(allow, `${method} ${path}: Allow`).toContain(m);
      }
    }
  });
});

describe('the cases the issue names', () => {
  /** The free-text fields that answered 500 to a NUL before the shared text schema. */
  const fields: Array<{ method: string; path: string; body: (bad: string) => Json; field: string; multiLine?: true }> =
    [
      { method: 'PATCH', path: '/api/v1/tenant', body: (v) => ({ name: v }), field: 'name' },
      {
        method: 'POST',
        path: '/api/v1/users',
        body: (v) => ({ email: 'n@corpus.test', name: v, staffNo: '77', role: 'agent' }),
        field: 'name',
      },
      {
        method: 'POST',
        path: '/api/v1/users',
        body: (v) => ({ email: 'n@corpus.test', name: 'N', staffNo: v, role: 'agent' }),
        field: 'staffNo',
      },
      { method: 'POST', path: '/api/v1/api-keys', body: (v) => ({ name: v, scopes: ['records:read'] }), field: 'name' },
      {
        method: 'POST',
        path: '/api/v1/ivr-flows',
        body: (v) => ({ name: v, graph: { start: 'bye', nodes: [{ id: 'bye', type: 'hangup' }] } }),
        field: 'name',
      },
      {
        method: 'POST',
        path: '/api/v1/ivr-flows',
        body: (v) => ({
          name: 'Prompt',
          graph: { start: 'bye', nodes: [{ id: 'bye', type: 'hangup', prompt: { kind: 'say', text: v } }] },
        }),
        field: 'graph.nodes.0.prompt.text',
        multiLine: true,
      },
      { method: 'POST', path: `/api/v1/ivr-flows/${NO_SUCH_ID}/versions`, body: (v) => ({ label: v }), field: 'label' },
      {
        method: 'PUT',
        path: `/api/v1/sessions/${NO_SUCH_ID}/notes`,
        body: (v) => ({ notes: v }),
        field: 'notes',
        multiLine: true,
      },
      {
        method: 'POST',
        path: '/api/v1/collect-templates',
        body: (v) => ({ name: v, prompt: 'Your card number', maxDigits: 4, variable: 'Card' }),
        field: 'name',
      },
      {
        method: 'POST',
        path: '/api/v1/collect-templates',
        body: (v) => ({ name: 'Card', prompt: v, maxDigits: 4, variable: 'Card' }),
        field: 'prompt',
        multiLine: true,
      },
    ];

  it.each(fields)('$method $path: control characters in $field → 400 validation_failed naming it', async (f) => {
    for (const bad of [
      'a\u0000b',
      'a\u0007b',
      'a\u001bb',
      'a\u007fb',
      'a\u0085b',
      'a\ud800b',
      ...(f.multiLine ? [] : ['a\nb', 'a\tb']),
    ]) {
      const res = await send(f.method, f.path, { token: admin.token, body: JSON.stringify(f.body(bad)) });
      expect(res.status, `${f.field} = ${JSON.stringify(bad)}: ${res.text}`).toBe(400);
      const { error } = JSON.parse(res.text) as { error: { code: string; details: Array<{ path: string }> } };
      expect(error.code).toBe('validation_failed');
      expect(error.details.map((d) => d.path)).toContain(`body.${f.field}`);
    }
    const long = await send(f.method, f.path, {
      token: admin.token,
      body: JSON.stringify(f.body('x'.repeat(100_000))),
    });
    expect(long.status).toBe(400);
    expect(JSON.parse(long.text).error.details.map((d: { path: string }) => d.path)).toContain(`body.${f.field}`);
  });

  it('multi-line text keeps its line breaks and tabs; a name with the same is refused', async () => {
    const template = {
      name: 'Card number',
      prompt: 'Please key in\n\tyour card number',
      maxDigits: 4,
      variable: 'Card',
    };
    const created = await send('POST', '/api/v1/collect-templates', {
      token: admin.token,
      body: JSON.stringify(template),
    });
    expect(created.status, created.text).toBe(201);
    expect(JSON.parse(created.text).prompt).toBe(template.prompt);
    const named = await send('POST', '/api/v1/collect-templates', {
      token: admin.token,
      body: JSON.stringify({ ...template, name: 'Card\nnumber' }),
    });
    expect(named.status).toBe(400);
    // Notes pass validation with line breaks: the answer is about the (missing) call, not the text.
    const notes = await send('PUT', `/api/v1/sessions/${NO_SUCH_ID}/notes`, {
      token: admin.token,
      body: JSON.stringify({ notes: 'line one\r\nline two\twith a tab' }),
    });
    expect(notes.status).toBe(404);
  });

  it('NUL inside free JSON (tenant settings, keys and values) → 400 naming the place, not a 500', async () => {
    for (const settings of [{ crm: { url: 'a\u0000b' } }, { ['k\u0000']: 1 }, { list: ['ok', 'a\u0000'] }]) {
      const res = await send('PATCH', '/api/v1/tenant', { token: admin.token, body: JSON.stringify({ settings }) });
      expect(res.status, res.text).toBe(400);
      expect(JSON.parse(res.text).error.details[0].path).toMatch(/^body\.settings\./);
    }
    // Written by hand: JSON.stringify itself overflows the stack on this.
    const deep = `{"settings":{"deep":${'['.repeat(100_000)}"leaf"${']'.repeat(100_000)}}}`;
    const res = await send('PATCH', '/api/v1/tenant', { token: admin.token, body: deep });
    expect(res.status, res.text.slice(0, 200)).toBe(400);
    expect(JSON.parse(res.text).error.details[0].message).toMatch(/deep/);
  });

  it('TRACE /api/v1/auth/me answers 405 with Allow: GET', async () => {
    const res = await send('TRACE', '/api/v1/auth/me', { token: admin.token });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toMatch(/\bGET\b/);
    expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'method_not_allowed' } });
  });

  it('a method no path has, on a path that does not exist, is a 404', async () => {
    const res = await send('TRACE', '/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text).error.code).toBe('route_not_found');
  });

  it('nothing was logged as an unhandled error and no 5xx was counted', async () => {
    expect(t.logs.filter((l) => l.msg === 'unhandled error' || l.msg === 'request failed')).toEqual([]);
    const metrics = await t.metrics();
    expect(metrics).toContain('switchboard_http_requests_total');
    expect(metrics).not.toMatch(/switchboard_http_requests_total\{[^}]*status="5\d\d"/);
  });
});
