/**
 * A RankTracker's JSON Lines log. Each record is one line, written whole or
 * not at all: a failed write (ENOSPC, EIO, …) is cut back to the last full
 * line and logging stops, so the file is always a prefix of the records, one
 * parseable line each. One live log per path in this process: a second
 * tracker on a path already being written is refused with ERR_LOG_IN_USE.
 */
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { EffrankError } from '../core/errors.js';
import { ioError } from '../core/io-error.js';

const open = new Set<string>();
const finalizer = new FinalizationRegistry<{ fd: number; path: string }>(({ fd, path }) => {
  open.delete(path);
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

export class JsonlLog {
  readonly path: string;
  /** Records written whole. */
  written = 0;
  /** The error that stopped logging, if one did. */
  failure: EffrankError | null = null;
  #fd: number | null;
  /** Bytes of whole lines in the file: where the next line starts, and where a failed one is cut back to. */
  #size: number;
  /** The resolved path, the key of the one-live-log-per-path registry. */
  readonly #key: string;
  readonly #token = {};

  constructor(path: string, append: boolean) {
    const key = resolve(path);
    if (open.has(key)) {
      throw new EffrankError('ERR_LOG_IN_USE', `${path} is already being written by another RankTracker; close() that one first, or log to another path`);
    }
    this.path = path;
    try {
      mkdirSync(dirname(key), { recursive: true });
    } catch (e) {
      throw ioError(path, 'create the folder of the log', e);
    }
    try {
      this.#fd = openSync(key, append ? 'a+' : 'w');
      this.#size = append ? dropCutOffTail(this.#fd) : 0;
    } catch (e) {
      throw ioError(path, append ? 'open for appending the log' : 'create the log', e);
    }
    open.add(key);
    finalizer.register(this, { fd: this.#fd, path: key }, this.#token);
    this.#key = key;
  }

  /** Writes one line; false (and `failure` set) if logging has stopped. Never throws. */
  write(record: unknown): boolean {
    if (this.#fd === null || this.failure) return false;
    const bytes = Buffer.from(`${JSON.stringify(record)}\n`);
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(this.#fd, bytes, done, bytes.length - done, this.#size + done);
    } catch (e) {
      this.failure = ioError(this.path, `write record ${this.written + 1} to`, e);
      try {
        ftruncateSync(this.#fd, this.#size); // never leave a cut-off line
      } catch {
        // The partial line cannot be removed either; the reader skips a cut-off last line.
      }
      return false;
    }
    this.#size += bytes.length;
    this.written++;
    return true;
  }

  /** Closes the file and frees the path for another tracker. Idempotent. */
  close(): void {
    if (this.#fd === null) return;
    finalizer.unregister(this.#token);
    open.delete(this.#key);
    try {
      closeSync(this.#fd);
    } finally {
      this.#fd = null;
    }
  }
}

/**
 * Before appending: a last line without its newline is what a killed run
 * leaves behind; it is cut off so the next record starts a line of its own.
 * Returns the size the file keeps.
 */
function dropCutOffTail(fd: number): number {
  const size = fstatSync(fd).size;
  if (size === 0) return 0;
  const buf = Buffer.alloc(Math.min(size, 1 << 16));
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - buf.length);
    const got = readSync(fd, buf, 0, end - start, start);
    const nl = buf.subarray(0, got).lastIndexOf(0x0a);
    if (nl >= 0) {
      const keep = start + nl + 1;
      if (keep < size) ftruncateSync(fd, keep);
      return keep;
    }
    end = start;
  }
  ftruncateSync(fd, 0);
  return 0;
}
