import { z } from 'zod';
import type { CallSessionRow } from '../calls/schema.js';
import type { NumberRepo } from './repo.js';

/** The company number of a call (IN-05) and its label. */
export interface CompanyNumber {
  number: string;
  /** The label the admin gave the number (`Hotline`, `售后专线`); '' when none. */
  label: string;
}

/**
 * The company number of a session (IN-05): the one the customer dialled on an inbound call, the
 * one that showed to them on an outbound call (a redial keeps the inbound call's number). Our
 * own number is no customer data, so it is never masked. Null for an internal call (both sides
 * are staff numbers).
 */
export async function companyNumberOf(
  numberRepo: Pick<NumberRepo, 'findById' | 'findByNumber'>,
  session: Pick<CallSessionRow, 'tenantId' | 'direction' | 'caller' | 'callee' | 'numberId'>,
): Promise<CompanyNumber | null> {
  if (session.direction === 'internal') return null;
  const ours = session.direction === 'outbound' ? session.caller : session.callee;
  const row = session.numberId
    ? await numberRepo.findById(session.tenantId, session.numberId)
    : await numberRepo.findByNumber(ours);
  // The number may have been deleted since, or be another tenant's (findByNumber is global).
  return { number: ours, label: row && row.tenantId === session.tenantId ? row.label : '' };
}

/** {@link CompanyNumber} for the API docs (IN-05). */
export const companyNumberSchema = z
  .object({
    number: z.string().meta({ example: '4001234567' }),
    label: z.string().meta({ example: 'Hotline' }),
  })
  .meta({
    id: 'CompanyNumber',
    description: 'The company number of the call (IN-05) and its label; null on an internal call',
  });
