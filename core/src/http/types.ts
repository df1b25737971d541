import type { AwilixContainer } from 'awilix';
import type { ParameterizedContext } from 'koa';
import type { Logger } from 'pino';
import type { Principal } from '../modules/auth/principal.js';
import type { Cradle } from '../container.js';

/** What every request carries in `ctx.state`. */
export interface AppState {
  requestId: string;
  log: Logger;
  container: AwilixContainer<Cradle>;
  /** Set by the auth middleware when a valid token or API key came with the request. */
  principal?: Principal;
  /** Route template for metrics (e.g. `/api/v1/users/:id`). */
  routePath?: string;
}

/** The Koa context of this app. */
export type AppContext = ParameterizedContext<AppState>;

declare module 'koa' {
  interface Request {
    /** The exact bytes received; signature checks (jambonz) need them, not re-serialised JSON. */
    rawBody?: Buffer;
    /** Parsed JSON body (undefined when there was none). */
    body?: unknown;
  }
}
