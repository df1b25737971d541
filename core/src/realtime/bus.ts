import { randomUUID } from 'node:crypto';
import type { Audience, BusMessage, ServerEvents, ServerEventType } from './events.js';
import { channelOf } from './events.js';

/**
 * Fan-out of realtime events to every instance's sockets. Embedded mode (one process) uses
 * {@link LocalEventBus}; with a shared PostgreSQL, the LISTEN/NOTIFY bus carries events
 * between instances.
 */
export interface EventBus {
  /**
   * Publishes a typed event to one audience or several (one message, one frame id). Resolves
   * once handed to the transport.
   */
  publish<T extends ServerEventType>(audience: Audiences, type: T, data: ServerEvents[T]): Promise<void>;
  /** Receives every message published by any instance (including this one). */
  subscribe(listener: (msg: BusMessage) => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** One audience or several. */
export type Audiences = Audience | readonly Audience[];

/** Builds the wire message for an event (duplicate audiences collapse into one channel). */
export function toMessage<T extends ServerEventType>(audience: Audiences, type: T, data: ServerEvents[T]): BusMessage {
  const list: readonly Audience[] = Array.isArray(audience) ? audience : [audience as Audience];
  return {
    channels: [...new Set(list.map(channelOf))],
    frame: { type, data, id: randomUUID(), at: new Date().toISOString() },
  };
}

/** In-process bus: delivery is a function call. */
export class LocalEventBus implements EventBus {
  private readonly listeners = new Set<(msg: BusMessage) => void>();

  async publish<T extends ServerEventType>(audience: Audiences, type: T, data: ServerEvents[T]): Promise<void> {
    this.deliver(toMessage(audience, type, data));
  }

  protected deliver(msg: BusMessage): void {
    for (const l of this.listeners) l(msg);
  }

  subscribe(listener: (msg: BusMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {
    this.listeners.clear();
  }
}
