/**
 * Call end statuses, after the reference product's `EndStatus` (research A7), so CDR
 * consumers moving from it keep their mapping.
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
  clientError: 211,
} as const;

export type EndStatusName = keyof typeof END_STATUS;

const BY_CODE = new Map<number, EndStatusName>(Object.entries(END_STATUS).map(([k, v]) => [v, k as EndStatusName]));

/** The string of a code (`ok`, `waitingGiveUp`…). */
export function endStatusString(code: number): string {
  return BY_CODE.get(code) ?? 'unknown';
}
