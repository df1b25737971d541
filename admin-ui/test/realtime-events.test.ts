/**
 * The web app's copy of the realtime event types (`admin-ui/src/api/realtime-events.ts`) equals
 * the server's (`core/src/realtime/events.ts`): the type check (`npm run typecheck`) fails on a
 * difference in any event's data, and this test fails on a missing or extra event type.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ServerEvents as CoreEvents } from '../../core/src/realtime/events.js';
import { SERVER_EVENT_TYPES, type ServerEvents as UiEvents } from '../src/api/realtime-events.js';

describe('realtime event types', () => {
  it('are the same in the web app and the server', async () => {
    expectTypeOf<UiEvents>().toEqualTypeOf<CoreEvents>();
    expectTypeOf<(typeof SERVER_EVENT_TYPES)[number]>().toEqualTypeOf<keyof CoreEvents>();
    const source = await readFile(resolve(import.meta.dirname, '../../core/src/realtime/events.ts'), 'utf8');
    const body = source.slice(
      source.indexOf('export interface ServerEvents {'),
      source.indexOf('export type ServerEventType'),
    );
    const serverTypes = [...body.matchAll(/^ {2}'?([a-zA-Z.]+)'?: /gm)].map((m) => m[1]);
    expect([...SERVER_EVENT_TYPES].sort()).toEqual(serverTypes.sort());
  });
});
