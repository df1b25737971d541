/**
 * The state of the visual IVR editor, apart from any component: the graph being edited (nodes
 * as the API stores them plus their positions), snapshot undo/redo (the Vue Flow undo example's
 * approach: a change commits a snapshot, undo and redo move through them), the canvas view of
 * it (Vue Flow nodes and edges) and the server's problems matched to nodes and fields.
 */
import { computed, ref, shallowRef } from 'vue';
import {
  START_ID,
  newNode,
  nodeOutputs,
  outputTarget,
  setOutput,
  type IvrGraphJson,
  type IvrNodeJson,
  type NodeType,
} from './node-catalog';

export interface Position {
  x: number;
  y: number;
}

/** What the editor edits: the graph and where each node is drawn. */
export interface EditorModel {
  start: string;
  timeZone?: string;
  variables?: Array<{ name: string; default: string }>;
  nodes: IvrNodeJson[];
  layout: Record<string, Position>;
}

/** A problem of the graph, as the server reports it (`flow_invalid`, `validate`) or a field error. */
export interface EditorProblem {
  nodeId: string | null;
  kind: string;
  problem: string;
  field?: string;
}

/** A deep copy of JSON data (reactive proxies included, which `structuredClone` refuses). */
function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

const COLUMN = 280;
const ROW = 190;

/**
 * Positions for nodes that have none: layers by distance from the start (breadth first), so a
 * flow saved without a layout (by the API, or before the editor existed) reads top to bottom.
 */
export function autoLayout(g: Pick<EditorModel, 'start' | 'nodes' | 'layout'>): Record<string, Position> {
  const layout = { ...g.layout };
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const depth = new Map<string, number>();
  const queue: string[] = [];
  if (byId.has(g.start)) {
    depth.set(g.start, 1);
    queue.push(g.start);
  }
  while (queue.length) {
    const id = queue.shift()!;
    for (const o of nodeOutputs(byId.get(id)!)) {
      const target = outputTarget(byId.get(id)!, o);
      if (target && byId.has(target) && !depth.has(target)) {
        depth.set(target, depth.get(id)! + 1);
        queue.push(target);
      }
    }
  }
  let maxDepth = Math.max(1, ...depth.values());
  for (const n of g.nodes) if (!depth.has(n.id)) depth.set(n.id, ++maxDepth);
  const perRow = new Map<number, number>();
  layout[START_ID] ??= { x: 0, y: 0 };
  for (const n of g.nodes) {
    const d = depth.get(n.id)!;
    const i = perRow.get(d) ?? 0;
    perRow.set(d, i + 1);
    layout[n.id] ??= { x: i * COLUMN, y: d * ROW };
  }
  return layout;
}

/** The editor model of a graph from the API. */
export function modelOf(graph: IvrGraphJson): EditorModel {
  const nodes = clone(graph.nodes);
  const m: EditorModel = {
    start: graph.start,
    nodes,
    layout: {},
    ...(graph.timeZone ? { timeZone: graph.timeZone } : {}),
    ...(graph.variables ? { variables: clone(graph.variables) } : {}),
  };
  m.layout = autoLayout({ ...m, layout: clone(graph.layout ?? {}) });
  return m;
}

/** The graph the API takes (positions of deleted nodes left out). */
export function graphOf(m: EditorModel): IvrGraphJson {
  const ids = new Set([START_ID, ...m.nodes.map((n) => n.id)]);
  const layout = Object.fromEntries(
    Object.entries(m.layout)
      .filter(([id]) => ids.has(id))
      .map(([id, p]) => [id, { x: Math.round(p.x), y: Math.round(p.y) }]),
  );
  return {
    start: m.start,
    ...(m.timeZone ? { timeZone: m.timeZone } : {}),
    ...(m.variables ? { variables: clone(m.variables) } : {}),
    nodes: clone(m.nodes),
    layout,
  };
}

/** An edge of the canvas: from a node's output (handle) to a node. */
export interface EditorEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
}

/** Every drawn link: the start marker's and each node's connected outputs. */
export function edgesOf(m: EditorModel): EditorEdge[] {
  const ids = new Set(m.nodes.map((n) => n.id));
  const edges: EditorEdge[] = [];
  if (ids.has(m.start)) {
    edges.push({ id: `${START_ID}:start`, source: START_ID, sourceHandle: 'start', target: m.start });
  }
  for (const n of m.nodes) {
    for (const o of nodeOutputs(n)) {
      const target = outputTarget(n, o);
      if (target && ids.has(target)) {
        edges.push({ id: `${n.id}:${o.handle}`, source: n.id, sourceHandle: o.handle, target });
      }
    }
  }
  return edges;
}

/**
 * Matches a `validation_failed` detail path (`body.graph.nodes.3.prompt.text`) to the node it is
 * about, given the nodes in the order they were sent.
 */
export function problemOfPath(detail: { path?: string; message?: string }, sent: IvrNodeJson[]): EditorProblem {
  const m = /^body\.graph\.nodes\.(\d+)\.?(.*)$/.exec(detail.path ?? '');
  const node = m ? sent[Number(m[1])] : undefined;
  return {
    nodeId: node?.id ?? null,
    kind: 'invalid_field',
    problem: m?.[2] ? `${m[2]}: ${detail.message ?? ''}` : (detail.message ?? ''),
    ...(m?.[2] ? { field: m[2] } : {}),
  };
}

/** The problems of a failed save: `flow_invalid`/`edition_required` problems, or field errors. */
export function problemsOfError(body: unknown, sent: IvrNodeJson[]): EditorProblem[] | null {
  const e = (body as { error?: { code?: string; details?: unknown } } | undefined)?.error;
  if (!e) return null;
  if (e.code === 'flow_invalid' && Array.isArray(e.details)) return e.details as EditorProblem[];
  if (e.code === 'edition_required') {
    const ps = (e.details as { problems?: EditorProblem[] } | undefined)?.problems;
    return Array.isArray(ps) ? ps : null;
  }
  if (e.code === 'validation_failed' && Array.isArray(e.details)) {
    return (e.details as Array<{ path?: string; message?: string }>).map((d) => problemOfPath(d, sent));
  }
  return null;
}

const HISTORY_LIMIT = 100;

/** The editor's reactive state with undo/redo (see the module comment). */
export function useFlowEditorModel() {
  const model = ref<EditorModel>({ start: '', nodes: [], layout: {} });
  const past = shallowRef<string[]>([]);
  const future = shallowRef<string[]>([]);
  /** The snapshot the model was last committed as (and the one last saved). */
  let current = '';
  const saved = ref('');
  const snapshot = ref('');

  function load(graph: IvrGraphJson): void {
    model.value = modelOf(graph);
    current = JSON.stringify(model.value);
    snapshot.value = current;
    saved.value = JSON.stringify(graphOf(model.value).nodes) + model.value.start;
    past.value = [];
    future.value = [];
  }

  /** Records the model as it is now as one undo step (no step when nothing changed). */
  function commit(): void {
    const next = JSON.stringify(model.value);
    if (next === current) return;
    past.value = [...past.value, current].slice(-HISTORY_LIMIT);
    future.value = [];
    current = next;
    snapshot.value = next;
  }

  let queued = false;
  /**
   * Commits at the end of the current task: the changes one user action causes (a node deleted
   * with its edges, reported as several Vue Flow changes) become one undo step.
   */
  function touch(): void {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      commit();
    });
  }

  function restore(s: string): void {
    current = s;
    snapshot.value = s;
    model.value = JSON.parse(s) as EditorModel;
  }

  function undo(): boolean {
    commit();
    const prev = past.value.at(-1);
    if (prev === undefined) return false;
    past.value = past.value.slice(0, -1);
    future.value = [...future.value, current];
    restore(prev);
    return true;
  }

  function redo(): boolean {
    const next = future.value.at(-1);
    if (next === undefined) return false;
    future.value = future.value.slice(0, -1);
    past.value = [...past.value, current];
    restore(next);
    return true;
  }

  function node(id: string): IvrNodeJson | undefined {
    return model.value.nodes.find((n) => n.id === id);
  }

  /** A fresh id for a node of a type: `menu-1`, `menu-2`… */
  function freshId(type: NodeType): string {
    const taken = new Set(model.value.nodes.map((n) => n.id));
    let i = 1;
    while (taken.has(`${type}-${i}`)) i++;
    return `${type}-${i}`;
  }

  function addNode(type: NodeType, at: Position): IvrNodeJson {
    const n = newNode(type, freshId(type));
    model.value.nodes.push(n);
    model.value.layout[n.id] = at;
    touch();
    return n;
  }

  /** Removes nodes and every link to them (the start moves nowhere: it is then unset). */
  function removeNodes(ids: string[]): void {
    const gone = new Set(ids.filter((id) => id !== START_ID));
    if (!gone.size) return;
    model.value.nodes = model.value.nodes.filter((n) => !gone.has(n.id));
    for (const id of gone) delete model.value.layout[id];
    for (const n of model.value.nodes) {
      for (const o of nodeOutputs(n)) {
        const t = outputTarget(n, o);
        if (t && gone.has(t)) setOutput(n, o, null);
      }
    }
    if (gone.has(model.value.start)) model.value.start = '';
    touch();
  }

  /** Connects `source`'s output `handle` to `target` (replacing what it pointed to). */
  function connect(source: string, handle: string, target: string | null): void {
    if (source === START_ID) {
      model.value.start = target ?? '';
    } else {
      const n = node(source);
      const o = n && nodeOutputs(n).find((x) => x.handle === handle);
      if (!n || !o) return;
      setOutput(n, o, target);
    }
    touch();
  }

  function move(id: string, p: Position): void {
    model.value.layout[id] = { x: p.x, y: p.y };
    touch();
  }

  /** Renames a node and every link to it. */
  function renameNode(from: string, to: string): void {
    const n = node(from);
    if (!n || from === to || node(to)) return;
    for (const other of model.value.nodes) {
      for (const o of nodeOutputs(other)) if (outputTarget(other, o) === from) setOutput(other, o, to);
    }
    n.id = to;
    if (model.value.start === from) model.value.start = to;
    model.value.layout[to] = model.value.layout[from] ?? { x: 0, y: 0 };
    delete model.value.layout[from];
    touch();
  }

  function markSaved(): void {
    saved.value = JSON.stringify(graphOf(model.value).nodes) + model.value.start;
  }

  const dirty = computed(() => {
    void snapshot.value;
    return JSON.stringify(graphOf(model.value).nodes) + model.value.start !== saved.value;
  });

  return {
    model,
    canUndo: computed(() => past.value.length > 0 || JSON.stringify(model.value) !== current),
    canRedo: computed(() => future.value.length > 0),
    dirty,
    load,
    commit,
    undo,
    redo,
    node,
    addNode,
    removeNodes,
    connect,
    move,
    renameNode,
    markSaved,
  };
}

export type FlowEditorModel = ReturnType<typeof useFlowEditorModel>;
