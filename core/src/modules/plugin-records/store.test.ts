/**
 * Plugins' own records (the `pluginRecords` core service): one contract, run against the
 * PostgreSQL store (PGlite, and the real server when CI provides it) and the in-memory store the
 * plugin test host uses, so a plugin's tests on the test host mean what they say.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../errors/registry.js';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../../../test/support/test-database.js';
import { MemoryPluginRecordStore, PluginRecordStore, type PluginRecordsPort, type PluginScoped } from './store.js';

interface Task extends Record<string, unknown> {
  status: string;
  member?: string;
  n?: number;
}

/** A clock the test moves, so creation times (and `since`) are exact. */
const clock = { ms: Date.parse('2026-12-03T10:00:00Z'), now: () => new Date(clock.ms) };

interface World {
  store: PluginScoped<PluginRecordsPort>;
  tenantA: string;
  tenantB: string;
  close(): Promise<void>;
}

const worlds: Record<string, () => Promise<World>> = {
  memory: async () => ({
    store: new MemoryPluginRecordStore(clock),
    tenantA: randomUUID(),
    tenantB: randomUUID(),
    close: async () => undefined,
  }),
};
for (const kind of DB_KINDS) {
  worlds[kind] = async () => {
    const database: TestDatabase = await createTestDatabase(kind);
    const t: TestApp = await startTestApp({ db: database });
    const a = await t.seedTenant({ slug: `records-a-${kind}`, roles: ['admin'] });
    const b = await t.seedTenant({ slug: `records-b-${kind}`, roles: ['admin'] });
    // The app's store, on its database, reading the test's clock.
    const store = new PluginRecordStore({ db: t.app.container.cradle.db, clock });
    return {
      store,
      tenantA: a.tenantId,
      tenantB: b.tenantId,
      close: async () => {
        await t.stop();
        await database.close();
      },
    };
  };
}

describe.each(Object.keys(worlds))('plugin records on %s', (kind) => {
  let w: World;
  let mine: PluginRecordsPort;
  let theirs: PluginRecordsPort;
  beforeAll(async () => {
    clock.ms = Date.parse('2026-12-03T10:00:00Z');
    w = await worlds[kind]!();
    mine = w.store.forPlugin('wecom-add-friend');
    theirs = w.store.forPlugin('other-plugin');
  });
  afterAll(() => w?.close());

  it('creates once, reads back a copy, and a second create with the same id changes nothing', async () => {
    const data: Task = { status: 'assigned', member: 'zhangsan' };
    const created = await mine.create(w.tenantA, 'task', 't1', data);
    expect(created).toMatchObject({ kind: 'task', id: 't1', data: { status: 'assigned', member: 'zhangsan' } });
    expect(created!.createdAt.toISOString()).toBe('2026-12-03T10:00:00.000Z');
    data.status = 'changed by the caller afterwards';
    expect((await mine.get<Task>(w.tenantA, 'task', 't1'))!.data.status).toBe('assigned');
    expect(await mine.create(w.tenantA, 'task', 't1', { status: 'again' })).toBeUndefined();
    expect((await mine.get<Task>(w.tenantA, 'task', 't1'))!.data.status).toBe('assigned');
  });

  it('keeps plugins and tenants apart: another plugin, or the same plugin for another tenant, sees nothing', async () => {
    await mine.create(w.tenantA, 'task', 'apart', { status: 'assigned' });
    expect(await theirs.get(w.tenantA, 'task', 'apart')).toBeUndefined();
    expect(await mine.get(w.tenantB, 'task', 'apart')).toBeUndefined();
    expect(await theirs.find(w.tenantA, 'task')).toEqual([]);
    expect(await theirs.remove(w.tenantA, 'task', 'apart')).toBe(false);
    expect(await mine.update(w.tenantB, 'task', 'apart', () => ({ status: 'stolen' }))).toBeUndefined();
    expect((await mine.get<Task>(w.tenantA, 'task', 'apart'))!.data.status).toBe('assigned');
  });

  it('updates atomically: concurrent changes of one record all land, and undefined leaves it as it is', async () => {
    await mine.create<Task>(w.tenantA, 'task', 'count', { status: 'assigned', n: 0 });
    clock.ms += 1000;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        mine.update<Task>(w.tenantA, 'task', 'count', (r) => ({ ...r.data, n: (r.data.n ?? 0) + 1 })),
      ),
    );
    const after = await mine.get<Task>(w.tenantA, 'task', 'count');
    expect(after!.data.n).toBe(8);
    expect(after!.updatedAt.getTime()).toBe(clock.ms);
    const untouched = await mine.update<Task>(w.tenantA, 'task', 'count', () => undefined);
    expect(untouched!.data.n).toBe(8);
    expect(await mine.update(w.tenantA, 'task', 'nobody', () => ({ status: 'x' }))).toBeUndefined();
  });

  it('finds a kind newest first, by top-level values and creation time, within the limit', async () => {
    const base = clock.ms + 60_000;
    for (const [i, member] of ['lisi', 'wangwu', 'lisi', 'lisi'].entries()) {
      clock.ms = base + i * 1000;
      await mine.create(w.tenantA, 'invite', `i${i}`, { status: i === 3 ? 'added' : 'notified', member });
    }
    const ids = (rs: Array<{ id: string }>) => rs.map((r) => r.id);
    expect(ids(await mine.find(w.tenantA, 'invite'))).toEqual(['i3', 'i2', 'i1', 'i0']);
    expect(ids(await mine.find(w.tenantA, 'invite', { match: { member: 'lisi', status: 'notified' } }))).toEqual([
      'i2',
      'i0',
    ]);
    expect(ids(await mine.find(w.tenantA, 'invite', { since: new Date(base + 1000) }))).toEqual(['i3', 'i2', 'i1']);
    expect(ids(await mine.find(w.tenantA, 'invite', { limit: 2 }))).toEqual(['i3', 'i2']);
    expect(await mine.find(w.tenantA, 'invite', { match: { member: 'nobody' } })).toEqual([]);
  });

  it('removes a record once', async () => {
    await mine.create(w.tenantA, 'task', 'gone', { status: 'assigned' });
    expect(await mine.remove(w.tenantA, 'task', 'gone')).toBe(true);
    expect(await mine.remove(w.tenantA, 'task', 'gone')).toBe(false);
    expect(await mine.get(w.tenantA, 'task', 'gone')).toBeUndefined();
  });

  it('refuses data that is not storable JSON, and keys that are not words, naming the plugin', async () => {
    const refused = async (p: Promise<unknown>) => {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAppError(err, 'plugin_record_invalid'), String(err)).toBe(true);
      expect((err as Error).message).toContain('wecom-add-friend');
      return (err as Error).message;
    };
    expect(await refused(mine.create(w.tenantA, 'task', 'bad', { at: new Date() }))).toContain('Date');
    expect(await refused(mine.create(w.tenantA, 'task', 'nul', { s: 'a\u0000b' }))).toContain('NUL');
    await refused(mine.create(w.tenantA, 'task', 'big', { s: 'x'.repeat(17 * 1024) }));
    await refused(mine.create(w.tenantA, 'Task!', 'k', { status: 'x' }));
    await refused(mine.create(w.tenantA, 'task', '', { status: 'x' }));
    await refused(mine.find(w.tenantA, 'task', { limit: 1000 }));
    await mine.create(w.tenantA, 'task', 'ok', { status: 'assigned' });
    await refused(mine.update(w.tenantA, 'task', 'ok', () => ({ status: 'x', n: Number.NaN })));
    expect((await mine.get<Task>(w.tenantA, 'task', 'ok'))!.data.status).toBe('assigned');
  });
});
