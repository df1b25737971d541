import { and, asc, count, desc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import type { Db, DbTx } from '../../db/database.js';
import { callSessions } from '../calls/schema.js';
import type { IvrGraph } from '../ivr/flow-model.js';
import { ivrFlowVersions, ivrFlows } from '../ivr/schema.js';
import { likePattern } from '../tenants/repo.js';
import { audioFiles, type AudioFileRow, type AudioFormat } from './schema.js';

/** A flow version that can still run: new calls take it, or a call in progress is on it. */
export interface RunnableVersion {
  flowId: string;
  flowName: string;
  version: number;
  graph: IvrGraph;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Audio-library rows. Every method but {@link AudioFileRepo.findForMedia} takes the tenant id. */
export class AudioFileRepo {
  private readonly db: Db;
  constructor({ db }: { db: Db }) {
    this.db = db;
  }

  async create(
    tenantId: string,
    input: Omit<AudioFileRow, 'tenantId' | 'createdAt' | 'updatedAt'>,
  ): Promise<AudioFileRow> {
    const [row] = await this.db
      .insert(audioFiles)
      .values({ ...input, tenantId })
      .returning();
    return row!;
  }

  async list(tenantId: string): Promise<AudioFileRow[]> {
    return this.db.select().from(audioFiles).where(eq(audioFiles.tenantId, tenantId)).orderBy(asc(audioFiles.name));
  }

  /** One page of the library (the admin list and the editor's picker); `q` matches the name. */
  async page(
    tenantId: string,
    opts: { q?: string; sort: 'name' | 'createdAt'; order: 'asc' | 'desc'; page: number; pageSize: number },
  ): Promise<{ rows: AudioFileRow[]; total: number }> {
    const where = and(
      eq(audioFiles.tenantId, tenantId),
      opts.q ? ilike(audioFiles.name, likePattern(opts.q)) : undefined,
    );
    const column = opts.sort === 'name' ? audioFiles.name : audioFiles.createdAt;
    const [rows, [total]] = await Promise.all([
      this.db
        .select()
        .from(audioFiles)
        .where(where)
        .orderBy(opts.order === 'asc' ? asc(column) : desc(column), asc(audioFiles.id))
        .limit(opts.pageSize)
        .offset((opts.page - 1) * opts.pageSize),
      this.db.select({ n: count() }).from(audioFiles).where(where),
    ]);
    return { rows, total: total?.n ?? 0 };
  }

  async ids(tenantId: string): Promise<Array<{ id: string; format: AudioFormat }>> {
    return this.db
      .select({ id: audioFiles.id, format: audioFiles.format })
      .from(audioFiles)
      .where(eq(audioFiles.tenantId, tenantId));
  }

  /**
   * Every file's id and format, across tenants: only to warm the play-URL index at start-up
   * (ids and formats are no tenant data; nothing here reaches a response).
   */
  async allFormats(): Promise<Array<{ id: string; format: AudioFormat }>> {
    return this.db.select({ id: audioFiles.id, format: audioFiles.format }).from(audioFiles);
  }

  async findById(tenantId: string, id: string): Promise<AudioFileRow | undefined> {
    const [row] = await this.db
      .select()
      .from(audioFiles)
      .where(and(eq(audioFiles.tenantId, tenantId), eq(audioFiles.id, id)));
    return row;
  }

  /**
   * By id alone: only for the signed media route, where the HMAC over the id (which only this
   * server can make, and only hands out for the owning tenant) is the authorisation.
   */
  async findForMedia(id: string): Promise<AudioFileRow | undefined> {
    const [row] = await this.db.select().from(audioFiles).where(eq(audioFiles.id, id));
    return row;
  }

  async findByName(tenantId: string, name: string): Promise<AudioFileRow | undefined> {
    const [row] = await this.db
      .select()
      .from(audioFiles)
      .where(and(eq(audioFiles.tenantId, tenantId), eq(audioFiles.name, name)));
    return row;
  }

  async rename(tenantId: string, id: string, name: string): Promise<AudioFileRow | undefined> {
    const [row] = await this.db
      .update(audioFiles)
      .set({ name, updatedAt: new Date() })
      .where(and(eq(audioFiles.tenantId, tenantId), eq(audioFiles.id, id)))
      .returning();
    return row;
  }

  /**
   * Which of `ids` the tenant has, locked `for share` until `tx` ends (a flow being published
   * with them; a delete's `for update` waits). Ids that are not UUIDs cannot be files.
   */
  async holdIds(tx: DbTx, tenantId: string, ids: string[]): Promise<Set<string>> {
    const uuids = ids.filter((id) => UUID.test(id));
    if (!uuids.length) return new Set();
    const rows = await tx
      .select({ id: audioFiles.id })
      .from(audioFiles)
      .where(and(eq(audioFiles.tenantId, tenantId), inArray(audioFiles.id, uuids)))
      .for('share');
    return new Set(rows.map((r) => r.id));
  }

  /** The row, locked against flows being published with it (see {@link AudioLibrary.remove}). */
  async lockForDelete(tx: DbTx, tenantId: string, id: string): Promise<AudioFileRow | undefined> {
    const [row] = await tx
      .select()
      .from(audioFiles)
      .where(and(eq(audioFiles.tenantId, tenantId), eq(audioFiles.id, id)))
      .for('update');
    return row;
  }

  async remove(tenantId: string, id: string, db: Db | DbTx = this.db): Promise<AudioFileRow | undefined> {
    const [row] = await db
      .delete(audioFiles)
      .where(and(eq(audioFiles.tenantId, tenantId), eq(audioFiles.id, id)))
      .returning();
    return row;
  }

  /**
   * The tenant's flow versions that can still run: each flow's published version, and every
   * version a call in progress is on (calls keep the version they started with). Unpublished
   * drafts are not here: publishing one checks its audio ids again.
   */
  async runnableVersions(tenantId: string, db: Db | DbTx = this.db): Promise<RunnableVersion[]> {
    const live = sql`exists (select 1 from ${callSessions} where ${callSessions.flowVersionId} = ${ivrFlowVersions.id}
      and ${callSessions.tenantId} = ${tenantId} and ${callSessions.state} <> 'ended')`;
    const rows = await db
      .select({
        flowId: ivrFlows.id,
        flowName: ivrFlows.name,
        version: ivrFlowVersions.version,
        graph: ivrFlowVersions.graph,
      })
      .from(ivrFlowVersions)
      .innerJoin(ivrFlows, eq(ivrFlows.id, ivrFlowVersions.flowId))
      .where(
        and(
          eq(ivrFlowVersions.tenantId, tenantId),
          eq(ivrFlows.tenantId, tenantId),
          or(eq(ivrFlows.publishedVersion, ivrFlowVersions.version), live),
        ),
      )
      .orderBy(asc(ivrFlows.name), asc(ivrFlowVersions.version));
    return rows;
  }
}
