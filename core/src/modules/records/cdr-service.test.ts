import { describe, expect, it } from 'vitest';
import { recordingsByOffer } from './cdr-service.js';

const at = (s: number) => new Date(1_700_000_000_000 + s * 1000);

describe('recordingsByOffer', () => {
  it('[REC-04] [CTL-03] gives each answered agent of a handed-on call the recording of their own part', () => {
    const offers = [
      { id: 'missed', answeredAt: null },
      { id: 'first', answeredAt: at(10) },
      { id: 'second', answeredAt: at(40) },
    ];
    // Parts start when the customer joins each agent's room, just after the answer.
    const parts = [
      { id: 'rec-1', at: at(10.2).getTime() },
      { id: 'rec-2', at: at(40.3).getTime() },
    ];
    expect(Object.fromEntries(recordingsByOffer(offers, parts))).toEqual({ first: 'rec-1', second: 'rec-2' });
  });

  it('[REC-04] a single part before every answer (clock skew) still belongs to the first agent; no answer, no owner', () => {
    expect(
      Object.fromEntries(recordingsByOffer([{ id: 'only', answeredAt: at(10) }], [{ id: 'r', at: at(9.9).getTime() }])),
    ).toEqual({
      only: 'r',
    });
    expect(recordingsByOffer([{ id: 'missed', answeredAt: null }], [{ id: 'r', at: at(1).getTime() }]).size).toBe(0);
  });
});
