import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one server instance. A registry per instance (not the global one)
 * so two servers in one process — as the realtime tests run them — do not collide.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'switchboard_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly pluginHookDuration = new Histogram({
    name: 'switchboard_plugin_hook_duration_seconds',
    help: 'Plugin hook handler duration',
    labelNames: ['plugin', 'hook', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly pluginHookFailures = new Counter({
    name: 'switchboard_plugin_hook_failures_total',
    help: 'Plugin hook handlers that threw or timed out',
    labelNames: ['plugin', 'hook', 'reason'] as const,
    registers: [this.registry],
  });
  readonly pluginAnnotationsDropped = new Counter({
    name: 'switchboard_plugin_annotations_dropped_total',
    help: 'call.incoming annotations dropped because they were not JSON or too large',
    labelNames: ['plugin', 'reason'] as const,
    registers: [this.registry],
  });
  readonly recordingReadyQueueFailures = new Counter({
    name: 'switchboard_recording_ready_queue_failures_total',
    help: 'Attempts to queue recording.ready for plugins that failed (retried until queued)',
    registers: [this.registry],
  });
  readonly backgroundErrors = new Counter({
    name: 'switchboard_background_errors_total',
    help: 'Failures of work nobody awaits (events, hooks, rings after a webhook), by step',
    labelNames: ['step'] as const,
    registers: [this.registry],
  });
  readonly webhookDeadlines = new Counter({
    name: 'switchboard_webhook_deadline_total',
    help: 'Telephony webhooks that ran out of their time budget and answered their fallback',
    labelNames: ['hook'] as const,
    registers: [this.registry],
  });
  readonly wsConnections = new Gauge({
    name: 'switchboard_ws_connections',
    help: 'Open realtime WebSocket connections',
    registers: [this.registry],
  });
  readonly wsEvents = new Counter({
    name: 'switchboard_ws_events_total',
    help: 'Realtime events delivered to sockets',
    registers: [this.registry],
  });

  constructor(opts: { defaults?: boolean } = {}) {
    if (opts.defaults !== false) collectDefaultMetrics({ register: this.registry });
  }
}
