// s3rver ships no types; only what the tests use.
declare module 's3rver' {
  import type Koa from 'koa';
  import type { Server } from 'node:http';
  import type { AddressInfo } from 'node:net';
  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory: string;
    configureBuckets?: Array<{ name: string }>;
  }
  class S3rver extends Koa {
    constructor(options: S3rverOptions);
    middleware: Koa.Middleware[];
    httpServer?: Server;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
  export default S3rver;
}
