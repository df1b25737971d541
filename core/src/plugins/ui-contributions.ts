import { z } from 'zod';
import type { Role } from '../modules/users/schema.js';

/**
 * Typed UI contributions (DESIGN "Plugins"): what a plugin adds to the workbench, as data the
 * app renders with its own components. No plugin ships JavaScript into the app: a card is JSON
 * kept in the call's annotations ({@link UiCard} in `types.ts`), an action is a button with a
 * small form whose submission goes to the plugin's own route with the agent's identity.
 */

/** A label in both languages of the app. */
const label = z.object({
  'zh-CN': z.string().min(1).max(60),
  en: z.string().min(1).max(60),
});

/** A path under the plugin's mount (`/plugins/<name>`), e.g. `/actions/add-friend`. */
const routePath = z
  .string()
  .max(200)
  .regex(/^(\/[A-Za-z0-9._~-]+)+$/, 'a path under the plugin, e.g. /actions/add-friend');

const fieldBase = {
  /** Key of the value in the submitted `values`. */
  name: z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/, 'a camelCase field name'),
  label,
  required: z.boolean().default(false),
};

/** One field of an action's form. */
export const uiFieldSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), ...fieldBase, maxLength: z.number().int().min(1).max(1000).default(200) }),
  z.object({ kind: z.literal('textarea'), ...fieldBase, maxLength: z.number().int().min(1).max(4000).default(1000) }),
  z.object({
    kind: z.literal('select'),
    ...fieldBase,
    /**
     * The choices: fixed, or a GET route of the plugin answering `{ items: [{ value, label }] }`
     * (a WeCom member picker), asked with the agent's identity when the form opens.
     */
    options: z.union([
      z
        .array(z.object({ value: z.string().min(1).max(200), label: z.string().min(1).max(200) }))
        .min(1)
        .max(200),
      z.object({ route: routePath }),
    ]),
  }),
]);

/**
 * An agent action: a button on the call card (live or just ended) that opens a small form and
 * posts `{ sessionId, values }` to the plugin's `route` as the signed-in agent. The plugin's
 * answer `{ message }` is shown to the agent; an error envelope is shown in words.
 */
export const uiActionSchema = z.object({
  /** Unique within the plugin, kebab-case. */
  id: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'a kebab-case id'),
  label,
  /** Where the button shows: on the card of a call (live, or in wrap-up right after). */
  placement: z.literal('call'),
  /** POST route of the plugin the form is sent to. */
  route: routePath,
  fields: z.array(uiFieldSchema).max(10).default([]),
  /** Who sees the button; default: agents, supervisors and admins (anyone who takes calls). */
  roles: z
    .array(z.enum(['agent', 'supervisor', 'admin']))
    .min(1)
    .default(['agent', 'supervisor', 'admin']),
});

/** A card slot: which annotation key of the call holds the plugin's {@link UiCard}. */
export const uiCardSlotSchema = z.object({
  annotation: z.string().min(1).max(64),
  title: z.string().min(1).max(60),
});

/** Everything a plugin contributes to the app (`definePlugin({ ui })`). */
export const uiContributionsSchema = z
  .object({
    cards: z.array(uiCardSlotSchema).max(10).default([]),
    actions: z.array(uiActionSchema).max(10).default([]),
  })
  .strict()
  .refine((u) => new Set(u.actions.map((a) => a.id)).size === u.actions.length, {
    message: 'action ids must be unique',
    path: ['actions'],
  });

/** What a plugin writes in `definePlugin({ ui })`. */
export type UiContributionsInput = z.input<typeof uiContributionsSchema>;
/** The contributions as served to the app (defaults applied). */
export type UiContributions = z.output<typeof uiContributionsSchema>;
/** One agent action. */
export type UiAction = z.output<typeof uiActionSchema>;
/** One field of an action's form. */
export type UiField = z.output<typeof uiFieldSchema>;

/** An action as the workbench gets it: with its plugin and the full address to post to. */
export interface UiActionView extends UiAction {
  plugin: string;
  /** `/plugins/<name><route>`; a select's `options.route` is given the same way. */
  url: string;
}

/** The contributions of one plugin for one viewer: the actions their role may use. */
export function actionsFor(plugin: string, ui: UiContributions, role: Role): UiActionView[] {
  return ui.actions
    .filter((a) => (a.roles as readonly string[]).includes(role))
    .map((a) => ({
      ...a,
      plugin,
      url: `/plugins/${plugin}${a.route}`,
      fields: a.fields.map((f) =>
        f.kind === 'select' && !Array.isArray(f.options)
          ? { ...f, options: { route: `/plugins/${plugin}${f.options.route}` } }
          : f,
      ),
    }));
}
