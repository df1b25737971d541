import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createError } from './errors/registry.js';
import { users } from './modules/users/schema.js';
import { startTestApp, type TestApp } from '../test/support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

/** A real failed statement whose parameters hold personal data. */
async function failedInsert(email: string, name: string): Promise<unknown> {
  const { tenantId } = await t.seedTenant({ slug: `logs-${Math.random().toString(36).slice(2, 8)}`, roles: [] });
  const row = { tenantId, email, name, staffNo: '1', role: 'agent' as const };
  await t.app.database.db.insert(users).values(row);
  // Same email again: unique violation (23505); PostgreSQL's detail quotes the email too.
  return t.app.database.db
    .insert(users)
    .values({ ...row, staffNo: '2' })
    .then(
      () => undefined,
      (err: unknown) => err,
    );
}

describe('logs hold no SQL parameter values', () => {
  it('a failed statement is logged with its SQL and SQLSTATE, never its values', async () => {
    const email = 'private.person@secret.test';
    const name = 'Zhang Secretname';
    const err = await failedInsert(email, name);
    expect(String((err as Error).message)).toContain(email); // what Drizzle itself would print

    const before = t.logs.length;
    t.app.logger.error({ err }, 'step failed');
    // Through a child logger and wrapped in an AppError, as request and background code log.
    t.app.logger.child({ reqId: 'r1' }).error({ err: createError('internal', undefined, { cause: err }) }, 'wrapped');
    const lines = t.logs.slice(before);
    expect(lines).toHaveLength(2);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(email);
    expect(text).not.toContain('Secretname');
    expect(text).not.toMatch(/params:/);
    const direct = lines[0]!.err as Record<string, unknown>;
    expect(direct.message).toMatch(/^Failed query: insert into "users"/);
    expect(direct.code).toBe('23505');
    expect(String(lines[1]!.err && (lines[1]!.err as { message: string }).message)).toMatch(/Failed query: insert/);
  });

  it('PostgreSQL messages lose quoted values but keep the constraint they name', async () => {
    const err = await failedInsert('another.one@secret.test', 'X');
    const before = t.logs.length;
    t.app.logger.warn({ err: (err as { cause: unknown }).cause }, 'raw pg error');
    const [line] = t.logs.slice(before);
    const e = line!.err as Record<string, unknown>;
    expect(JSON.stringify(line)).not.toContain('another.one@secret.test');
    expect(e.detail).toBeUndefined();
    expect(e.message).toMatch(/"users_email_uq"/);
    expect(e.code).toBe('23505');
  });
});
