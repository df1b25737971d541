/**
 * Every table, for drizzle-kit and for the typed `db`. Modules own their tables; this file
 * only gathers them.
 */
export * from '../modules/tenants/schema.js';
export * from '../modules/users/schema.js';
export * from '../modules/auth/schema.js';
export * from '../modules/realtime/schema.js';
