import { isTimeZone, toMinutes } from './clock.js';
import {
  ADVANCED_ONLY,
  SYSTEM_VARIABLES,
  isReservedVariable,
  nodeLinks,
  nodePrompts,
  structuralProblems,
  type IvrGraph,
  type IvrNode,
  type IvrNodeType,
} from './flow-model.js';
import { referencedVariables } from './variables.js';

/**
 * Graph validation on save: every problem at once, each naming its node, so the editor can
 * mark them all. The interpreter never needs these checks to be safe (it has a hop guard and
 * treats unknown values as empty); they are there so a flow that cannot work is not published.
 */

/** Kinds of problem, for clients that want to group or translate them. */
export type IvrProblemKind =
  | 'duplicate_id'
  | 'dangling_branch'
  | 'unreachable'
  | 'unknown_audio'
  | 'unknown_skill_group'
  | 'unset_variable'
  | 'unknown_variable'
  | 'spin_loop'
  | 'bad_option'
  | 'advanced_only';

/** One problem: the node at fault (null = the graph itself: start, variables, time zone). */
export interface IvrProblem {
  nodeId: string | null;
  kind: IvrProblemKind;
  problem: string;
  /** The node's field at fault (`target.skillGroupId`, `prompt`, `options[1]`…), when there is one. */
  field?: string;
}

export interface ValidateOptions {
  /** Audio-library ids the tenant has; when given, an audio prompt naming another id is a problem. */
  knownAudioIds?: ReadonlySet<string>;
  /**
   * Skill-group ids the tenant has; when given, a transfer (or its overflow) naming another id
   * is a problem. Without the check a transfer to a missing group is published and every call
   * through it ends `noSeatOnline`.
   */
  knownSkillGroupIds?: ReadonlySet<string>;
  /** The tenant's edition; `standard` adds an `advanced_only` problem per advanced feature used. */
  edition?: 'standard' | 'advanced';
}

/** Node types that wait for the caller (or their call), so a loop through one cannot spin. */
const WAITING: ReadonlySet<IvrNodeType> = new Set<IvrNodeType>([
  'menu',
  'collect',
  'survey',
  'transfer',
  'voicemail',
  'externalTransfer',
]);

/** Advanced-edition features a graph uses (FEATURES `A`; see {@link ADVANCED_ONLY}). */
export function advancedFeatures(graph: Pick<IvrGraph, 'nodes'>): IvrProblem[] {
  const out: IvrProblem[] = [];
  for (const n of graph.nodes) {
    for (const a of ADVANCED_ONLY) {
      if (a.nodeType !== n.type) continue;
      if (a.option && (n as Record<string, unknown>)[a.option] === undefined) continue;
      const what = a.option ? `${n.type}.${a.option}` : `a ${n.type} node`;
      out.push({ nodeId: n.id, kind: 'advanced_only', problem: `${what} needs the advanced edition (${a.feature})` });
    }
  }
  return out;
}

/** Where a node reads variables: `${Var}` in its texts, and the variables its rules name. */
function variableUses(n: IvrNode): Array<{ field: string; name: string }> {
  const uses: Array<{ field: string; name: string }> = [];
  const fromText = (field: string, text: string) => {
    for (const name of referencedVariables(text)) uses.push({ field, name });
  };
  for (const { field, prompt } of nodePrompts(n)) if (prompt.kind === 'say') fromText(field, prompt.text);
  switch (n.type) {
    case 'dynamicBranch':
      uses.push({ field: 'variable', name: n.variable });
      break;
    case 'condition':
      n.branches.forEach((b, i) =>
        b.rules.forEach((r, j) => {
          uses.push({ field: `branches[${i}].rules[${j}]`, name: r.variable });
          fromText(`branches[${i}].rules[${j}].value`, r.value);
        }),
      );
      break;
    case 'http':
      for (const input of n.inputs) fromText(`inputs.${input.name}`, input.value);
      break;
    case 'transfer':
      if (n.preferredAgentVariable) uses.push({ field: 'preferredAgentVariable', name: n.preferredAgentVariable });
      break;
    case 'externalTransfer':
      fromText('number', n.number);
      break;
    default:
      break;
  }
  return uses;
}

/** Variables a node stores (they must not be system or queue variables). */
function variablesSet(n: IvrNode): Array<{ field: string; name: string }> {
  switch (n.type) {
    case 'collect':
      return [{ field: 'variable', name: n.variable }];
    case 'survey':
      return [
        ...(n.variable ? [{ field: 'variable', name: n.variable }] : []),
        ...(n.labelVariable ? [{ field: 'labelVariable', name: n.labelVariable }] : []),
      ];
    case 'http':
      return n.outputs.map((o, i) => ({ field: `outputs[${i}]`, name: o.variable }));
    case 'voicemail':
      return n.variable ? [{ field: 'variable', name: n.variable }] : [];
    default:
      return [];
  }
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

/** Problems with a node's own options (no other node involved). */
function optionProblems(n: IvrNode): string[] {
  const out: string[] = [];
  for (const s of variablesSet(n)) {
    if (isReservedVariable(s.name)) out.push(`${s.field} cannot store into the reserved variable ${s.name}`);
  }
  switch (n.type) {
    case 'menu':
    case 'survey':
      for (const k of duplicates(n.options.map((o) => o.key))) out.push(`key ${k} is mapped twice`);
      break;
    case 'dynamicBranch':
      for (const v of duplicates(n.branches.map((b) => b.value))) out.push(`value "${v}" has two branches`);
      break;
    case 'http':
      for (const name of duplicates(n.inputs.map((i) => i.name))) out.push(`input ${name} is given twice`);
      break;
    case 'transfer':
      if (n.queueTimeoutSeconds && !n.queueTimeoutPrompt) out.push('queueTimeoutSeconds needs a queueTimeoutPrompt');
      if (n.queueTimeoutPrompt && !n.queueTimeoutSeconds) out.push('queueTimeoutPrompt needs queueTimeoutSeconds');
      if (n.overflowSkillGroupId === n.target.skillGroupId) out.push('overflowSkillGroupId is the target group itself');
      break;
    case 'workingHours': {
      if (n.timeZone !== undefined && !isTimeZone(n.timeZone)) out.push(`unknown time zone ${n.timeZone}`);
      const ranges = [...n.schedule.flatMap((s) => s.ranges), ...n.specialDays.flatMap((s) => s.ranges)];
      for (const r of ranges) {
        if (r.start === '24:00') out.push(`range ${r.start}-${r.end} cannot start at 24:00`);
        else if (toMinutes(r.start) === toMinutes(r.end)) out.push(`range ${r.start}-${r.end} is empty`);
      }
      for (const d of duplicates(n.specialDays.map((s) => s.date))) out.push(`special day ${d} is given twice`);
      break;
    }
    default:
      break;
  }
  return out;
}

/** Every skill group a graph names, with the node and field naming it. */
export function skillGroupRefs(
  graph: Pick<IvrGraph, 'nodes'>,
): Array<{ nodeId: string; field: string; skillGroupId: string }> {
  const out: Array<{ nodeId: string; field: string; skillGroupId: string }> = [];
  for (const n of graph.nodes) {
    if (n.type !== 'transfer') continue;
    out.push({ nodeId: n.id, field: 'target.skillGroupId', skillGroupId: n.target.skillGroupId });
    if (n.overflowSkillGroupId) {
      out.push({ nodeId: n.id, field: 'overflowSkillGroupId', skillGroupId: n.overflowSkillGroupId });
    }
  }
  return out;
}

/** Strongly connected components (Tarjan), for loop detection. */
function components(ids: string[], edges: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      out.push(comp);
    }
  };
  for (const v of ids) if (!idx.has(v)) visit(v);
  return out;
}

/**
 * Every problem of a graph (already shaped by `ivrGraphShapeSchema`): duplicate ids, links to
 * missing nodes, unreachable nodes, unknown audio ids, variables used before any node can set
 * them and unknown system variables, loops that never wait for the caller, bad options, and
 * (for a standard tenant) advanced features. An empty list means the graph can be published.
 */
export function validateGraph(graph: IvrGraph, opts: ValidateOptions = {}): IvrProblem[] {
  const problems: IvrProblem[] = [...structuralProblems(graph)];
  const byId = new Map<string, IvrNode>();
  for (const n of graph.nodes) if (!byId.has(n.id)) byId.set(n.id, n);

  // The graph itself.
  if (graph.timeZone !== undefined && !isTimeZone(graph.timeZone)) {
    problems.push({ nodeId: null, kind: 'bad_option', problem: `unknown time zone ${graph.timeZone}` });
  }
  const declared = (graph.variables ?? []).map((v) => v.name);
  for (const name of duplicates(declared)) {
    problems.push({ nodeId: null, kind: 'bad_option', problem: `variable ${name} is declared twice` });
  }
  for (const name of declared.filter(isReservedVariable)) {
    problems.push({ nodeId: null, kind: 'bad_option', problem: `variable ${name} is reserved (system or queue)` });
  }

  // Options of each node.
  for (const n of graph.nodes) {
    for (const problem of optionProblems(n)) problems.push({ nodeId: n.id, kind: 'bad_option', problem });
  }

  // Reachability, and which variables may be set on arrival at each node.
  const known = new Map<string, Set<string>>();
  if (byId.has(graph.start)) {
    known.set(graph.start, new Set(declared));
    const queue = [graph.start];
    while (queue.length) {
      const id = queue.shift()!;
      const here = known.get(id)!;
      for (const link of nodeLinks(byId.get(id)!)) {
        if (!byId.has(link.target)) continue;
        const there = known.get(link.target) ?? new Set<string>();
        const before = there.size;
        const first = !known.has(link.target);
        for (const v of here) there.add(v);
        for (const v of link.sets ?? []) there.add(v);
        known.set(link.target, there);
        if (first || there.size !== before) queue.push(link.target);
      }
    }
  }
  for (const n of graph.nodes) {
    if (!known.has(n.id) && byId.get(n.id) === n) {
      problems.push({ nodeId: n.id, kind: 'unreachable', problem: 'no path from the start reaches this node' });
    }
  }

  // Audio ids.
  if (opts.knownAudioIds) {
    for (const n of graph.nodes) {
      for (const { field, prompt } of nodePrompts(n)) {
        if (prompt.kind === 'audio' && !opts.knownAudioIds.has(prompt.audioId)) {
          problems.push({
            nodeId: n.id,
            kind: 'unknown_audio',
            field,
            problem: `${field} plays audio ${prompt.audioId}, which is not in the audio library`,
          });
        }
      }
    }
  }

  // Skill groups.
  if (opts.knownSkillGroupIds) {
    for (const { nodeId, field, skillGroupId } of skillGroupRefs(graph)) {
      if (!opts.knownSkillGroupIds.has(skillGroupId)) {
        problems.push({
          nodeId,
          kind: 'unknown_skill_group',
          field,
          problem: `${field} names skill group ${skillGroupId}, which does not exist`,
        });
      }
    }
  }

  // Variable references (reachable nodes only: unreachable ones are reported above).
  const system = new Set<string>(SYSTEM_VARIABLES);
  for (const n of graph.nodes) {
    const available = known.get(n.id);
    if (!available || byId.get(n.id) !== n) continue;
    for (const { field, name } of variableUses(n)) {
      if (name.startsWith('System')) {
        if (!system.has(name)) {
          problems.push({
            nodeId: n.id,
            kind: 'unknown_variable',
            problem: `${field} uses unknown system variable ${name}`,
          });
        }
      } else if (name === 'WaitNo') {
        if (n.type !== 'transfer' || (field !== 'waitPrompt' && field !== 'queueTimeoutPrompt')) {
          problems.push({
            nodeId: n.id,
            kind: 'unknown_variable',
            problem: `${field} uses WaitNo, which is only known in a transfer's waitPrompt and queueTimeoutPrompt`,
          });
        }
      } else if (name === 'StaffNo') {
        if (!(n.type === 'transfer' && field === 'connectPrompt') && !available.has(name)) {
          problems.push({
            nodeId: n.id,
            kind: 'unset_variable',
            problem: `${field} uses StaffNo, which is only known in a transfer's connectPrompt and after its afterAgentNext`,
          });
        }
      } else if (!available.has(name)) {
        problems.push({
          nodeId: n.id,
          kind: 'unset_variable',
          problem: `${field} uses variable ${name} before any node can set it`,
        });
      }
    }
  }

  // Loops that never wait: cycles among nodes that do not wait for the caller.
  const quick = graph.nodes.filter((n) => byId.get(n.id) === n && !WAITING.has(n.type)).map((n) => n.id);
  const quickSet = new Set(quick);
  const edges = new Map<string, string[]>();
  for (const id of quick) {
    edges.set(
      id,
      nodeLinks(byId.get(id)!)
        .map((l) => l.target)
        .filter((t) => quickSet.has(t)),
    );
  }
  const loops = components(quick, edges)
    .filter((comp) => comp.length > 1 || (edges.get(comp[0]!) ?? []).includes(comp[0]!))
    .map((comp) => quick.filter((id) => comp.includes(id)))
    .sort((a, b) => quick.indexOf(a[0]!) - quick.indexOf(b[0]!));
  for (const members of loops) {
    problems.push({
      nodeId: members[0]!,
      kind: 'spin_loop',
      problem: `nodes ${members.join(', ')} form a loop that never waits for the caller (add a menu, collection or transfer)`,
    });
  }

  if (opts.edition === 'standard') problems.push(...advancedFeatures(graph));
  return problems;
}
