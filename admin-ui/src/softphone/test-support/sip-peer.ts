/**
 * A scripted SIP-over-WebSocket peer (RFC 7118) for the softphone's browser tests: it plays
 * jambonz's SBC — a registrar that challenges REGISTER with a 401 digest and checks the
 * provisioned credentials — and the far end of calls: it sends INVITEs, ACKs, BYEs and records
 * everything the softphone sends. Written for the test, from RFC 3261 (§8, §17, §22).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** One SIP message, parsed. */
export interface SipMessage {
  /** Requests: the method; responses: undefined. */
  method: string | undefined;
  /** Requests: the Request-URI. */
  uri: string | undefined;
  /** Responses: the status code. */
  status: number | undefined;
  headers: Array<[string, string]>;
  body: string;
  raw: string;
  /** First value of a header (case-insensitive, compact forms included). */
  header(name: string): string | undefined;
}

const COMPACT: Record<string, string> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
};

/** Parses one SIP message (one WebSocket frame carries exactly one, RFC 7118 §5). */
export function parseSip(raw: string): SipMessage {
  const split = raw.indexOf('\r\n\r\n');
  const head = split >= 0 ? raw.slice(0, split) : raw;
  const body = split >= 0 ? raw.slice(split + 4) : '';
  const [start = '', ...lines] = head.split('\r\n');
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
  }
  const res = /^SIP\/2\.0 (\d{3})/.exec(start);
  const req = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(start);
  return {
    method: req?.[1],
    uri: req?.[2],
    status: res ? Number(res[1]) : undefined,
    headers,
    body,
    raw,
    header(name: string) {
      const want = name.toLowerCase();
      return headers.find(([h]) => {
        const l = h.toLowerCase();
        return l === want || COMPACT[l] === want;
      })?.[1];
    },
  };
}

function build(startLine: string, headers: Array<[string, string | number]>, body = ''): string {
  const lines = headers.map(([k, v]) => `${k}: ${v}`);
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${startLine}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const token = (n = 8) => randomBytes(n).toString('hex');

/** `key="value"` / `key=value` pairs of a Digest header. */
function digestParams(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of value.replace(/^Digest\s+/i, '').matchAll(/(\w+)=("([^"]*)"|[^,\s]+)/g)) {
    out[(m[1] as string).toLowerCase()] = m[3] ?? (m[2] as string);
  }
  return out;
}

/** The URI inside `<…>` of a name-addr, or the header itself. */
function uriOf(nameAddr: string): string {
  return /<([^>]+)>/.exec(nameAddr)?.[1] ?? nameAddr.split(';')[0]!.trim();
}

/** A call the peer placed to the softphone. */
export interface PeerCall {
  callId: string;
  fromTag: string;
  from: string;
  to: string;
  /** The INVITE's branch (for the ACK of a non-2xx final answer). */
  branch: string;
  /** The softphone's contact (where in-dialog requests go), once it answered. */
  remoteTarget: string | undefined;
  /** The To with the softphone's tag, once it answered. */
  toWithTag: string | undefined;
  cseq: number;
}

/** What the registrar accepts. */
export interface PeerAccount {
  realm: string;
  user: string;
  password: string;
}

/**
 * The peer. `received` holds everything the softphone sent, in order; `waitFor` resolves on a
 * message (already received or still to come) — events, never timers of the code under test.
 */
export class SipPeer {
  readonly received: SipMessage[] = [];
  /** Digest checks of REGISTERs: true = the response matched the provisioned password. */
  readonly digestChecks: boolean[] = [];
  /** The Contact the softphone registered (where INVITEs go). */
  contact: string | undefined;
  private socket: WebSocket | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly nonce = token(16);

  private constructor(
    private readonly server: WebSocketServer,
    private readonly account: PeerAccount,
  ) {}

  /** Starts the peer on 127.0.0.1 (a random port); it accepts the `sip` WebSocket subprotocol. */
  static async start(account: PeerAccount): Promise<SipPeer> {
    const server = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
    });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const peer = new SipPeer(server, account);
    server.on('connection', (ws) => {
      peer.socket = ws;
      ws.on('message', (data) => peer.onMessage(parseSip(data.toString())));
    });
    return peer;
  }

  /** `ws://127.0.0.1:<port>` — the softphone's `wsServer`. */
  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Waits for a message the softphone sent that matches (earlier ones count). */
  waitFor(pred: (m: SipMessage) => boolean, what: string, timeoutMs = 20_000): Promise<SipMessage> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.received.find(pred);
        if (!hit) return false;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(hit);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        const seen = this.received.map((m) => m.method ?? m.status).join(', ');
        reject(new Error(`SIP peer: no ${what} (received: ${seen})`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }

  /** Sends an INVITE with `sdp` to the registered contact; returns the call to continue it. */
  invite(opts: { sdp: string; fromUser: string; fromName?: string; headers?: Array<[string, string]> }): PeerCall {
    const target = this.contact;
    if (!target) throw new Error('SIP peer: the softphone has not registered');
    const { realm, user } = this.account;
    const call: PeerCall = {
      callId: `${token(12)}@peer.invalid`,
      fromTag: token(),
      from: '',
      to: `<sip:${user}@${realm}>`,
      branch: `z9hG4bK${token()}`,
      remoteTarget: undefined,
      toWithTag: undefined,
      cseq: 1,
    };
    call.from = `${opts.fromName ? `"${opts.fromName}" ` : ''}<sip:${opts.fromUser}@${realm}>;tag=${call.fromTag}`;
    this.send(
      build(
        `INVITE ${target} SIP/2.0`,
        [
          ['Via', `SIP/2.0/WSS peer.invalid;branch=${call.branch}`],
          ['Max-Forwards', 70],
          ['From', call.from],
          ['To', call.to],
          ['Call-ID', call.callId],
          ['CSeq', '1 INVITE'],
          ['Contact', `<sip:sbc@peer.invalid;transport=ws>`],
          ['Allow', 'INVITE, ACK, CANCEL, BYE, INFO, OPTIONS'],
          ...(opts.headers ?? []),
          ['Content-Type', 'application/sdp'],
        ],
        opts.sdp,
      ),
    );
    return call;
  }

  /** Waits for the softphone's final answer to the INVITE of `call` and acknowledges it. */
  async finalAnswer(call: PeerCall): Promise<SipMessage> {
    const res = await this.waitFor(
      (m) =>
        m.status !== undefined &&
        m.status >= 200 &&
        m.header('call-id') === call.callId &&
        /INVITE/.test(m.header('cseq') ?? ''),
      `final answer to the INVITE ${call.callId}`,
    );
    call.toWithTag = res.header('to');
    if (res.status === 200) {
      call.remoteTarget = uriOf(res.header('contact') ?? '');
      // The ACK of a 2xx is its own transaction, sent to the softphone's Contact (§13.2.2.4).
      this.send(this.inDialog(call, 'ACK', 1, `z9hG4bK${token()}`));
    } else {
      // The ACK of a non-2xx belongs to the INVITE transaction: same branch and Request-URI (§17.1.1.3).
      this.send(
        build(`ACK ${this.contact} SIP/2.0`, [
          ['Via', `SIP/2.0/WSS peer.invalid;branch=${call.branch}`],
          ['Max-Forwards', 70],
          ['From', call.from],
          ['To', call.toWithTag ?? call.to],
          ['Call-ID', call.callId],
          ['CSeq', '1 ACK'],
        ]),
      );
    }
    return res;
  }

  /** Cancels a ringing INVITE (the caller gives up); the softphone answers 200 and 487. */
  cancel(call: PeerCall): void {
    this.send(
      build(`CANCEL ${this.contact} SIP/2.0`, [
        ['Via', `SIP/2.0/WSS peer.invalid;branch=${call.branch}`],
        ['Max-Forwards', 70],
        ['From', call.from],
        ['To', call.to],
        ['Call-ID', call.callId],
        ['CSeq', '1 CANCEL'],
      ]),
    );
  }

  /** Hangs up an answered call (BYE) and resolves with the softphone's answer to it. */
  async bye(call: PeerCall): Promise<SipMessage> {
    call.cseq += 1;
    const cseq = call.cseq;
    this.send(this.inDialog(call, 'BYE', cseq, `z9hG4bK${token()}`));
    return this.waitFor(
      (m) => m.status !== undefined && m.header('call-id') === call.callId && m.header('cseq') === `${cseq} BYE`,
      'answer to the BYE',
    );
  }

  async close(): Promise<void> {
    for (const ws of this.server.clients) ws.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ─────────────────────────────── internals ───────────────────────────────

  private inDialog(call: PeerCall, method: string, cseq: number, branch: string): string {
    return build(`${method} ${call.remoteTarget} SIP/2.0`, [
      ['Via', `SIP/2.0/WSS peer.invalid;branch=${branch}`],
      ['Max-Forwards', 70],
      ['From', call.from],
      ['To', call.toWithTag ?? call.to],
      ['Call-ID', call.callId],
      ['CSeq', `${cseq} ${method}`],
    ]);
  }

  private send(text: string): void {
    if (!this.socket) throw new Error('SIP peer: no softphone connected');
    this.socket.send(text);
  }

  private onMessage(m: SipMessage): void {
    this.received.push(m);
    switch (m.method) {
      case 'REGISTER':
        this.onRegister(m);
        break;
      case 'BYE':
      case 'INFO':
      case 'OPTIONS':
        this.reply(m, 200, 'OK');
        break;
      case undefined:
      case 'ACK':
        break;
      default:
        this.reply(m, 405, 'Method Not Allowed');
    }
    for (const w of [...this.waiters]) w();
  }

  /** RFC 3261 §22.4: challenge, then check the digest against the provisioned password. */
  private onRegister(m: SipMessage): void {
    const auth = m.header('authorization');
    const { realm, user, password } = this.account;
    const challenge = (): void =>
      this.reply(m, 401, 'Unauthorized', [
        ['WWW-Authenticate', `Digest realm="${realm}", nonce="${this.nonce}", algorithm=MD5, qop="auth"`],
      ]);
    if (!auth) {
      challenge();
      return;
    }
    const p = digestParams(auth);
    const ha1 = md5(`${p.username}:${p.realm}:${password}`);
    const ha2 = md5(`REGISTER:${p.uri}`);
    const expected = md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
    const ok =
      p.username === user && p.realm === realm && p.nonce === this.nonce && p.qop === 'auth' && p.response === expected;
    this.digestChecks.push(ok);
    if (!ok) {
      // As jambonz's SBC does: a wrong password is challenged again, and the client gives up.
      challenge();
      return;
    }
    const contact = m.header('contact') ?? '';
    const expires = /expires=(\d+)/.exec(contact)?.[1] ?? m.header('expires') ?? '300';
    if (Number(expires) > 0) this.contact = uriOf(contact);
    else this.contact = undefined;
    this.reply(m, 200, 'OK', [
      ['Contact', `${contact.split(';expires=')[0]};expires=${expires}`],
      ['Expires', expires],
    ]);
  }

  private reply(req: SipMessage, status: number, reason: string, extra: Array<[string, string]> = []): void {
    const to = req.header('to') ?? '';
    const headers: Array<[string, string]> = [
      ...req.headers
        .filter(([h]) => ['via', 'v'].includes(h.toLowerCase()))
        .map(([, v]): [string, string] => ['Via', v]),
      ['From', req.header('from') ?? ''],
      ['To', /;tag=/.test(to) ? to : `${to};tag=${token()}`],
      ['Call-ID', req.header('call-id') ?? ''],
      ['CSeq', req.header('cseq') ?? ''],
      ...extra,
    ];
    this.send(build(`SIP/2.0 ${status} ${reason}`, headers));
  }
}
