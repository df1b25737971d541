import { messageLanguage } from '../../http/message-language.js';
import { createError } from '../../errors/registry.js';
import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { PLUGIN_NAME_PATTERN } from '../../plugins/define-plugin.js';

const pluginViewSchema = z
  .object({
    name: z.string(),
    version: z.string(),
    status: z.enum(['ok', 'failed', 'disabled']).meta({
      description: 'Boot status on this server: failed (see reason) or disabled by the operator means it serves nobody',
    }),
    reason: z.string().optional(),
    hooks: z.array(z.string()),
    enabled: z.boolean().meta({ description: 'Whether the plugin serves your tenant now' }),
    offReason: z.enum(['not_enabled', 'edition', 'settings_invalid']).optional(),
    edition: z.enum(['standard', 'advanced']).meta({ description: 'advanced: for advanced-edition tenants only' }),
    settingsSchema: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: 'JSON Schema of the per-tenant settings; fields with `secret: true` are write-only' }),
    settings: z.record(z.string(), z.unknown()).meta({ description: 'Saved settings, secret ones left out' }),
    secretsSet: z.array(z.string()).meta({ description: 'Secret settings that have a value' }),
    ui: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: 'The plugin’s typed UI contributions (cards, actions)' }),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'TenantPlugin' });

const bilingual = z.object({ 'zh-CN': z.string(), en: z.string() });
const uiField = z
  .object({
    kind: z.enum(['text', 'textarea', 'select']),
    name: z.string(),
    label: bilingual,
    required: z.boolean(),
    maxLength: z.number().optional(),
    options: z
      .union([z.array(z.object({ value: z.string(), label: z.string() })), z.object({ route: z.string() })])
      .optional()
      .meta({ description: 'select: the choices, or a GET address answering `{ items: [{ value, label }] }`' }),
  })
  .meta({ id: 'PluginUiField' });
const uiAnswer = z
  .object({
    cards: z.array(
      z.object({
        plugin: z.string(),
        annotation: z.string().meta({ description: 'The call annotation that holds the card (`kind: card`)' }),
        title: z.string(),
      }),
    ),
    actions: z.array(
      z.object({
        plugin: z.string(),
        id: z.string(),
        label: bilingual,
        placement: z.enum(['call']),
        route: z.string(),
        url: z
          .string()
          .meta({ description: 'Where the form is posted: `{ sessionId, values }`, as the signed-in user' }),
        fields: z.array(uiField),
        roles: z.array(z.enum(['agent', 'supervisor', 'admin'])),
      }),
    ),
  })
  .meta({ id: 'PluginUi' });

const nameParams = z.object({ name: z.string().max(64).regex(PLUGIN_NAME_PATTERN, 'a plugin name (kebab-case)') });

/**
 * Plugins per tenant (DESIGN "Per-tenant settings", ADR 0013): a tenant's admin sees the
 * installation's plugins, turns each on or off for the tenant and fills its settings.
 */
export function registerPluginSettingsRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/plugins',
      summary:
        'The plugins of this installation and, for your tenant, whether each is on and its settings (secrets never sent)',
      tags: ['plugins'],
      access: { roles: ['admin'], scopes: ['tenant:read'] },
      response: z.object({ items: z.array(pluginViewSchema) }),
      handler: async ({ principal, deps }) => ({ items: await deps.pluginSettings.list(principal.tenantId) }),
    })
    .route({
      method: 'get',
      path: '/plugins/ui',
      summary:
        'What the plugins serving your tenant add to the workbench (typed UI contributions): card slots, and the agent actions your role may use — each a button with a small form posted to the plugin’s own route as you',
      tags: ['plugins'],
      access: { roles: ['admin', 'supervisor', 'agent'] },
      response: uiAnswer,
      handler: async ({ principal, deps }) => {
        if (principal.kind !== 'user')
          throw createError('forbidden', 'The workbench’s contributions are for signed-in users');
        return deps.pluginSettings.uiFor(principal.tenantId, principal.role);
      },
    })
    .route({
      method: 'get',
      path: '/plugins/:name',
      summary: 'One plugin for your tenant',
      tags: ['plugins'],
      access: { roles: ['admin'], scopes: ['tenant:read'] },
      params: nameParams,
      response: pluginViewSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => deps.pluginSettings.get(principal.tenantId, params.name),
    })
    .route({
      method: 'put',
      path: '/plugins/:name',
      summary:
        'Turn a plugin on or off for your tenant and save its settings: a secret left out keeps its value, null clears it; turning on needs settings that pass the plugin’s schema',
      tags: ['plugins'],
      access: { roles: ['admin'], scopes: ['tenant:write'] },
      params: nameParams,
      body: z
        .object({
          enabled: z.boolean(),
          settings: z
            .record(z.string().max(64), z.unknown())
            .refine((s) => Object.keys(s).length <= 100, 'at most 100 settings')
            .optional(),
        })
        .strict(),
      response: pluginViewSchema,
      errors: { 403: 'edition_required', 404: 'not_found' },
      handler: async ({ principal, deps, params, body, ctx }) =>
        deps.pluginSettings.update(
          principal.tenantId,
          params.name,
          body,
          principal.kind === 'user' ? principal.userId : null,
          messageLanguage(ctx),
        ),
    });
}
