/**
 * A real object store for the tests: s3rver (filesystem-backed S3) behind a middleware that
 * checks the real COS signature (`q-sign-*`, HMAC-SHA1, recomputed with the SDK's own signer)
 * and refuses anything else — the stand-in of research/wecom-cos-taro.md §3. It can be stopped
 * and started again on the same port with the same files (the receiver down for a while).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import type Koa from 'koa';
import S3rver from 's3rver';

/** Every request that passed the signature check, and what s3rver answered. */
export interface StoreRequest {
  method: string;
  bucket: string;
  key: string;
  status: number;
}

/** The COS signature check: 403 unless signed with a known key pair, in time, over this request. */
function cosVerifier(secrets: Record<string, string>, refused: { count: number }): Koa.Middleware {
  return async (ctx, next) => {
    const inHeader = ctx.get('authorization').startsWith('q-sign-algorithm=');
    if (!inHeader && !('q-signature' in ctx.query)) return deny();
    const a: Record<string, string> = inHeader
      ? Object.fromEntries(new URLSearchParams(ctx.get('authorization')))
      : (ctx.query as Record<string, string>);
    const secret = secrets[a['q-ak'] ?? ''];
    const [start, end] = String(a['q-key-time']).split(';').map(Number);
    const now = Date.now() / 1000;
    if (!secret || !(start! <= now + 60 && now <= end!)) return deny();
    const pick = (list: string | undefined, get: (k: string) => string) =>
      Object.fromEntries((list ? list.split(';') : []).map((k) => [k, get(k)]));
    const expected = COS.getAuthorization({
      SecretId: a['q-ak']!,
      SecretKey: secret,
      Method: ctx.method as COS.Method,
      // The SDK signs `/<key>` and sends `/<bucket>/<key>`.
      Pathname: decodeURIComponent(ctx.path.replace(/^\/[^/]+/, '')) || '/',
      Query: pick(a['q-url-param-list'], (k) => String(ctx.query[k] ?? '')),
      Headers: pick(a['q-header-list'], (k) => ctx.get(k)),
      KeyTime: a['q-key-time'],
    });
    if (new URLSearchParams(expected).get('q-signature') !== a['q-signature']) return deny();
    delete ctx.headers.authorization;
    const query = Object.fromEntries(Object.entries(ctx.query).filter(([k]) => !k.startsWith('q-')));
    ctx.querystring = new URLSearchParams(query as Record<string, string>).toString();
    return next();

    function deny(): void {
      refused.count++;
      ctx.status = 403;
    }
  };
}

/** An s3rver with COS signature checks, its buckets and one key pair per bucket owner. */
export class CosStore {
  /** Requests that passed the signature check, in order. */
  readonly requests: StoreRequest[] = [];
  /** Requests refused for their signature. */
  readonly refused = { count: 0 };
  private server: S3rver | undefined;
  private port = 0;

  private constructor(
    private readonly dir: string,
    private readonly buckets: string[],
    private readonly secrets: Record<string, string>,
  ) {}

  /** Starts a store with `buckets`, accepting the key pairs `secrets` (id → key). */
  static async start(buckets: string[], secrets: Record<string, string>): Promise<CosStore> {
    const store = new CosStore(await mkdtemp(join(tmpdir(), 'cos-store-')), buckets, secrets);
    await store.up();
    return store;
  }

  /** `http://127.0.0.1:<port>`: the endpoint setting (path style). */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again, on the same port and files after {@link down}). */
  async up(): Promise<void> {
    const server = new S3rver({
      address: '127.0.0.1',
      port: this.port,
      silent: true,
      directory: this.dir,
      configureBuckets: this.buckets.map((name) => ({ name })),
    });
    const log: Koa.Middleware = async (ctx, next) => {
      await next();
      const [, bucket = '', ...key] = ctx.path.split('/');
      this.requests.push({ method: ctx.method, bucket, key: decodeURIComponent(key.join('/')), status: ctx.status });
    };
    server.middleware.unshift(log, cosVerifier(this.secrets, this.refused));
    this.port = (await server.run()).port;
    this.server = server;
  }

  /** Stops the server: connections are refused until {@link up}. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.httpServer?.closeAllConnections();
    await server?.close();
  }

  /** Successful uploads of `key` to `bucket`. */
  puts(bucket: string, key?: string): StoreRequest[] {
    return this.requests.filter(
      (r) => r.method === 'PUT' && r.status === 200 && r.bucket === bucket && (key === undefined || r.key === key),
    );
  }

  /** The keys in `bucket`, read with a signed listing by the owner `secretId`. */
  async keys(bucket: string, secretId: string): Promise<string[]> {
    const cos = this.client(secretId);
    const list = await cos.getBucket({ Bucket: bucket, Region: 'ap-guangzhou' });
    return list.Contents.map((c) => c.Key).sort();
  }

  /** The bytes of an object, read with a signed GET by `secretId`. */
  async object(bucket: string, key: string, secretId: string): Promise<Buffer> {
    const res = await this.client(secretId).getObject({ Bucket: bucket, Region: 'ap-guangzhou', Key: key });
    return Buffer.from(res.Body as Buffer);
  }

  private client(secretId: string): COS {
    return new COS({
      SecretId: secretId,
      SecretKey: this.secrets[secretId]!,
      Protocol: 'http:',
      Domain: `127.0.0.1:${this.port}/{Bucket}`,
    });
  }

  async close(): Promise<void> {
    await this.down();
    await rm(this.dir, { recursive: true, force: true });
  }
}
