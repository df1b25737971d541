import {
  PROTOCOL,
  isProtocolMessage,
  type FrameMessage,
  type HostMessage,
  type SdkErrorInfo,
  type SdkEventName,
  type SdkEvents,
  type SdkMethod,
  type SdkMethods,
} from './protocol.js';

/** Options of {@link SwitchboardClient.init}. */
export interface InitOptions {
  /** The embedded workbench's address: `sdkUrl` of `POST /api/v1/sdk/login-tokens`. */
  sdkUrl: string;
  /** The one-time login token of the same answer. */
  token: string;
  /**
   * Where the workbench goes: it fills this element. Default: a panel fixed to the bottom right
   * of the page (400 × 640).
   */
  container?: HTMLElement;
  /** Start hidden (show it with `UI.show`). */
  hidden?: boolean;
  /** How long `init` waits for the workbench to load and sign in. Default 30 s. */
  initTimeoutMs?: number;
  /** How long a method waits for the workbench's answer. Default 30 s. */
  requestTimeoutMs?: number;
}

/** A failed SDK call: `code` is stable (the server's error code where it gave one). */
export class SdkError extends Error {
  readonly code: string;
  constructor(info: SdkErrorInfo) {
    super(info.message);
    this.name = 'SdkError';
    this.code = info.code;
  }
}

/** A listener of one event. */
export type Listener<E extends SdkEventName> = (data: SdkEvents[E]) => void;
type Pending = { resolve: (v: unknown) => void; reject: (e: SdkError) => void; timer: ReturnType<typeof setTimeout> };

const DEFAULT_TIMEOUT_MS = 30_000;
const PANEL_STYLE =
  'position:fixed;right:16px;bottom:16px;width:400px;height:640px;z-index:2147483000;' +
  'border:1px solid #dcdcdc;border-radius:8px;box-shadow:0 6px 30px rgba(0,0,0,.12);background:#fff;overflow:hidden';

/**
 * One SDK instance: the embedded workbench's iframe and the message channel to it. The page
 * usually uses the global one (`switchboard` / the package's named exports); several may coexist.
 */
export class SwitchboardClient {
  private iframe: HTMLIFrameElement | null = null;
  /** What holds the iframe (the page's container, or our panel); shown and hidden by `UI`. */
  private host: HTMLElement | null = null;
  private ownsHost = false;
  private origin = '';
  private seq = 0;
  private requestTimeoutMs = DEFAULT_TIMEOUT_MS;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<SdkEventName, Set<Listener<SdkEventName>>>();
  private onLoaded: (() => void) | null = null;
  private readonly onMessage = (e: MessageEvent): void => this.receive(e);

  /**
   * Loads the workbench, signs the agent in with the token and resolves on `ready`. Rejects with
   * `token_expired` (the `tokenExpired` event fires too) when the token was refused, and with
   * `load_failed` when the workbench never loaded (a page whose origin the tenant has not listed
   * in its SDK origins may not frame it).
   */
  init(opts: InitOptions): Promise<SdkEvents['ready']> {
    if (this.iframe)
      return Promise.reject(new SdkError({ code: 'already_initialized', message: 'Call destroy() first' }));
    const url = new URL(opts.sdkUrl, location.href);
    this.origin = url.origin;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    window.addEventListener('message', this.onMessage);

    const iframe = document.createElement('iframe');
    iframe.src = url.href;
    iframe.title = 'Switchboard';
    // The softphone needs the microphone, the ring tone autoplay, the offer a notification.
    iframe.allow = `microphone ${url.origin}; autoplay ${url.origin}; speaker-selection ${url.origin}`;
    iframe.setAttribute('data-switchboard-sdk', '');
    iframe.style.cssText = 'width:100%;height:100%;border:0;display:block';
    let host = opts.container;
    if (!host) {
      host = document.createElement('div');
      host.style.cssText = PANEL_STYLE;
      this.ownsHost = true;
      const panel = host;
      // Called from a script in <head>: the panel goes in once the body exists.
      if (document.body) document.body.appendChild(panel);
      else document.addEventListener('DOMContentLoaded', () => document.body.appendChild(panel), { once: true });
    }
    this.host = host;
    host.appendChild(iframe);
    this.iframe = iframe;
    if (opts.hidden) this.hide();

    return new Promise<SdkEvents['ready']>((resolve, reject) => {
      const timeoutMs = opts.initTimeoutMs ?? DEFAULT_TIMEOUT_MS;
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new SdkError({
            code: 'load_failed',
            message: `The workbench at ${url.origin} did not load within ${timeoutMs} ms; is this page's origin (${location.origin}) one of the tenant's SDK origins?`,
          }),
        );
      }, timeoutMs);
      const offReady = this.on('ready', (data) => {
        cleanup();
        resolve(data);
      });
      const offExpired = this.on('tokenExpired', (data) => {
        cleanup();
        reject(new SdkError({ code: 'token_expired', message: data.message }));
      });
      const cleanup = () => {
        clearTimeout(timer);
        offReady();
        offExpired();
        this.onLoaded = null;
      };
      this.onLoaded = () => this.post({ protocol: PROTOCOL, type: 'login', token: opts.token });
    });
  }

  /** Calls a method of the workbench. */
  request<M extends SdkMethod>(method: M, params?: SdkMethods[M]['params']): Promise<SdkMethods[M]['result']> {
    if (!this.iframe) return Promise.reject(new SdkError({ code: 'not_initialized', message: 'Call init() first' }));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SdkError({ code: 'timeout', message: `${method}: no answer within ${this.requestTimeoutMs} ms` }));
      }, this.requestTimeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.post({ protocol: PROTOCOL, type: 'request', id, method, params });
    });
  }

  /** Listens to an event; returns a function that stops listening. */
  on<E extends SdkEventName>(name: E, fn: Listener<E>): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn as Listener<SdkEventName>);
    return () => this.off(name, fn);
  }

  /** Stops a listener added with {@link on}. */
  off<E extends SdkEventName>(name: E, fn: Listener<E>): void {
    this.listeners.get(name)?.delete(fn as Listener<SdkEventName>);
  }

  /** Shows the workbench (SDK-16). */
  show(): void {
    if (this.host) this.host.style.display = '';
  }

  /** Hides the workbench (SDK-15); calls go on, and events still arrive. */
  hide(): void {
    if (this.host) this.host.style.display = 'none';
  }

  /** Whether the workbench is shown. */
  get visible(): boolean {
    return !!this.host && this.host.style.display !== 'none';
  }

  /**
   * Removes the workbench (the panel the SDK made, or the iframe from the page's container);
   * pending calls fail with `destroyed`. Listeners stay: a page that inits again keeps them.
   */
  destroy(): void {
    window.removeEventListener('message', this.onMessage);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new SdkError({ code: 'destroyed', message: 'The SDK was destroyed' }));
      this.pending.delete(id);
    }
    this.iframe?.remove();
    if (this.ownsHost) this.host?.remove();
    else if (this.host) this.host.style.display = '';
    this.iframe = null;
    this.host = null;
    this.ownsHost = false;
    this.onLoaded = null;
  }

  private post(msg: HostMessage): void {
    // To the workbench's origin only: were the frame navigated elsewhere, nothing is delivered.
    this.iframe?.contentWindow?.postMessage(msg, this.origin);
  }

  private receive(e: MessageEvent): void {
    // Only our frame, from the workbench's origin, speaking this protocol.
    if (!this.iframe || e.source !== this.iframe.contentWindow || e.origin !== this.origin) return;
    if (!isProtocolMessage(e.data)) return;
    const msg = e.data as FrameMessage;
    switch (msg.type) {
      case 'loaded':
        // The first load signs in; a later one (the agent reloaded the frame) keeps its session.
        if (this.onLoaded) this.onLoaded();
        else this.post({ protocol: PROTOCOL, type: 'attach' });
        return;
      case 'response': {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.ok) p.resolve(msg.data);
        else p.reject(new SdkError(msg.error));
        return;
      }
      case 'event':
        for (const fn of [...(this.listeners.get(msg.name) ?? [])]) {
          try {
            fn(msg.data as never);
          } catch (err) {
            // A listener's error is the page's bug: reported, never breaking other listeners.
            setTimeout(() => {
              throw err;
            });
          }
        }
        return;
    }
  }
}
