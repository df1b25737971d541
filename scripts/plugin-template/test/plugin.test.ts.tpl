/**
 * __NAME__ on the real plugin host (`createTestHost`): same policies, budgets and DI rules as
 * the server, tenants and their settings given in the test.
 */
import { createTestHost, testPayload } from '@switchboard/core/plugin';
import { describe, expect, it } from 'vitest';
import { __CAMEL__ } from '../src/index.js';

const settings = { baseUrl: 'https://crm.example.com', apiToken: 'token-123456' };

describe('__NAME__', () => {
  it('annotates an inbound call for a tenant that turned the plugin on, and for no other', async () => {
    const t = await createTestHost({
      plugins: [__CAMEL__({})],
      tenants: {
        on: { plugins: { '__NAME__': { enabled: true, settings } } },
        off: {},
      },
    });
    try {
      expect(t.statuses[0]?.status).toBe('ok');
      const on = await t.emit('call.incoming', testPayload('call.incoming', { tenantId: 'on' }));
      expect(on.annotations).toEqual({ __CAMEL__: { greeting: 'Welcome from crm.example.com' } });
      const off = await t.emit('call.incoming', testPayload('call.incoming', { tenantId: 'off' }));
      expect(off.annotations).toEqual({});
      expect(await t.failureCount({ plugin: '__NAME__' })).toBe(0);
    } finally {
      await t.close();
    }
  });
});
