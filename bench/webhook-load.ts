/**
 * A small HTTP load generator for the jambonz call webhook, run by `bench/run.ts` in its own
 * process (`node --import tsx bench/webhook-load.ts '<json options>'`) so it does not share the
 * server's event loop. autocannon sends one fixed body; a known number needs a fresh `call_sid`
 * per request (a repeated one is a retry and is answered from the stored session), so each
 * request here gets its own id and its own `Jambonz-Signature`.
 *
 * Modes:
 * - closed loop (default): `connections` workers, each sending its next request as soon as the
 *   previous one is answered — measures throughput at saturation;
 * - open loop (`rate`): requests start on a fixed schedule of `rate` per second over at most
 *   `connections` sockets, and latency counts from the scheduled start, so a slow server cannot
 *   hide its queueing (no coordinated omission).
 *
 * Prints one JSON line: `{requests, rps, p50, p90, p99, max, errors, unexpected}` (ms).
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';
import { signPayload } from '../jambonz-apps/src/protocol/signature.js';

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Requests per second (open loop); omitted = closed loop. */
  rate?: number;
  /** `call-hook`: a signed jambonz call hook with a fresh call_sid each; `plain`: POST `{}`. */
  kind: 'call-hook' | 'plain';
  /** Called number of the call hooks. */
  to?: string;
  /** Calling number of the call hooks. */
  from?: string;
  /** A 200 whose body lacks this string counts as `unexpected` (e.g. a fallback answer). */
  expect?: string;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Transport errors and non-2xx answers. */
  errors: number;
  /** 2xx answers without the expected content. */
  unexpected: number;
}

/** The initial call hook body as jambonz 0.9.x sends it (research §1.2), about 1.6 KB. */
export function callHookBody(callSid: string, from: string, to: string): string {
  const callId = randomUUID();
  const sdp =
    'v=0\r\no=- 1714 1714 IN IP4 54.172.60.3\r\ns=-\r\nc=IN IP4 54.172.60.3\r\nt=0 0\r\n' +
    'm=audio 10000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n' +
    'a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n';
  return JSON.stringify({
    sip: {
      headers: {
        via: 'SIP/2.0/UDP 54.172.60.3;rport=5060;branch=z9hG4bKbench',
        from: `<sip:${from}@54.172.60.3:5060>;tag=bench`,
        to: `<sip:${to}@10.0.13.72>`,
        'call-id': callId,
        'X-Account-Sid': 'bench-account',
        'X-CID': `${callId}@0.0.0.0`,
        'X-Forwarded-For': '54.172.60.3',
        'X-Originating-Carrier': 'BenchCarrier',
        'content-type': 'application/sdp',
      },
      body: sdp,
      method: 'INVITE',
      version: '2.0',
      uri: `sip:${to}@10.0.13.72:5070`,
      payload: [{ type: 'application/sdp', content: sdp }],
    },
    direction: 'inbound',
    trace_id: '00000000000000000000000000000000',
    has_recording: false,
    caller_name: '',
    call_sid: callSid,
    account_sid: 'bench-account',
    application_sid: 'bench-application',
    from,
    to,
    call_id: callId,
    sip_status: 100,
    sip_reason: 'Trying',
    call_status: 'trying',
    sbc_callid: `${callId}@0.0.0.0`,
    originating_sip_ip: '54.172.60.3',
    originating_sip_trunk_name: 'BenchCarrier',
    local_sip_address: '10.0.13.72:5070',
    service_provider_sid: 'bench-sp',
    defaults: {
      synthesizer: { vendor: 'google', language: 'en-US', voice: 'en-US-Standard-C' },
      recognizer: { vendor: 'google', language: 'en-US' },
    },
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Runs the load and resolves with its figures. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const secret = process.env.BENCH_WEBHOOK_SECRET ?? '';
  if (o.kind === 'call-hook' && !secret) throw new Error('BENCH_WEBHOOK_SECRET is not set');
  const target = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
  const latencies: number[] = [];
  let errors = 0;
  let unexpected = 0;

  const send = (): Promise<void> => {
    const body =
      o.kind === 'call-hook'
        ? callHookBody(randomUUID(), o.from ?? '13900000000', o.to ?? '4001000000')
        : JSON.stringify({});
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'user-agent': 'jambonz',
    };
    if (o.kind === 'call-hook') headers['jambonz-signature'] = signPayload(secret, body);
    return new Promise<void>((resolve) => {
      const req = request(
        { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
            if (!ok) errors++;
            else if (o.expect && !Buffer.concat(chunks).toString('utf8').includes(o.expect)) unexpected++;
            resolve();
          });
          res.on('error', () => {
            errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  };

  const started = performance.now();
  const deadline = started + o.durationSeconds * 1000;
  if (o.rate === undefined) {
    const worker = async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await send();
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: o.connections }, worker));
  } else {
    const interval = 1000 / o.rate;
    const inFlight = new Set<Promise<void>>();
    let next = 0;
    while (performance.now() < deadline) {
      const now = performance.now();
      while (started + next * interval <= now && started + next * interval < deadline) {
        const scheduled = started + next * interval;
        next++;
        const p = send().then(() => {
          latencies.push(performance.now() - scheduled);
          inFlight.delete(p);
        });
        inFlight.add(p);
      }
      await new Promise((r) => setTimeout(r, Math.max(1, Math.min(5, started + next * interval - now))));
    }
    await Promise.all(inFlight);
  }
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    requests: latencies.length,
    rps: latencies.length / elapsed,
    p50: round(percentile(latencies, 0.5)),
    p90: round(percentile(latencies, 0.9)),
    p99: round(percentile(latencies, 0.99)),
    max: round(latencies.at(-1) ?? 0),
    errors,
    unexpected,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const opts = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  runLoad(opts).then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
