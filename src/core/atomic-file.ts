/**
 * Writing output files so that a reader never sees half of one: each file is
 * written to a temporary file beside it (same directory, so the same file
 * system), flushed to disk, and renamed over the target, which POSIX makes
 * atomic. On any failure (a full disk, a missing permission) the temporaries
 * are removed and the targets are untouched: the previous version stays.
 *
 * A set of files that belong together (a report and its PNGs) is written
 * all-temporaries-first: nothing is renamed until every file is complete,
 * so a failure leaves the whole previous set. The renames themselves take
 * microseconds; a process killed (SIGKILL) between two of them, or while
 * writing, may leave a `.name.<pid>-<n>.tmp` file behind, never a truncated
 * target.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import type { EffrankError } from './errors.js';
import { ioError } from './io-error.js';

export interface OutputFile {
  path: string;
  data: string | Uint8Array;
}

let counter = 0;

/** Writes one file atomically (see the module comment). Errors are EffrankError ERR_IO naming the file. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  writeFilesAtomic([{ path, data }]);
}

/** Writes several files so that either all are replaced or none is. */
export function writeFilesAtomic(files: readonly OutputFile[]): void {
  const temps: { temp: string; path: string }[] = [];
  try {
    for (const f of files) {
      mkdirSync(dirname(f.path), { recursive: true });
      const temp = join(dirname(f.path), `.${basename(f.path)}.${process.pid}-${counter++}.tmp`);
      temps.push({ temp, path: f.path });
      writeDurably(temp, f.data);
    }
  } catch (e) {
    for (const t of temps) rmSync(t.temp, { force: true });
    throw writeError(temps[temps.length - 1]?.path ?? files[0]?.path ?? '<none>', e);
  }
  for (let i = 0; i < temps.length; i++) {
    const { temp, path } = temps[i]!;
    try {
      renameSync(temp, path);
    } catch (e) {
      for (const t of temps.slice(i)) rmSync(t.temp, { force: true });
      throw writeError(path, e);
    }
  }
}

/** Creates `temp` (never an existing file), writes all of `data` and fsyncs it. */
function writeDurably(temp: string, data: string | Uint8Array): void {
  const fd = openSync(temp, 'wx');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let done = 0;
    while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw e;
  }
  closeSync(fd);
}

/** ERR_IO for a failed write of `path`, saying that what was there is intact. */
function writeError(path: string, e: unknown): EffrankError {
  return ioError(path, 'write', e, `; any previous ${basename(path)} is unchanged`);
}
