import { closeSync, fdatasync, fstatSync, ftruncate, ftruncateSync, mkdirSync, openSync, read, readFileSync, write } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { DataDirInUseError, lockDataDir } from './data-dir-lock.js';

const writeAsync = promisify(write);
const readAsync = promisify(read);
const datasyncAsync = promisify(fdatasync);
const truncateAsync = promisify(ftruncate);

/** Bytes read per replay step: a long outage's journal is replayed a slice at a time. */
const READ_CHUNK_BYTES = 1 << 20;

/**
 * A durable, append-only journal of writes the database could not take (one JSON object per line,
 * fsync'd before `append` resolves). Appends made in one turn of the event loop share one write and
 * one fsync. `replay` hands the entries back in the order they were appended; once every entry has
 * been applied and nothing new arrived, the file is emptied. While it holds anything, `active` is
 * true and new writes must be appended behind it, so their order is kept.
 */
export class WriteJournal<Entry> {
  readonly file: string;
  readonly #fd: number;
  readonly #unlock: () => void;
  /** Bytes on disk, all of them complete lines. */
  #size: number;
  /** Bytes whose entries have been applied by `replay` (not yet emptied). */
  #replayedTo = 0;
  #queue: { line: string; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #flushQueued = false;
  #writing = false;
  /** File operations (flush, empty) run one after another. */
  #lane: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(
    dir: string,
    name: string,
    private readonly logger: Logger,
  ) {
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, name);
    try {
      this.#unlock = lockDataDir(`${this.file}.lock`);
    } catch (error) {
      if (error instanceof DataDirInUseError) throw new Error(`The journal ${this.file} is in use by process ${error.pid}`);
      throw error;
    }
    this.#fd = openSync(this.file, 'a+', 0o600);
    this.#size = fstatSync(this.#fd).size;
    if (this.#size > 0) {
      // A crash in the middle of an append leaves a partial last line; it was never acknowledged.
      const text = readFileSync(this.file);
      const complete = text.lastIndexOf(0x0a) + 1;
      if (complete < this.#size) {
        this.logger.warn({ file: this.file, dropped: this.#size - complete }, 'journal ended in a partial line; dropping it');
        ftruncateSync(this.#fd, complete);
        this.#size = complete;
      }
    }
  }

  /** True while entries wait in the file or on their way to it. */
  get active(): boolean {
    return this.#size > 0 || this.#queue.length > 0 || this.#writing;
  }

  append(entry: Entry): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`journal ${this.file} is closed`));
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ line: JSON.stringify(entry) + '\n', resolve, reject });
      if (!this.#flushQueued) {
        this.#flushQueued = true;
        this.#inLane(() => this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    this.#flushQueued = false;
    const batch = this.#queue.splice(0);
    if (batch.length === 0) return;
    this.#writing = true;
    try {
      const data = Buffer.from(batch.map((entry) => entry.line).join(''));
      let written = 0;
      while (written < data.length) written += (await writeAsync(this.#fd, data, written, data.length - written)).bytesWritten;
      await datasyncAsync(this.#fd);
      this.#size += data.length;
      for (const entry of batch) entry.resolve();
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    } finally {
      this.#writing = false;
    }
  }

  /**
   * Applies the entries not yet applied, oldest first, a slice at a time; when none is left and no
   * append is on its way, empties the file. Returns how many were applied. If `apply` throws, the
   * slice stays in the journal and is offered again next time (so `apply` must be idempotent: a
   * crash between applying and emptying also replays it).
   */
  async replay(apply: (entries: Entry[]) => Promise<void>): Promise<number> {
    let applied = 0;
    for (;;) {
      while (this.#replayedTo < this.#size) {
        const length = Math.min(READ_CHUNK_BYTES, this.#size - this.#replayedTo);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await readAsync(this.#fd, buffer, 0, length, this.#replayedTo);
        let end = buffer.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
        if (end === 0) {
          // One line longer than a chunk: read up to its end.
          end = (await this.#lineEnd(this.#replayedTo)) - this.#replayedTo;
        }
        const text = end <= bytesRead ? buffer.subarray(0, end).toString('utf8') : await this.#readText(this.#replayedTo, end);
        const entries: Entry[] = [];
        for (const line of text.split('\n')) {
          if (line === '') continue;
          try {
            entries.push(JSON.parse(line) as Entry);
          } catch {
            this.logger.error({ file: this.file, line }, 'journal line is not JSON; skipping it');
          }
        }
        await apply(entries);
        applied += entries.length;
        this.#replayedTo += end;
      }
      const emptied = await this.#inLane(async () => {
        if (this.#replayedTo < this.#size || this.#queue.length > 0) return false;
        await truncateAsync(this.#fd, 0);
        this.#size = 0;
        this.#replayedTo = 0;
        return true;
      });
      if (emptied) return applied;
    }
  }

  async #lineEnd(from: number): Promise<number> {
    const buffer = Buffer.alloc(READ_CHUNK_BYTES);
    for (let position = from; position < this.#size; position += READ_CHUNK_BYTES) {
      const { bytesRead } = await readAsync(this.#fd, buffer, 0, READ_CHUNK_BYTES, position);
      const index = buffer.subarray(0, bytesRead).indexOf(0x0a);
      if (index >= 0) return position + index + 1;
    }
    return this.#size;
  }

  async #readText(from: number, length: number): Promise<string> {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await readAsync(this.#fd, buffer, 0, length, from);
    return buffer.subarray(0, bytesRead).toString('utf8');
  }

  #inLane<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.#lane.then(operation, operation);
    this.#lane = next.catch(() => undefined);
    return next;
  }

  /** Waits for appends on their way, then closes the file; what it holds is replayed by the next process. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#inLane(async () => undefined);
    closeSync(this.#fd);
    this.#unlock();
  }
}
