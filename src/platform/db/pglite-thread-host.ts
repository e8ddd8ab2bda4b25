/**
 * The embedded database's own thread (see pglite-thread.ts): it opens PGlite and runs what the
 * service's thread sends, one message at a time as PGlite itself takes them (a query outside a
 * transaction waits for an open one to end, as it would on the service's thread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { INT8_OID, NUMERIC_OID, parseInt8, parseNumeric } from './type-parsers.js';
import { serializeError, type HostReply, type HostRequest, type OpenRequest } from './pglite-thread-protocol.js';

interface OpenTransaction {
  tx: Transaction;
  /** Settles the callback PGlite runs the transaction in: resolve commits, reject rolls back. */
  finish: { commit: () => void; rollBack: (reason: Error) => void };
  ended: Promise<void>;
}

class RolledBack extends Error {}

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('pglite-thread-host runs as a worker thread');
  const reply = (message: HostReply) => port.postMessage(message);
  const { dataDir } = workerData as OpenRequest;

  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir ?? undefined, { parsers: { [INT8_OID]: parseInt8, [NUMERIC_OID]: parseNumeric } });
  } catch (error) {
    reply({ kind: 'open-failed', error: serializeError(error) });
    return;
  }
  const transactions = new Map<number, OpenTransaction>();

  const begin = (id: number, transaction: number) => {
    let began = false;
    let finish!: OpenTransaction['finish'];
    const ended = pglite
      .transaction(async (tx) => {
        await new Promise<void>((commit, rollBack) => {
          finish = { commit, rollBack };
          transactions.set(transaction, { tx, finish, ended });
          began = true;
          reply({ kind: 'done', id, outcome: null });
        });
      })
      .then(
        () => undefined,
        (error: unknown) => {
          // Failing to begin is the begin's own failure; failing to end is the end's (answered there).
          if (!began) reply({ kind: 'failed', id, error: serializeError(error) });
          else if (!(error instanceof RolledBack)) throw error;
        },
      );
  };

  const end = async (id: number, transaction: number, commit: boolean) => {
    const open = transactions.get(transaction);
    if (!open) {
      reply({ kind: 'failed', id, error: serializeError(new Error(`transaction ${transaction} is not open`)) });
      return;
    }
    transactions.delete(transaction);
    if (commit) open.finish.commit();
    else open.finish.rollBack(new RolledBack('rolled back'));
    try {
      await open.ended;
      reply({ kind: 'done', id, outcome: null });
    } catch (error) {
      reply({ kind: 'failed', id, error: serializeError(error) });
    }
  };

  const query = async (id: number, sql: string, params: unknown[], transaction: number | null) => {
    try {
      const target = transaction === null ? pglite : transactions.get(transaction)?.tx;
      if (!target) throw new Error(`transaction ${transaction} is not open`);
      const { rows, affectedRows } = await target.query(sql, params, { rowMode: 'object' });
      reply({ kind: 'done', id, outcome: { rows, affectedRows } });
    } catch (error) {
      reply({ kind: 'failed', id, error: serializeError(error) });
    }
  };

  port.on('message', (request: HostRequest) => {
    switch (request.kind) {
      case 'query':
        void query(request.id, request.sql, request.params, request.transaction);
        break;
      case 'begin':
        begin(request.id, request.transaction);
        break;
      case 'end':
        void end(request.id, request.transaction, request.commit);
        break;
      case 'close':
        void pglite.close().then(
          () => reply({ kind: 'done', id: request.id, outcome: null }),
          (error: unknown) => reply({ kind: 'failed', id: request.id, error: serializeError(error) }),
        );
        break;
    }
  });
  reply({ kind: 'opened' });
}

void serve();
