/**
 * The embedded workbench's side of the SDK channel (issue 14): it answers the SDK in the CRM's
 * page over `postMessage` and tells it what happens. Messages are accepted only from the parent
 * window and only from one of the tenant's SDK origins (`sdkOrigins`); everything this side
 * sends goes to that origin only. The first accepted message fixes the host's origin.
 */
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
} from '@switchboard/sdk/protocol';

/** How the workbench answers each SDK method. */
export type SdkHandlers = {
  [M in SdkMethod]: (params: SdkMethods[M]['params']) => Promise<SdkMethods[M]['result']>;
};

/** A refusal with a stable code, answered to the SDK as it is. */
export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface BridgeOptions {
  /** This window (messages arrive on it). */
  self: Window;
  /** The embedding page's window (`window.parent`). */
  host: Window;
  /** The tenant's SDK origins. */
  allowedOrigins: readonly string[];
  /** Signs in with a login token; rejects with the reason when it is refused. */
  login(token: string): Promise<SdkEvents['ready']>;
  handlers: SdkHandlers;
}

export class EmbedBridge {
  private hostOrigin: string | null = null;
  /** Events raised before the host is known wait here (the first `statusChanged`…). */
  private readonly early: FrameMessage[] = [];
  private loggingIn = false;
  private readonly listener = (e: MessageEvent): void => void this.receive(e);

  constructor(private readonly o: BridgeOptions) {}

  /** Listens, and tells the host the workbench is there (to each allowed origin: only the right one gets it). */
  start(): void {
    this.o.self.addEventListener('message', this.listener);
    for (const origin of this.o.allowedOrigins) {
      this.o.host.postMessage({ protocol: PROTOCOL, type: 'loaded' } satisfies FrameMessage, origin);
    }
  }

  stop(): void {
    this.o.self.removeEventListener('message', this.listener);
  }

  /** Sends an event to the host (held until the host has spoken once). */
  emit<E extends SdkEventName>(name: E, data: SdkEvents[E]): void {
    this.send({ protocol: PROTOCOL, type: 'event', name, data });
  }

  private send(msg: FrameMessage): void {
    if (!this.hostOrigin) {
      this.early.push(msg);
      return;
    }
    this.o.host.postMessage(msg, this.hostOrigin);
  }

  private async receive(e: MessageEvent): Promise<void> {
    // Another frame, a foreign origin or not our protocol: not for us, and not answered.
    if (e.source !== this.o.host || !this.o.allowedOrigins.includes(e.origin)) return;
    if (!isProtocolMessage(e.data)) return;
    if (this.hostOrigin && e.origin !== this.hostOrigin) return;
    if (!this.hostOrigin) {
      this.hostOrigin = e.origin;
      for (const m of this.early.splice(0)) this.send(m);
    }
    const msg = e.data as HostMessage;
    if (msg.type === 'login') await this.login(msg.token);
    else if (msg.type === 'request') await this.answer(msg.id, msg.method, msg.params);
  }

  private async login(token: unknown): Promise<void> {
    if (this.loggingIn || typeof token !== 'string') return;
    this.loggingIn = true;
    try {
      this.emit('ready', await this.o.login(token));
    } catch (err) {
      this.emit('tokenExpired', { message: err instanceof Error ? err.message : String(err) });
    } finally {
      this.loggingIn = false;
    }
  }

  private async answer(id: unknown, method: unknown, params: unknown): Promise<void> {
    if (typeof id !== 'number') return;
    const handler = typeof method === 'string' ? this.o.handlers[method as SdkMethod] : undefined;
    if (!handler) {
      this.send({ protocol: PROTOCOL, type: 'response', id, ok: false, error: unknown(method) });
      return;
    }
    try {
      const data = await (handler as (p: unknown) => Promise<unknown>)(params);
      this.send({ protocol: PROTOCOL, type: 'response', id, ok: true, data });
    } catch (err) {
      const error: SdkErrorInfo =
        err instanceof BridgeError
          ? { code: err.code, message: err.message }
          : { code: 'failed', message: err instanceof Error ? err.message : String(err) };
      this.send({ protocol: PROTOCOL, type: 'response', id, ok: false, error });
    }
  }
}

function unknown(method: unknown): SdkErrorInfo {
  return { code: 'unknown_method', message: `No SDK method ${String(method)}` };
}
