import type { PluginHost } from '../../plugins/host.js';
import { safeAlias } from './number-protection.js';

/**
 * Asks the `number.identify` plugins what agents see instead of a customer's number (RT-08,
 * OUT-10). Null when none answered (no plugin, slow or failing: the host logged it): agents then
 * see the number as number protection says. Never rejects.
 */
export async function identifyCustomer(
  pluginHost: PluginHost,
  call: { tenantId: string; sessionId: string; direction: 'inbound' | 'outbound'; number: string },
): Promise<string | null> {
  const answer = await pluginHost.emit('number.identify', {
    tenantId: call.tenantId,
    occurredAt: new Date().toISOString(),
    idempotencyKey: `identify:${call.sessionId}`,
    sessionId: call.sessionId,
    direction: call.direction,
    number: call.number,
  });
  return safeAlias(answer, call.number);
}

/**
 * Asks the `number.resolve` plugins for the real number behind an ID an agent dials (OUT-10).
 * Undefined when none knows it.
 */
export async function resolveCustomer(
  pluginHost: PluginHost,
  tenantId: string,
  customerId: string,
): Promise<string | undefined> {
  const answer = await pluginHost.emit('number.resolve', {
    tenantId,
    occurredAt: new Date().toISOString(),
    idempotencyKey: `resolve:${tenantId}:${customerId}:${Date.now()}`,
    customerId,
  });
  const n = typeof answer?.number === 'string' ? answer.number.replace(/[\s\-()]/g, '') : '';
  return /^\+?[0-9]{3,20}$/.test(n) ? n : undefined;
}
