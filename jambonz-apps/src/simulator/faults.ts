/**
 * Fault injection for the simulator's REST API: a test names one request (method, path under
 * `/v1/Accounts/{sid}`, optionally a predicate on its JSON body) and the answer a real jambonz
 * gives when it fails — 480 when no feature server is free, 500 on a feature-server error, … —
 * and the next matching request gets exactly that, with nothing else happening (no leg created,
 * no call changed), as when the API server gives up on the request.
 *
 * Strict on purpose: only statuses the jambonz API server really answers, a fault fires a fixed
 * number of times, and {@link RestFaults.pending} lists faults that never fired (a test asserts
 * it empty, or it tests a path it never took).
 */

/** What a fault matches. */
export interface RestFaultMatch {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under `/v1/Accounts/{sid}` (e.g. `/Calls`, `/Calls/{sid}`): equal, or matching. */
  path: string | RegExp;
  /** Only requests whose parsed JSON body passes (e.g. a create-call to one device). */
  body?: (body: unknown) => boolean;
}

/** The answer of a failed request, as the API server words it. */
export interface RestFaultReply {
  /** 400 invalid body, 404 unknown call, 422 call not in a state for that, 480 no feature server, 500/503 server error. */
  status: 400 | 404 | 422 | 480 | 500 | 503;
  /** Default `{ msg: <a message of the API server for that status> }`. */
  body?: unknown;
}

/** A fault waiting to fire. */
export interface RestFault {
  /** Resolves with the request it failed, the last time it fires. */
  readonly fired: Promise<{ method: string; path: string; body: unknown }>;
  /** How many more requests it fails. */
  readonly remaining: number;
}

const DEFAULT_MSG: Record<RestFaultReply['status'], string> = {
  400: 'invalid request',
  404: 'Not Found',
  422: 'call is not in a state to accept this update',
  480: 'no available feature servers at this time',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

interface Rule {
  match: RestFaultMatch;
  reply: RestFaultReply;
  remaining: number;
  resolve: (req: { method: string; path: string; body: unknown }) => void;
  handle: { fired: Promise<{ method: string; path: string; body: unknown }>; remaining: number };
}

/** The faults of one simulator's REST API. */
export class RestFaults {
  private readonly rules: Rule[] = [];

  /** Fails the next `times` requests that match (default once). */
  add(match: RestFaultMatch, reply: RestFaultReply, times = 1): RestFault {
    if (!Number.isInteger(times) || times < 1) throw new Error(`failNext: times must be a positive integer`);
    if (!(reply.status in DEFAULT_MSG)) throw new Error(`failNext: jambonz never answers ${String(reply.status)}`);
    let resolve!: Rule['resolve'];
    const fired = new Promise<{ method: string; path: string; body: unknown }>((r) => (resolve = r));
    const handle = { fired, remaining: times };
    this.rules.push({ match, reply, remaining: times, resolve, handle });
    return handle;
  }

  /** @internal The reply of a fault for this request, if one matches (it is then used up). */
  take(method: string, path: string, raw: string): { status: number; body: unknown } | undefined {
    let body: unknown;
    try {
      body = raw.trim() ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const rule = this.rules.find(
      (r) =>
        r.remaining > 0 &&
        r.match.method === method &&
        (typeof r.match.path === 'string' ? r.match.path === path : r.match.path.test(path)) &&
        (!r.match.body || r.match.body(body)),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    rule.handle.remaining = rule.remaining;
    if (rule.remaining === 0) {
      this.rules.splice(this.rules.indexOf(rule), 1);
      rule.resolve({ method, path, body });
    }
    return { status: rule.reply.status, body: rule.reply.body ?? { msg: DEFAULT_MSG[rule.reply.status] } };
  }

  /** Faults that have not fired yet (`METHOD path ×n`). */
  pending(): string[] {
    return this.rules.map((r) => `${r.match.method} ${String(r.match.path)} ×${r.remaining}`);
  }

  /** Drops every fault that has not fired. */
  clear(): void {
    this.rules.splice(0);
  }
}
