/**
 * The agent workbench's softphone (framework-agnostic): see `types.ts` for the interface the UI
 * uses, `create-softphone.ts` for how it is chosen, `device-check.ts` for the pre-flight checks.
 */
export * from './types.js';
export { TypedEmitter } from './emitter.js';
export { createSoftphone, type CreateSoftphoneOptions } from './create-softphone.js';
export { JsSipSoftphone, answerAfterSeconds, type JsSipSoftphoneOptions, type JsSipModule } from './jssip-softphone.js';
export {
  SimulatedSoftphone,
  type SimulatedSoftphoneOptions,
  type SimDeviceCallEvent,
  type SimDeviceEventSource,
  type SoftphoneApi,
} from './simulated-softphone.js';
export * from './device-check.js';
