import { createError } from '../errors/registry.js';
import type { TelephonyPort } from './types.js';

/** The port when no telephony adapter is configured: nothing can ring, nothing is alive. */
export const noTelephony: TelephonyPort = {
  async ringAgent() {
    throw createError('telephony_unavailable');
  },
  async moveToRoom() {
    throw createError('telephony_unavailable');
  },
  async redirect() {
    throw createError('telephony_unavailable');
  },
  async hangup() {},
  async isAlive() {
    return false;
  },
  async memberAction() {
    throw createError('telephony_unavailable');
  },
  async sendDtmf() {
    throw createError('telephony_unavailable');
  },
  async placeCall() {
    throw createError('telephony_unavailable');
  },
};
