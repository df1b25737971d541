/**
 * `@switchboard/demo-crm`: a small CRM with made-up customers that `npm start` runs in demo mode
 * (simulator, no `CRM_URL`), so the screen-pop plugin has someone to show. Not for production.
 */
export { startDemoCrm, createDemoCrmApp, type DemoCrm, type DemoCrmOptions } from './server.js';
export { DEMO_CUSTOMERS, findByPhone, maskPhone, normalizePhone, type DemoCustomer } from './customers.js';
