/**
 * Call end statuses, after the reference product's `EndStatus` (research A7), so CDR
 * consumers moving from it keep their mapping. Inbound outcomes first, then outbound ones
 * (calls agents place: OUT-01/03, CTL-07).
 */
export const END_STATUS = {
  ok: 1,
  blackList: 100,
  ivrGiveUp: 102,
  waitingGiveUp: 103,
  ringingGiveUp: 104,
  noSeatOnline: 105,
  notWorkTime: 106,
  ivrEnd: 107,
  /** Outbound: the customer did not answer (ring timeout). */
  notAnswer: 202,
  /** Outbound: the customer declined the call (SIP 603). */
  userReject: 203,
  /** Outbound: the customer's number does not exist (SIP 404/604). */
  numberNotExist: 205,
  /** Outbound: the customer's line is busy (SIP 486/600). */
  busy: 206,
  /** Outbound: the carrier or the provider failed to place the call. */
  operatorError: 208,
  /** Outbound: the agent hung up before the customer was dialled. */
  callerCancel: 209,
  /** Outbound: the customer is temporarily unreachable (SIP 480: off, out of coverage). */
  notInService: 210,
  /** The agent's own device failed or did not answer (an outbound call rings it first). */
  clientError: 211,
  /** Outbound: the customer's number is malformed for the carrier (SIP 484). */
  numberInvalid: 215,
  /** Outbound: the agent hung up while the customer's phone rang. */
  callerCancelWhileRing: 220,
} as const;

export type EndStatusName = keyof typeof END_STATUS;

const BY_CODE = new Map<number, EndStatusName>(Object.entries(END_STATUS).map(([k, v]) => [v, k as EndStatusName]));

/** The string of a code (`ok`, `waitingGiveUp`…). */
export function endStatusString(code: number): string {
  return BY_CODE.get(code) ?? 'unknown';
}

/**
 * Why a customer's phone never answered an outbound call (research A7), from the provider's
 * final status of that leg and its SIP code; with the side that ended it (`user`: the customer
 * refused, `system`: nobody picked up or the network failed).
 */
export function customerUnreached(status: string, sipStatus?: number): { code: number; side: 'user' | 'system' } {
  if (status === 'no-answer') return { code: END_STATUS.notAnswer, side: 'system' };
  // jambonz reports both "busy" (486/600) and "declined" (603) as busy, with the SIP code.
  if (status === 'busy')
    return sipStatus === 603 ? { code: END_STATUS.userReject, side: 'user' } : { code: END_STATUS.busy, side: 'user' };
  if (sipStatus === 404 || sipStatus === 604) return { code: END_STATUS.numberNotExist, side: 'system' };
  if (sipStatus === 484) return { code: END_STATUS.numberInvalid, side: 'system' };
  if (sipStatus === 480) return { code: END_STATUS.notInService, side: 'system' };
  return { code: END_STATUS.operatorError, side: 'system' };
}
