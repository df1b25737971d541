import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a tenant's outbound request (a push subscription, an IVR HTTP node) may not reach
 * unless the tenant allows private addresses: loopback, private networks, link-local (cloud
 * metadata at 169.254.169.254), carrier-grade NAT, multicast, unspecified and their IPv6 forms.
 * Without this guard a tenant admin could make the server probe its own network (SSRF).
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** Whether `address` (an IP literal) is loopback, private, link-local or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return false;
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is checked as the IPv4 it is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  return PRIVATE.check(address, 'ipv6');
}

/** Why an outbound request did not get an HTTP answer. */
export type OutboundFailure = 'private_address' | 'timeout' | 'network' | 'too_large';

/** An outbound request that got no usable HTTP answer. */
export class OutboundError extends Error {
  override readonly name = 'OutboundError';
  constructor(
    readonly reason: OutboundFailure,
    message: string,
  ) {
    super(message);
  }
}

/** What {@link outboundRequest} sends. */
export interface OutboundRequest {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** The whole exchange, connection to last byte. */
  timeoutMs: number;
  /** Let the request reach private and loopback addresses (the tenant allowed them). */
  allowPrivate: boolean;
  /** Largest answer read, in bytes (default 64 KB); more is cut off (`truncated`). */
  maxAnswerBytes?: number;
}

/** The HTTP answer of {@link outboundRequest}. */
export interface OutboundAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  truncated: boolean;
}

/**
 * A DNS lookup that refuses private addresses: checked on the address the socket then connects
 * to, so a name that resolves to a public address when checked and a private one when used
 * (DNS rebinding) cannot slip through.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const usable = allowPrivate ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
      if (usable.length === 0) {
        const refused = Object.assign(new Error(`${hostname} resolves to a private address`), {
          code: 'EPRIVATEADDR',
        });
        return callback(refused, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}

/**
 * One HTTP(S) request to an address a tenant configured, with the SSRF guard: a private or
 * loopback address — literal or resolved — is refused (`private_address`) unless allowed.
 * Never follows redirects (a redirect is an answer like any other), never outlives
 * `timeoutMs`, never reads more than `maxAnswerBytes`. Rejects only with {@link OutboundError}.
 */
export function outboundRequest(req: OutboundRequest): Promise<OutboundAnswer> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return Promise.reject(new OutboundError('network', 'not a URL'));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new OutboundError('network', `${url.protocol} is not http or https`));
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // A literal address never goes through the lookup: check it here.
  if (!req.allowPrivate && isIP(host) && isPrivateAddress(host)) {
    return Promise.reject(new OutboundError('private_address', `${host} is a private address`));
  }
  const max = req.maxAnswerBytes ?? 64 * 1024;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<OutboundAnswer>((resolve, reject) => {
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const r = send(
      url,
      {
        method: req.method,
        headers: {
          ...req.headers,
          ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
        },
        lookup: guardedLookup(req.allowPrivate),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        res.on('data', (c: Buffer) => {
          if (size + c.length > max) {
            truncated = true;
            chunks.push(c.subarray(0, Math.max(0, max - size)));
            size = max;
            res.destroy();
            done(() =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks).toString('utf8'),
                truncated,
              }),
            );
            return;
          }
          size += c.length;
          chunks.push(c);
        });
        res.on('end', () =>
          done(() =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
              truncated,
            }),
          ),
        );
        res.on('error', (err) => done(() => reject(new OutboundError('network', err.message))));
      },
    );
    const timer = setTimeout(() => {
      done(() => reject(new OutboundError('timeout', `no answer within ${req.timeoutMs} ms`)));
      r.destroy();
    }, req.timeoutMs);
    r.on('error', (err: NodeJS.ErrnoException) =>
      done(() =>
        reject(
          err.code === 'EPRIVATEADDR'
            ? new OutboundError('private_address', err.message)
            : new OutboundError('network', err.code ?? err.message),
        ),
      ),
    );
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}
