import type { IvrGraph, IvrNode, Prompt } from './flow-model.js';

/**
 * The IVR interpreter: a pure state machine `(graph, state, event) → (state, effects)`. It
 * knows nothing of telephony or storage, so every path is unit-tested without a call, and a
 * call in progress can be resumed on any instance from the stored state.
 */

/** Where a caller is in the flow. */
export interface IvrState {
  node: string;
  /** Tries used at the current menu. */
  retries: number;
}

/** Something that happened to the caller. */
export type IvrEvent = { type: 'start' } | { type: 'digits'; step: string; digits: string; timedOut: boolean };

/** What the caller should experience next. */
export type IvrEffect =
  | { type: 'prompt'; prompt: Prompt }
  | { type: 'collect'; step: string; prompts: Prompt[]; numDigits: number; timeoutSeconds: number }
  | { type: 'keyPressed'; key: string; label: string; nodeLabel: string }
  | { type: 'transfer'; skillGroupId: string; priority: number; nodeId: string; noAgentNext?: string }
  | { type: 'hangup' };

/** Result of one step. `state` is null when the flow is over (hang-up or transfer). */
export interface IvrStep {
  state: IvrState | null;
  effects: IvrEffect[];
}

/** Node-hop guard: a flow that loops through play nodes without waiting would spin forever. */
const MAX_HOPS = 50;

function find(graph: IvrGraph, id: string): IvrNode {
  const n = graph.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`IVR node ${id} not found`);
  return n;
}

/** Runs from `nodeId` until the flow needs input or ends. */
function runFrom(graph: IvrGraph, nodeId: string, retries: number, lead: IvrEffect[]): IvrStep {
  const effects: IvrEffect[] = [...lead];
  let id = nodeId;
  for (let hops = 0; hops < MAX_HOPS; hops++) {
    const node = find(graph, id);
    switch (node.type) {
      case 'play':
        effects.push({ type: 'prompt', prompt: node.prompt });
        id = node.next;
        continue;
      case 'menu': {
        // Pending prompts (e.g. "wrong key") are played inside the collect so a key press can
        // interrupt them too.
        const prompts = effects
          .filter((e): e is Extract<IvrEffect, { type: 'prompt' }> => e.type === 'prompt')
          .map((e) => e.prompt);
        const rest = effects.filter((e) => e.type !== 'prompt');
        const maxKey = Math.max(...node.options.map((o) => o.key.length));
        rest.push({
          type: 'collect',
          step: node.id,
          prompts: [...prompts, node.prompt],
          numDigits: maxKey,
          timeoutSeconds: node.timeoutSeconds,
        });
        return { state: { node: node.id, retries }, effects: rest };
      }
      case 'transfer':
        effects.push({
          type: 'transfer',
          skillGroupId: node.target.skillGroupId,
          priority: node.priority,
          nodeId: node.id,
          ...(node.noAgentNext ? { noAgentNext: node.noAgentNext } : {}),
        });
        return { state: null, effects };
      case 'hangup':
        if (node.prompt) effects.push({ type: 'prompt', prompt: node.prompt });
        effects.push({ type: 'hangup' });
        return { state: null, effects };
    }
  }
  effects.push({ type: 'hangup' });
  return { state: null, effects };
}

/** Starts the flow. */
export function startIvr(graph: IvrGraph): IvrStep {
  return runFrom(graph, graph.start, 0, []);
}

/** Continues at a given node (e.g. the "no agent" branch of a transfer). */
export function resumeAt(graph: IvrGraph, nodeId: string): IvrStep {
  return runFrom(graph, nodeId, 0, []);
}

/**
 * Applies caller input. Input for a step other than the current one (a duplicate or late
 * webhook) changes nothing and asks for nothing.
 */
export function stepIvr(graph: IvrGraph, state: IvrState, event: IvrEvent): IvrStep {
  if (event.type === 'start') return startIvr(graph);
  if (event.step !== state.node) return { state, effects: [] };
  const node = find(graph, state.node);
  if (node.type !== 'menu') return { state, effects: [] };
  const option = event.timedOut ? undefined : node.options.find((o) => o.key === event.digits);
  if (option) {
    const pressed: IvrEffect = { type: 'keyPressed', key: option.key, label: option.label, nodeLabel: node.label };
    return runFrom(graph, option.next, 0, [pressed]);
  }
  if (state.retries >= node.maxRetries) return runFrom(graph, node.onFail, 0, []);
  const lead: IvrEffect[] =
    !event.timedOut && node.invalidPrompt ? [{ type: 'prompt', prompt: node.invalidPrompt }] : [];
  return runFrom(graph, node.id, state.retries + 1, lead);
}
