import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import { checkAnnotations } from '../../plugins/annotations.js';
import { PluginRecordRepo } from './repo.js';
import type { PluginRecordRow } from './schema.js';

/** A record a plugin keeps for a tenant. */
export interface PluginRecord<T extends object = Record<string, unknown>> {
  kind: string;
  id: string;
  data: T;
  createdAt: Date;
  updatedAt: Date;
}

/** Top-level values a record's data must hold for {@link PluginRecordsPort.find} to return it. */
export type RecordMatch = Record<string, string | number | boolean | null>;

/** What {@link PluginRecordsPort.find} takes. */
export interface FindRecords {
  /** Only records whose data holds these top-level values (`{ status: 'notified' }`). */
  match?: RecordMatch;
  /** Only records created at or after this time. */
  since?: Date;
  /** At most this many, newest first (1…100, default 20). */
  limit?: number;
}

/**
 * The records one plugin keeps per tenant — its own tasks, deliveries, cursors — since plugins
 * never reach the database (the `pluginRecords` core service). The host binds it to the plugin:
 * a plugin reads and writes only its own records. `data` is a plain JSON object of at most
 * 16 KB; anything else is refused with `plugin_record_invalid`.
 *
 * @example
 * const task = await deps.pluginRecords.create(tenantId, 'task', id, { status: 'assigned' })
 * await deps.pluginRecords.update(tenantId, 'task', id, (r) => r.data.status === 'notified' ? { ...r.data, status: 'added' } : undefined)
 */
export interface PluginRecordsPort {
  /** Stores a new record; `undefined` when one with that kind and id exists (nothing changes). */
  create<T extends object>(tenantId: string, kind: string, id: string, data: T): Promise<PluginRecord<T> | undefined>;
  get<T extends object>(tenantId: string, kind: string, id: string): Promise<PluginRecord<T> | undefined>;
  /**
   * Changes a record atomically: `change` sees the current record (locked against every other
   * update) and returns the new data, or `undefined` to leave it as it is. Resolves to the
   * record as it is afterwards; `undefined` when there is none.
   */
  update<T extends object>(
    tenantId: string,
    kind: string,
    id: string,
    change: (current: PluginRecord<T>) => T | undefined,
  ): Promise<PluginRecord<T> | undefined>;
  /** A kind's records, newest first. */
  find<T extends object>(tenantId: string, kind: string, opts?: FindRecords): Promise<Array<PluginRecord<T>>>;
  /** Deletes a record; whether there was one. */
  remove(tenantId: string, kind: string, id: string): Promise<boolean>;
}

/** A core service the host hands each plugin bound to that plugin's name. */
export interface PluginScoped<T> {
  forPlugin(plugin: string): T;
}

const kindSchema = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a kebab-case kind');
const idSchema = z
  .string()
  .min(1)
  .max(200)
  // eslint-disable-next-line no-control-regex -- an id with control characters is refused on purpose
  .regex(/^[^\u0000-\u001f]+$/, 'printable text');
const limitSchema = z.number().int().min(1).max(100).default(20);
const matchSchema = z.record(z.string().min(1).max(64), z.union([z.string(), z.number(), z.boolean(), z.null()]));

function invalid(plugin: string, detail: string): never {
  throw createError('plugin_record_invalid', `plugin "${plugin}": ${detail}`, { details: { plugin } });
}

/** The kind and id checked, or `plugin_record_invalid` naming the plugin. */
function keyOf(plugin: string, kind: string, id: string): { kind: string; id: string } {
  const k = kindSchema.safeParse(kind);
  if (!k.success) invalid(plugin, `record kind "${String(kind)}" is not a kebab-case word`);
  const i = idSchema.safeParse(id);
  if (!i.success) invalid(plugin, `record id must be 1…200 printable characters`);
  return { kind: k.data, id: i.data };
}

/** The data checked (a plain JSON object, ≤ 16 KB, storable), as a copy the caller cannot change. */
function dataOf(plugin: string, data: unknown): Record<string, unknown> {
  const checked = checkAnnotations(data);
  if (!checked.ok) invalid(plugin, `record data: ${checked.detail.replace(/^annotations/, 'data')}`);
  return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
}

function findOptions(plugin: string, opts: FindRecords = {}) {
  const limit = limitSchema.safeParse(opts.limit);
  if (!limit.success) invalid(plugin, 'find limit must be 1…100');
  const match = opts.match === undefined ? undefined : matchSchema.safeParse(opts.match);
  if (match && !match.success) invalid(plugin, 'find match must map field names to strings, numbers, booleans or null');
  return { limit: limit.data, match: match?.data, since: opts.since };
}

const tenantUuid = z.uuid();

/**
 * {@link PluginRecordsPort} on PostgreSQL (`plugin_records`), registered as the `pluginRecords`
 * core service; {@link forPlugin} is what a plugin gets.
 */
export class PluginRecordStore implements PluginScoped<PluginRecordsPort> {
  private readonly repo: PluginRecordRepo;
  private readonly clock: Clock;

  constructor({ db, clock }: { db: Db; clock: Clock }) {
    this.repo = new PluginRecordRepo({ db });
    this.clock = clock;
  }

  forPlugin(plugin: string): PluginRecordsPort {
    const repo = this.repo;
    const clock = this.clock;
    // Tenant ids are UUIDs here: another string names no tenant (read: nothing; write: refused).
    const tenantOk = (tenantId: string) => tenantUuid.safeParse(tenantId).success;
    const full = (tenantId: string, kind: string, id: string) => ({ tenantId, plugin, ...keyOf(plugin, kind, id) });
    return {
      async create<T extends object>(tenantId: string, kind: string, id: string, data: T) {
        const key = full(tenantId, kind, id);
        const value = dataOf(plugin, data);
        if (!tenantOk(tenantId)) invalid(plugin, `no tenant "${tenantId}"`);
        const row = await repo.insert(key, value, clock.now());
        return row ? recordOf<T>(row) : undefined;
      },
      async get<T extends object>(tenantId: string, kind: string, id: string) {
        const key = full(tenantId, kind, id);
        if (!tenantOk(tenantId)) return undefined;
        const row = await repo.find(key);
        return row ? recordOf<T>(row) : undefined;
      },
      async update<T extends object>(
        tenantId: string,
        kind: string,
        id: string,
        change: (current: PluginRecord<T>) => T | undefined,
      ) {
        const key = full(tenantId, kind, id);
        if (!tenantOk(tenantId)) return undefined;
        const row = await repo.update(
          key,
          (current) => {
            const next = change(recordOf<T>(current));
            return next === undefined ? undefined : dataOf(plugin, next);
          },
          clock.now(),
        );
        return row ? recordOf<T>(row) : undefined;
      },
      async find<T extends object>(tenantId: string, kind: string, opts?: FindRecords) {
        const k = kindSchema.safeParse(kind);
        if (!k.success) invalid(plugin, `record kind "${String(kind)}" is not a kebab-case word`);
        const o = findOptions(plugin, opts);
        if (!tenantOk(tenantId)) return [];
        const rows = await repo.list({ tenantId, plugin, kind: k.data }, o);
        return rows.map((r) => recordOf<T>(r));
      },
      async remove(tenantId: string, kind: string, id: string) {
        const key = full(tenantId, kind, id);
        if (!tenantOk(tenantId)) return false;
        return repo.remove(key);
      },
    };
  }
}

function recordOf<T extends object>(row: PluginRecordRow): PluginRecord<T> {
  return { kind: row.kind, id: row.id, data: row.data as T, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

/**
 * {@link PluginRecordsPort} in memory, with the same checks and answers as the PostgreSQL store
 * (one contract test runs against both): what `createTestHost` gives a plugin that declares
 * `pluginRecords`, so a plugin's own tests need no database.
 */
export class MemoryPluginRecordStore implements PluginScoped<PluginRecordsPort> {
  private readonly rows = new Map<string, PluginRecordRow>();

  constructor(private readonly clock: { now(): Date } = { now: () => new Date() }) {}

  forPlugin(plugin: string): PluginRecordsPort {
    const rows = this.rows;
    const clock = this.clock;
    const at = (tenantId: string, kind: string, id: string) => JSON.stringify([tenantId, plugin, kind, id]);
    const copy = (row: PluginRecordRow): PluginRecordRow => ({ ...row, data: structuredClone(row.data) });
    return {
      create: async <T extends object>(tenantId: string, kind: string, id: string, data: T) => {
        const k = keyOf(plugin, kind, id);
        const value = dataOf(plugin, data);
        const key = at(tenantId, k.kind, k.id);
        if (rows.has(key)) return undefined;
        const now = clock.now();
        const row: PluginRecordRow = { tenantId, plugin, ...k, data: value, createdAt: now, updatedAt: now };
        rows.set(key, row);
        return recordOf<T>(copy(row));
      },
      get: async <T extends object>(tenantId: string, kind: string, id: string) => {
        const k = keyOf(plugin, kind, id);
        const row = rows.get(at(tenantId, k.kind, k.id));
        return row ? recordOf<T>(copy(row)) : undefined;
      },
      update: async <T extends object>(
        tenantId: string,
        kind: string,
        id: string,
        change: (current: PluginRecord<T>) => T | undefined,
      ) => {
        const k = keyOf(plugin, kind, id);
        const key = at(tenantId, k.kind, k.id);
        const row = rows.get(key);
        if (!row) return undefined;
        const next = change(recordOf<T>(copy(row)));
        if (next === undefined) return recordOf<T>(copy(row));
        const saved = { ...row, data: dataOf(plugin, next), updatedAt: clock.now() };
        rows.set(key, saved);
        return recordOf<T>(copy(saved));
      },
      find: async <T extends object>(tenantId: string, kind: string, opts?: FindRecords) => {
        const k = kindSchema.safeParse(kind);
        if (!k.success) invalid(plugin, `record kind "${String(kind)}" is not a kebab-case word`);
        const o = findOptions(plugin, opts);
        return (
          [...rows.entries()]
            .filter(
              ([, r]) =>
                r.tenantId === tenantId &&
                r.plugin === plugin &&
                r.kind === k.data &&
                (!o.since || r.createdAt >= o.since) &&
                Object.entries(o.match ?? {}).every(([f, v]) => r.data[f] === v),
            )
            .map(([, r]) => r)
            // As the PostgreSQL store orders: newest first, then by id, descending.
            .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
            .slice(0, o.limit)
            .map((r) => recordOf<T>(copy(r)))
        );
      },
      remove: async (tenantId: string, kind: string, id: string) => {
        const k = keyOf(plugin, kind, id);
        const key = at(tenantId, k.kind, k.id);
        return rows.delete(key);
      },
    };
  }
}
