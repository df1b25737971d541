/**
 * TEMPORARY: the outbound routes (`wt/outbound`, OUT-01/03/07) are not yet in the server this
 * branch generates `schema.gen.ts` from. Their shapes are copied from
 * `core/src/modules/outbound/routes.ts` of that branch; once it is merged, the generated client
 * types them and this file goes (use `api` from `./request`).
 */
import createClient from 'openapi-fetch';
import { interceptors, type Schemas } from './request';

/** A number the agent may show the customer (OUT-07). */
export interface OutboundCallerId {
  id: string;
  number: string;
  label: string;
  skillGroupIds: string[];
  preferred: boolean;
}

interface ErrorBody {
  content: { 'application/json': Schemas['Error'] };
}

interface OutboundPaths {
  '/api/v1/calls/outbound': {
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: {
        content: { 'application/json': { to: string; callerNumberId?: string; skillGroupId?: string } };
      };
      responses: {
        202: { content: { 'application/json': { sessionId: string; callerId: string; callee: string } } };
        400: ErrorBody;
        404: ErrorBody;
        409: ErrorBody;
        503: ErrorBody;
      };
    };
  };
  '/api/v1/calls/outbound/caller-ids': {
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      responses: {
        200: {
          content: {
            'application/json': {
              items: OutboundCallerId[];
              skillGroups: Array<{ id: string; name: string }>;
            };
          };
        };
      };
    };
  };
}

/** The typed client for the two outbound routes (same interceptors as `api`). */
export const outboundApi = createClient<OutboundPaths>({
  baseUrl: '',
  fetch: (input: Request) => globalThis.fetch(input),
});
outboundApi.use(interceptors);
