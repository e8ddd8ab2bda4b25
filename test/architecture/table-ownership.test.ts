import { readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { files, moduleOf, tableOwners, tableReferences } from '../support/table-references.js';

const srcRoot = resolve(import.meta.dirname, '../../src');

/**
 * Each module owns its tables (STYLE.md): only the owner queries them; another module calls the
 * owner's published function. Read from the code with the TypeScript parser: every Kysely builder
 * call with a literal table (selectFrom, insertInto, updateTable, deleteFrom, the joins) and every
 * table named after FROM, JOIN, INTO, UPDATE or TABLE in a `sql` template. This reaches raw SQL,
 * which a database handle typed to the module's tables would not. Migrations are the owner's DDL
 * (a foreign key may name another module's table).
 */
describe('tables', () => {
  const owners = tableOwners(srcRoot);

  it('are each owned by one module, read from its tables.ts', () => {
    expect(owners.get('call_records')).toBe('calls');
    expect(owners.get('billing_accounts')).toBe('billing');
    expect(owners.get('charging_reservations')).toBe('charging');
    expect(owners.get('outbox_events')).toBe('platform/events');
    expect(owners.size).toBeGreaterThan(50);
  });

  it('are queried only by the module that owns them', () => {
    const trespasses: string[] = [];
    for (const file of files(srcRoot)) {
      if (file.includes(`${sep}migrations${sep}`)) continue;
      const module = moduleOf(srcRoot, file);
      for (const reference of tableReferences(file, readFileSync(file, 'utf8'))) {
        const owner = owners.get(reference.table);
        if (owner && owner !== module)
          trespasses.push(`${file.slice(srcRoot.length + 1)}:${reference.line} (${module}) queries ${reference.table} of ${owner}`);
      }
    }
    expect(trespasses).toEqual([]);
  });

  it('would be caught: a query of another module’s table, built or raw, is found', () => {
    const refs = tableReferences(
      'x.ts',
      "db.selectFrom('call_records as c').selectAll(); db.innerJoin('bills', 'a', 'b'); sql`select 1 from ledger_entries l join payments p on true`;",
    );
    expect(refs.map((r) => r.table)).toEqual(['call_records', 'bills', 'ledger_entries', 'payments']);
  });
});
