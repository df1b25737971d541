import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { ivrGraphShapeSchema } from './flow-model.js';
import { singleLine } from '../../http/text.js';

/*
 * IVR flows (IVR-33…35). Admins write, admins and supervisors read; API keys need `ivr:read`
 * or `ivr:write`. Named versions are advanced-edition. A graph with problems is refused with
 * `400 flow_invalid` (details: every problem as `{ nodeId, kind, problem }`); advanced node
 * types or options in a standard tenant with `403 edition_required`.
 */

const READ = { roles: ['admin', 'supervisor'], scopes: ['ivr:read'] } as const;
const WRITE = { roles: ['admin'], scopes: ['ivr:write'] } as const;
const TAGS = ['ivr'];

const graphSchema = ivrGraphShapeSchema.meta({
  id: 'IvrGraph',
  description: 'An IVR flow graph: `start`, typed `nodes`, optional `timeZone` and custom `variables`',
});
const problemSchema = z
  .object({
    nodeId: z.string().nullable(),
    kind: z.string(),
    problem: z.string(),
    field: z.string().optional().meta({ description: "The node's field at fault, when there is one" }),
  })
  .meta({ id: 'IvrProblem' });

const flowSummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    publishedVersion: z.number().int().nullable().meta({ description: 'The version new calls use' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'IvrFlowSummary' });
const flowSchema = flowSummarySchema
  .extend({
    graph: z.unknown().meta({ description: 'The published graph (IvrGraph)' }),
    numbers: z.array(z.object({ id: z.uuid(), number: z.string(), label: z.string() })),
  })
  .meta({ id: 'IvrFlow' });
const versionSummarySchema = z
  .object({
    version: z.number().int(),
    label: z.string().nullable(),
    baseVersion: z.number().int().nullable(),
    published: z.boolean(),
    publishedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'IvrFlowVersionSummary' });
const versionSchema = versionSummarySchema
  .extend({ graph: z.unknown().meta({ description: 'The graph (IvrGraph)' }) })
  .meta({ id: 'IvrFlowVersion' });

const idParams = z.object({ id: z.uuid() });
/** Bounded: versions are a PostgreSQL `integer`, and a bigger number there is a 500, not a 404. */
const versionNumber = z.number().int().min(1).max(1_000_000);
const versionParams = z.object({ id: z.uuid(), version: z.coerce.number().int().min(1).max(1_000_000) });
const name = singleLine(100);
const label = singleLine(64);

export function registerIvrRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/ivr-flows',
      summary: 'List IVR flows, a page at a time, filtered by name (IVR-33)',
      tags: TAGS,
      access: READ,
      query: z
        .object({
          q: singleLine(100).optional().meta({ description: 'Part of the name (case ignored)' }),
          sort: z.enum(['name', 'updatedAt']).default('name'),
          order: z.enum(['asc', 'desc']).default('asc'),
          page: z.coerce.number().int().min(1).max(100_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(100).default(100),
        })
        .strict(),
      response: z.object({
        items: z.array(flowSummarySchema),
        total: z.number().int(),
        page: z.number().int(),
        pageSize: z.number().int(),
      }),
      handler: async ({ principal, deps, query }) => deps.ivrService.page(principal.tenantId, query),
    })
    .route({
      method: 'post',
      path: '/ivr-flows',
      summary: 'Create an IVR flow; its first version is published (IVR-33)',
      tags: TAGS,
      access: WRITE,
      status: 201,
      body: z.object({ name, graph: graphSchema }).strict(),
      response: flowSchema,
      errors: { 400: 'validation_failed, malformed_json, flow_invalid', 409: 'conflict' },
      handler: async ({ principal, deps, body }) => deps.ivrService.create(principal.tenantId, body),
    })
    .route({
      method: 'post',
      path: '/ivr-flows/validate',
      summary: 'Check a graph without saving it: every problem, each naming its node',
      tags: TAGS,
      access: WRITE,
      body: z.object({ graph: graphSchema }).strict(),
      response: z.object({ problems: z.array(problemSchema) }),
      handler: async ({ principal, deps, body }) => ({
        problems: await deps.ivrService.problems(principal.tenantId, body.graph),
      }),
    })
    .route({
      method: 'get',
      path: '/ivr-flows/:id',
      summary: 'An IVR flow: its published graph and the numbers bound to it (IVR-33)',
      tags: TAGS,
      access: READ,
      params: idParams,
      response: flowSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => deps.ivrService.get(principal.tenantId, params.id),
    })
    .route({
      method: 'put',
      path: '/ivr-flows/:id',
      summary: 'Save a new version and publish it: new calls take it, calls in progress keep theirs (IVR-34)',
      tags: TAGS,
      access: WRITE,
      params: idParams,
      body: z.object({ name: name.optional(), graph: graphSchema }).strict(),
      response: flowSchema,
      errors: { 400: 'validation_failed, malformed_json, flow_invalid', 404: 'not_found', 409: 'conflict' },
      handler: async ({ principal, deps, params, body }) => deps.ivrService.save(principal.tenantId, params.id, body),
    })
    .route({
      method: 'delete',
      path: '/ivr-flows/:id',
      summary: 'Delete an IVR flow; refused while a number is bound to it or calls are in it (IVR-33)',
      tags: TAGS,
      access: WRITE,
      params: idParams,
      status: 204,
      errors: { 404: 'not_found', 409: 'flow_in_use' },
      handler: async ({ principal, deps, params }) => {
        await deps.ivrService.remove(principal.tenantId, params.id);
      },
    })
    // ── named versions (IVR-35, advanced) ──
    .route({
      method: 'get',
      path: '/ivr-flows/:id/versions',
      summary: 'Versions of a flow (IVR-35)',
      tags: TAGS,
      access: { ...READ, edition: 'advanced' },
      params: idParams,
      response: z.object({ items: z.array(versionSummarySchema) }),
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => ({
        items: await deps.ivrService.listVersions(principal.tenantId, params.id),
      }),
    })
    .route({
      method: 'post',
      path: '/ivr-flows/:id/versions',
      summary: 'Derive a named version from the published one (or `fromVersion`), optionally with a new graph (IVR-35)',
      tags: TAGS,
      access: { ...WRITE, edition: 'advanced' },
      params: idParams,
      status: 201,
      body: z.object({ label, fromVersion: versionNumber.optional(), graph: graphSchema.optional() }).strict(),
      response: versionSchema,
      errors: { 400: 'validation_failed, malformed_json, flow_invalid', 404: 'not_found', 409: 'conflict' },
      handler: async ({ principal, deps, params, body }) =>
        deps.ivrService.deriveVersion(principal.tenantId, params.id, body),
    })
    .route({
      method: 'get',
      path: '/ivr-flows/:id/versions/:version',
      summary: 'One version of a flow, with its graph (IVR-35)',
      tags: TAGS,
      access: { ...READ, edition: 'advanced' },
      params: versionParams,
      response: versionSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) =>
        deps.ivrService.getVersion(principal.tenantId, params.id, params.version),
    })
    .route({
      method: 'put',
      path: '/ivr-flows/:id/versions/:version',
      summary: 'Edit a named version that has never been published (IVR-35)',
      tags: TAGS,
      access: { ...WRITE, edition: 'advanced' },
      params: versionParams,
      body: z
        .object({ label: label.optional(), graph: graphSchema.optional() })
        .strict()
        .refine((b) => b.label !== undefined || b.graph !== undefined, 'send label or graph'),
      response: versionSchema,
      errors: {
        400: 'validation_failed, malformed_json, flow_invalid',
        404: 'not_found',
        409: 'version_frozen, conflict',
      },
      handler: async ({ principal, deps, params, body }) =>
        deps.ivrService.editVersion(principal.tenantId, params.id, params.version, body),
    })
    .route({
      method: 'delete',
      path: '/ivr-flows/:id/versions/:version',
      summary: 'Delete a version; refused for the published one and while calls run on it (IVR-35)',
      tags: TAGS,
      access: { ...WRITE, edition: 'advanced' },
      params: versionParams,
      status: 204,
      errors: { 404: 'not_found', 409: 'flow_in_use' },
      handler: async ({ principal, deps, params }) => {
        await deps.ivrService.deleteVersion(principal.tenantId, params.id, params.version);
      },
    })
    .route({
      method: 'put',
      path: '/ivr-flows/:id/published-version',
      summary: 'Choose the version new calls to the flow’s numbers use (IVR-35)',
      tags: TAGS,
      access: { ...WRITE, edition: 'advanced' },
      params: idParams,
      body: z.object({ version: versionNumber }).strict(),
      response: flowSchema,
      errors: { 400: 'validation_failed, malformed_json, flow_invalid', 404: 'not_found' },
      handler: async ({ principal, deps, params, body }) =>
        deps.ivrService.publishVersion(principal.tenantId, params.id, body.version),
    });
}
