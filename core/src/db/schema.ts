/**
 * Every table, for drizzle-kit and for the typed `db`. Modules own their tables; this file
 * only gathers them.
 */
export * from '../modules/tenants/schema.js';
export * from '../modules/users/schema.js';
export * from '../modules/auth/schema.js';
export * from '../modules/realtime/schema.js';
export * from '../modules/ivr/schema.js';
export * from '../modules/numbers/schema.js';
export * from '../modules/skill-groups/schema.js';
export * from '../modules/agents/schema.js';
export * from '../modules/calls/schema.js';
export * from '../modules/records/schema.js';
export * from '../modules/recordings/schema.js';
export * from '../modules/routing/schema.js';
export * from '../modules/audio/schema.js';
export * from '../modules/sessions/schema.js';
export * from '../modules/messages/schema.js';
export * from '../modules/mail/schema.js';
export * from '../modules/plugin-settings/schema.js';
export * from '../modules/plugin-records/schema.js';
export * from '../modules/push/schema.js';
export * from '../modules/sdk/schema.js';
