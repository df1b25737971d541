import { z } from 'zod';

/**
 * The IVR flow model: a graph of typed nodes (FEATURES IVR-*). This is the subset the inbound
 * path needs; the IVR issue adds node types without changing these.
 */

export const promptSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('say'), text: z.string().min(1).max(2000) }),
  z.object({ kind: z.literal('play'), url: z.url() }),
]);

const base = {
  id: z.string().min(1).max(64),
  /** Shown in key trails and reports. */
  label: z.string().max(100).default(''),
};

export const playNodeSchema = z.object({
  ...base,
  type: z.literal('play'),
  prompt: promptSchema,
  next: z.string().min(1),
});

export const menuNodeSchema = z.object({
  ...base,
  type: z.literal('menu'),
  prompt: promptSchema,
  options: z
    .array(
      z.object({ key: z.string().regex(/^[0-9*#]$/), label: z.string().max(100).default(''), next: z.string().min(1) }),
    )
    .min(1),
  timeoutSeconds: z.number().int().min(1).max(60).default(8),
  /** Extra tries after a wrong key or no key. */
  maxRetries: z.number().int().min(0).max(10).default(2),
  invalidPrompt: promptSchema.optional(),
  /** Where to go when tries run out. */
  onFail: z.string().min(1),
});

export const transferNodeSchema = z.object({
  ...base,
  type: z.literal('transfer'),
  target: z.object({ type: z.literal('skillGroup'), skillGroupId: z.uuid() }),
  /** Where to go when nobody in the group is online. */
  noAgentNext: z.string().min(1).optional(),
  priority: z.number().int().min(0).max(999).default(100),
});

export const hangupNodeSchema = z.object({
  ...base,
  type: z.literal('hangup'),
  prompt: promptSchema.optional(),
});

export const ivrNodeSchema = z.discriminatedUnion('type', [
  playNodeSchema,
  menuNodeSchema,
  transferNodeSchema,
  hangupNodeSchema,
]);

export const ivrGraphSchema = z
  .object({
    start: z.string().min(1),
    nodes: z.array(ivrNodeSchema).min(1),
  })
  .superRefine((g, ctx) => {
    const ids = new Set<string>();
    for (const n of g.nodes) {
      if (ids.has(n.id)) ctx.addIssue({ code: 'custom', message: `duplicate node id ${n.id}`, path: ['nodes'] });
      ids.add(n.id);
    }
    const check = (ref: string | undefined, where: string) => {
      if (ref !== undefined && !ids.has(ref))
        ctx.addIssue({ code: 'custom', message: `${where} points to missing node ${ref}`, path: ['nodes'] });
    };
    check(g.start, 'start');
    for (const n of g.nodes) {
      if (n.type === 'play') check(n.next, `${n.id}.next`);
      if (n.type === 'menu') {
        check(n.onFail, `${n.id}.onFail`);
        for (const o of n.options) check(o.next, `${n.id}.options[${o.key}]`);
      }
      if (n.type === 'transfer') check(n.noAgentNext, `${n.id}.noAgentNext`);
    }
  });

export type Prompt = z.output<typeof promptSchema>;
export type IvrNode = z.output<typeof ivrNodeSchema>;
export type IvrGraph = z.output<typeof ivrGraphSchema>;
