import { z } from 'zod';
import { definePlugin } from '../../../core/src/plugins/define-plugin.js';
import type { HookHandler, HookName, PluginHookMap } from '../../../core/src/plugins/types.js';

/** A hook a plugin heard, with a copy of its payload. */
export interface HeardHook {
  hook: HookName;
  payload: Record<string, unknown>;
}

/**
 * A plugin that records, in order, every payload it hears on `hooks` (INT-03). `answers` gives
 * what some of them return (e.g. annotations on `call.incoming`); the others return nothing.
 */
export function hookRecorder(
  name: string,
  hooks: HookName[],
  answers: { [K in HookName]?: HookHandler<K> } = {},
): { plugin: ReturnType<typeof definePlugin>; heard: HeardHook[] } {
  const heard: HeardHook[] = [];
  const map = Object.fromEntries(
    hooks.map((hook) => [
      hook,
      (payload: object, ctx: never) => {
        heard.push({ hook, payload: { ...payload } });
        return (answers[hook] as ((p: object, c: never) => unknown) | undefined)?.(payload, ctx);
      },
    ]),
  ) as PluginHookMap;
  return { plugin: definePlugin({ name, version: '1.0.0', config: z.object({}), hooks: map }), heard };
}
