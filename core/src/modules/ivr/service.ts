import type { DbTx } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { SkillGroupRepo } from '../skill-groups/repo.js';
import type { TenantRepo } from '../tenants/repo.js';
import { nodePrompts, type IvrGraph } from './flow-model.js';
import type { IvrRepo, PublishGuard } from './repo.js';
import type { IvrFlowRow, IvrFlowVersionRow } from './schema.js';
import { skillGroupRefs, validateGraph, type IvrProblem } from './validate.js';

/**
 * Where audio-library ids come from (IVR-03). The app plugs the audio library (ADM-01,
 * `modules/audio`) into {@link IvrService.audioCatalog}; without it no id is known, so a flow
 * naming an audio file is refused rather than published with a prompt that cannot play.
 */
export interface AudioCatalog {
  knownIds(tenantId: string): Promise<ReadonlySet<string>>;
  /**
   * Inside the transaction publishing a flow: which of `ids` still exist, holding them so a
   * concurrent delete waits for the publish (and then sees the flow using them). Optional: a
   * catalog without it is only checked before the transaction.
   */
  hold?(tx: DbTx, tenantId: string, ids: string[]): Promise<ReadonlySet<string>>;
}

const NO_AUDIO: AudioCatalog = { knownIds: async () => new Set<string>() };

/** A flow as the list returns it. */
export interface FlowSummary {
  id: string;
  name: string;
  publishedVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A flow with the graph new calls use and the numbers that answer with it. */
export interface FlowView extends FlowSummary {
  graph: IvrGraph | null;
  numbers: Array<{ id: string; number: string; label: string }>;
}

/** A version as the list returns it. */
export interface VersionSummary {
  version: number;
  label: string | null;
  baseVersion: number | null;
  /** New calls use this version. */
  published: boolean;
  /** When it was first published (then it is frozen). */
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface VersionView extends VersionSummary {
  graph: IvrGraph;
}

function summary(f: IvrFlowRow): FlowSummary {
  return {
    id: f.id,
    name: f.name,
    publishedVersion: f.publishedVersion,
    createdAt: f.createdAt.toISOString(),
    updatedAt: f.updatedAt.toISOString(),
  };
}

function versionSummary(v: IvrFlowVersionRow, flow: IvrFlowRow): VersionSummary {
  return {
    version: v.version,
    label: v.label,
    baseVersion: v.baseVersion,
    published: flow.publishedVersion === v.version,
    publishedAt: v.publishedAt?.toISOString() ?? null,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}

/** Unique violations → 409 naming what clashed, instead of a 500. */
function conflictOnDuplicate(err: unknown): never {
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const pg = e.code ? e : e.cause;
  if (pg?.code === '23505') {
    if (pg.constraint?.includes('label'))
      throw createError('conflict', 'This flow already has a version with that label');
    throw createError('conflict', 'A flow with this name already exists', { details: { field: 'name' } });
  }
  throw err;
}

/**
 * IVR flows for the API (IVR-33…35): validation and edition checks on every save, the
 * "in use" rules on delete, and named versions.
 */
export class IvrService {
  /** Replaced by the audio library once it exists (see {@link AudioCatalog}). */
  audioCatalog: AudioCatalog = NO_AUDIO;
  private readonly repo: IvrRepo;
  private readonly tenants: TenantRepo;
  private readonly skillGroups: SkillGroupRepo;

  constructor({
    ivrRepo,
    tenantRepo,
    skillGroupRepo,
  }: {
    ivrRepo: IvrRepo;
    tenantRepo: TenantRepo;
    skillGroupRepo: SkillGroupRepo;
  }) {
    this.repo = ivrRepo;
    this.tenants = tenantRepo;
    this.skillGroups = skillGroupRepo;
  }

  /**
   * Every problem of a graph for this tenant: edition, audio library and skill groups included
   * (a transfer to a group the tenant does not have would end every call `noSeatOnline`).
   */
  async problems(tenantId: string, graph: IvrGraph): Promise<IvrProblem[]> {
    const tenant = await this.tenants.findById(tenantId);
    const usesAudio = graph.nodes.some((n) => nodePrompts(n).some((p) => p.prompt.kind === 'audio'));
    const knownAudioIds = usesAudio ? await this.audioCatalog.knownIds(tenantId) : new Set<string>();
    const knownSkillGroupIds = skillGroupRefs(graph).length
      ? new Set((await this.skillGroups.list(tenantId)).map((g) => g.id))
      : new Set<string>();
    return validateGraph(graph, { knownAudioIds, knownSkillGroupIds, edition: tenant?.edition ?? 'standard' });
  }

  /** Refuses a graph: advanced features in a standard tenant → 403, other problems → 400. */
  async check(tenantId: string, graph: IvrGraph): Promise<void> {
    const problems = await this.problems(tenantId, graph);
    const advanced = problems.filter((p) => p.kind === 'advanced_only');
    if (advanced.length) {
      throw createError('edition_required', 'This flow uses advanced-edition features', {
        details: { required: 'advanced', current: 'standard', problems: advanced },
      });
    }
    if (problems.length) {
      throw createError('flow_invalid', `The flow has ${problems.length} problem${problems.length > 1 ? 's' : ''}`, {
        details: problems,
      });
    }
  }

  async list(tenantId: string): Promise<FlowSummary[]> {
    return (await this.repo.list(tenantId)).map(summary);
  }

  /** One page of flows for the admin list (IVR-33). */
  async page(
    tenantId: string,
    opts: { q?: string; sort: 'name' | 'updatedAt'; order: 'asc' | 'desc'; page: number; pageSize: number },
  ): Promise<{ items: FlowSummary[]; total: number; page: number; pageSize: number }> {
    const { rows, total } = await this.repo.page(tenantId, opts);
    return { items: rows.map(summary), total, page: opts.page, pageSize: opts.pageSize };
  }

  async get(tenantId: string, id: string): Promise<FlowView> {
    return this.view(tenantId, await this.flow(tenantId, id));
  }

  async create(tenantId: string, input: { name: string; graph: IvrGraph }): Promise<FlowView> {
    await this.check(tenantId, input.graph);
    const flow = await this.repo
      .create(tenantId, input.name, input.graph, this.audioGuard(tenantId))
      .catch(conflictOnDuplicate);
    return this.view(tenantId, flow);
  }

  /** Saves a new version and publishes it at once (IVR-34). */
  async save(tenantId: string, id: string, input: { name?: string; graph: IvrGraph }): Promise<FlowView> {
    await this.flow(tenantId, id);
    await this.check(tenantId, input.graph);
    await this.repo
      .publish(tenantId, id, input.graph, {
        ...(input.name ? { name: input.name } : {}),
        guard: this.audioGuard(tenantId),
      })
      .catch(conflictOnDuplicate);
    return this.get(tenantId, id);
  }

  /** Deletes a flow unless a number answers with it or calls are running on it (IVR-33). */
  async remove(tenantId: string, id: string): Promise<void> {
    await this.flow(tenantId, id);
    const numbers = await this.repo.boundNumbers(tenantId, id);
    if (numbers.length) {
      throw createError('flow_in_use', 'Numbers answer with this flow; bind them to another flow first', {
        details: { numbers },
      });
    }
    const liveCalls = await this.repo.liveCalls(tenantId, id);
    if (liveCalls) {
      throw createError('flow_in_use', 'Calls are in this flow right now', { details: { liveCalls } });
    }
    if (!(await this.repo.remove(tenantId, id))) throw createError('not_found', 'No IVR flow with that id');
  }

  // ── versions (IVR-35) ──

  async listVersions(tenantId: string, id: string): Promise<VersionSummary[]> {
    const flow = await this.flow(tenantId, id);
    return (await this.repo.listVersions(tenantId, id)).map((v) => versionSummary(v, flow));
  }

  async getVersion(tenantId: string, id: string, version: number): Promise<VersionView> {
    const flow = await this.flow(tenantId, id);
    const v = await this.version(tenantId, id, version);
    return { ...versionSummary(v, flow), graph: v.graph };
  }

  /** A named version derived from `fromVersion` (default: the published one), with its own graph or a copy. */
  async deriveVersion(
    tenantId: string,
    id: string,
    input: { label: string; fromVersion?: number; graph?: IvrGraph },
  ): Promise<VersionView> {
    const flow = await this.flow(tenantId, id);
    const baseNo = input.fromVersion ?? flow.publishedVersion;
    const base = baseNo === null ? undefined : await this.repo.findVersion(tenantId, id, baseNo);
    if (input.fromVersion !== undefined && !base) throw createError('not_found', 'No such version to derive from');
    const graph = input.graph ?? base?.graph;
    if (!graph) throw createError('not_found', 'The flow has no version to derive from; send a graph');
    await this.check(tenantId, graph);
    const row = await this.repo
      .createVersion(tenantId, id, { label: input.label, graph, baseVersion: base?.version ?? null })
      .catch(conflictOnDuplicate);
    if (!row) throw createError('not_found', 'No IVR flow with that id');
    return { ...versionSummary(row, flow), graph: row.graph };
  }

  /** Edits a named version that was never published. */
  async editVersion(
    tenantId: string,
    id: string,
    version: number,
    patch: { label?: string; graph?: IvrGraph },
  ): Promise<VersionView> {
    const flow = await this.flow(tenantId, id);
    const v = await this.version(tenantId, id, version);
    if (v.publishedAt || v.label === null) {
      throw createError('version_frozen', `Version ${version} has been published; derive a new version from it`);
    }
    if (patch.graph) await this.check(tenantId, patch.graph);
    const row = await this.repo.updateVersion(tenantId, id, version, patch).catch(conflictOnDuplicate);
    if (!row)
      throw createError('version_frozen', `Version ${version} has been published; derive a new version from it`);
    return { ...versionSummary(row, flow), graph: row.graph };
  }

  /** Deletes a version unless new calls use it or calls are running on it. */
  async deleteVersion(tenantId: string, id: string, version: number): Promise<void> {
    const flow = await this.flow(tenantId, id);
    await this.version(tenantId, id, version);
    if (flow.publishedVersion === version) {
      throw createError('flow_in_use', 'New calls use this version; publish another one first', {
        details: { publishedVersion: version },
      });
    }
    const pinned = await this.repo.pinnedNumbers(tenantId, id, version);
    if (pinned.length) {
      throw createError('flow_in_use', 'Numbers are bound to this version; bind them elsewhere first', {
        details: { numbers: pinned },
      });
    }
    const liveCalls = await this.repo.liveCalls(tenantId, id, version);
    if (liveCalls) throw createError('flow_in_use', 'Calls are on this version right now', { details: { liveCalls } });
    if (!(await this.repo.deleteVersion(tenantId, id, version))) {
      throw createError('flow_in_use', 'New calls use this version; publish another one first');
    }
  }

  /** Picks the version new calls use (numbers answer with it). Checked again: the tenant or library may have changed. */
  async publishVersion(tenantId: string, id: string, version: number): Promise<FlowView> {
    await this.flow(tenantId, id);
    const v = await this.version(tenantId, id, version);
    await this.check(tenantId, v.graph);
    const flow = await this.repo.setPublished(tenantId, id, version, this.audioGuard(tenantId));
    if (!flow) throw createError('not_found', 'No such version');
    return this.view(tenantId, flow);
  }

  // ── helpers ──

  /**
   * ADM-01: the audio files a graph plays are checked before the save, outside any transaction;
   * a file deleted in between would leave a published flow playing nothing. So they are checked
   * again inside the publishing transaction, held (`for share`) until it commits, while a delete
   * locks its file first and looks for runnable flows under that lock: of a save and a delete
   * racing, one waits for the other and then fails (`flow_invalid` here, `audio_in_use` there).
   */
  private audioGuard(tenantId: string): PublishGuard | undefined {
    const catalog = this.audioCatalog;
    if (!catalog.hold) return undefined;
    const hold = catalog.hold.bind(catalog);
    return async (tx, graph) => {
      const uses = graph.nodes.flatMap((n) =>
        nodePrompts(n).flatMap(({ field, prompt }) =>
          prompt.kind === 'audio' ? [{ nodeId: n.id, field, audioId: prompt.audioId }] : [],
        ),
      );
      if (!uses.length) return;
      const present = await hold(tx, tenantId, [...new Set(uses.map((u) => u.audioId))]);
      const problems: IvrProblem[] = uses
        .filter((u) => !present.has(u.audioId))
        .map((u) => ({
          nodeId: u.nodeId,
          kind: 'unknown_audio',
          field: u.field,
          problem: `${u.field} plays audio ${u.audioId}, which is not in the audio library`,
        }));
      if (problems.length) {
        throw createError('flow_invalid', `The flow has ${problems.length} problem${problems.length > 1 ? 's' : ''}`, {
          details: problems,
        });
      }
    };
  }

  private async flow(tenantId: string, id: string): Promise<IvrFlowRow> {
    const flow = await this.repo.findById(tenantId, id);
    if (!flow) throw createError('not_found', 'No IVR flow with that id');
    return flow;
  }

  private async version(tenantId: string, id: string, version: number): Promise<IvrFlowVersionRow> {
    const v = await this.repo.findVersion(tenantId, id, version);
    if (!v) throw createError('not_found', `Flow has no version ${version}`);
    return v;
  }

  private async view(tenantId: string, flow: IvrFlowRow): Promise<FlowView> {
    const published =
      flow.publishedVersion === null
        ? undefined
        : await this.repo.findVersion(tenantId, flow.id, flow.publishedVersion);
    return {
      ...summary(flow),
      graph: published?.graph ?? null,
      numbers: await this.repo.boundNumbers(tenantId, flow.id),
    };
  }
}
