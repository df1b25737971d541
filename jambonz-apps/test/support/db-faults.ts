/**
 * Database faults for crash-path tests, made with the database's own means (no mock of our
 * code): a trigger that makes the next writes of one table fail, and a table taken away for a
 * moment so reads of it fail.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';

/** A write fault in place. */
export interface WriteFault {
  /** How many statements it has failed so far. */
  fired(): Promise<number>;
  /** Removes the trigger (idempotent). */
  drop(): Promise<void>;
}

/**
 * The next `times` rows written to `table` (`insert` or `update`; only rows whose `column`
 * equals `value` when given) raise `injected fault <name>`, as a constraint or a lost
 * connection would. Counted with a sequence: a counter in a table would be rolled back with the
 * statement that failed.
 */
export async function failNextWrite(
  pool: pg.Pool,
  opts: { table: string; op: 'insert' | 'update'; column?: string; value?: string; times?: number },
): Promise<WriteFault> {
  const name = `sb_fault_${randomBytes(4).toString('hex')}`;
  const ident = (s: string) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`not a plain identifier: ${s}`);
    return `"${s}"`;
  };
  const times = opts.times ?? 1;
  const when =
    opts.column && opts.value !== undefined ? `when (new.${ident(opts.column)}::text = ${literal(opts.value)})` : '';
  await pool.query(`create sequence ${name}`);
  await pool.query(`
    create function ${name}() returns trigger language plpgsql as $fn$
    begin
      if nextval('${name}') <= ${times} then
        raise exception 'injected fault ${name} on ${opts.table}';
      end if;
      return new;
    end
    $fn$`);
  await pool.query(
    `create trigger ${name} before ${opts.op} on ${ident(opts.table)} for each row ${when} execute function ${name}()`,
  );
  let dropped = false;
  return {
    async fired() {
      const r = await pool.query<{ last_value: string; is_called: boolean }>(
        `select last_value, is_called from ${name}`,
      );
      const n = r.rows[0]!.is_called ? Number(r.rows[0]!.last_value) : 0;
      return Math.min(n, times);
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      await pool.query(`drop trigger if exists ${name} on ${ident(opts.table)}`);
      await pool.query(`drop function if exists ${name}()`);
      await pool.query(`drop sequence if exists ${name}`);
    },
  };
}

/**
 * Renames `table` away until the returned function puts it back: every statement reading it
 * fails meanwhile (`relation … does not exist`), as during an outage of that part of the
 * database. Keep the window short and event-bounded.
 */
export async function takeAway(pool: pg.Pool, table: string): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a plain identifier: ${table}`);
  const hidden = `${table}__taken_away`;
  await pool.query(`alter table "${table}" rename to "${hidden}"`);
  let back = false;
  return async () => {
    if (back) return;
    back = true;
    await pool.query(`alter table "${hidden}" rename to "${table}"`);
  };
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
