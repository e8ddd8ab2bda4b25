import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const workAssignments: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table work_assignments (
        queue text not null,
        item_id text not null,
        assignee_id uuid not null references staff_accounts (id),
        assignee_name text not null,
        assigned_at timestamptz not null,
        assigned_by uuid not null references staff_accounts (id),
        primary key (queue, item_id)
      )`.execute(db);
    await sql`create index work_assignments_assignee on work_assignments (queue, assignee_id)`.execute(db);
  },
};
