import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/index.js';
import { fail, ok, type Result } from '../platform/result.js';

export interface Contact {
  id: string;
  name: string;
  number: string;
  favourite: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const columns = ['id', 'name', 'number', 'favourite', 'created_at', 'updated_at'] as const;

function toContact(row: { id: string; name: string; number: string; favourite: boolean; created_at: Date; updated_at: Date }): Contact {
  return { id: row.id, name: row.name, number: row.number, favourite: row.favourite, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** Both engines report a unique violation as SQLSTATE 23505 on the error object. */
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

const duplicate = (number: string | undefined) =>
  fail<Contact>('conflict', 'conflict', `${number ?? 'This number'} is already in your contacts`, {
    fields: [{ field: 'body.number', message: 'is already in your contacts' }],
  });
const notFound = (id: string) => fail<Contact>('not_found', 'not-found', `No contact ${id}`);

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Favourites first, then by name: the order the softphone shows them in. */
export async function listContacts(db: Kysely<Database>, subscriberId: string): Promise<Contact[]> {
  const rows = await db
    .selectFrom('contacts')
    .select(columns)
    .where('subscriber_id', '=', subscriberId)
    .orderBy('favourite', 'desc')
    .orderBy('name')
    .orderBy('number')
    .execute();
  return rows.map(toContact);
}

export async function addContact(
  db: Kysely<Database>,
  subscriberId: string,
  input: { name: string; number: string; favourite: boolean },
  now: Date,
): Promise<Result<Contact>> {
  const row = await db
    .insertInto('contacts')
    .values({ subscriber_id: subscriberId, ...input, created_at: now, updated_at: now })
    .onConflict((conflict) => conflict.columns(['subscriber_id', 'number']).doNothing())
    .returning(columns)
    .executeTakeFirst();
  return row ? ok(toContact(row)) : duplicate(input.number);
}

export async function updateContact(
  db: Kysely<Database>,
  subscriberId: string,
  id: string,
  patch: { name?: string; number?: string; favourite?: boolean },
  now: Date,
): Promise<Result<Contact>> {
  // Another subscriber's id (or no such id) is the same 404: ids are not a way to learn who has whom.
  if (!uuidPattern.test(id)) return notFound(id);
  try {
    const row = await db
      .updateTable('contacts')
      .set({ ...patch, updated_at: now })
      .where('id', '=', id)
      .where('subscriber_id', '=', subscriberId)
      .returning(columns)
      .executeTakeFirst();
    return row ? ok(toContact(row)) : notFound(id);
  } catch (error) {
    if (isUniqueViolation(error)) return duplicate(patch.number);
    throw error;
  }
}

export async function deleteContact(db: Kysely<Database>, subscriberId: string, id: string): Promise<boolean> {
  if (!uuidPattern.test(id)) return false;
  const result = await db.deleteFrom('contacts').where('id', '=', id).where('subscriber_id', '=', subscriberId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
