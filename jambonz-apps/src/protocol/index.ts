/**
 * The jambonz 0.9.x wire contract: webhook signatures, webhook payload schemas, verb types and
 * builders with the feature server's own validator, and a typed REST client.
 */
export * from './signature.js';
export * from './payloads.js';
export * from './verbs.js';
export * from './rest-client.js';
