/**
 * Issue 11, class 5: the file readers refuse what is not a regular file and
 * bound line lengths. A FIFO used to block forever in openSync, and
 * /dev/zero named as a .csv was read as one endless line (4.2 GB after
 * 400 s). Every reader runs in a child process with a timeout.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { lastJson, runChild } from '../workers/spawn.js';

describe('special files (issue 11, class 5)', () => {
  it('FIFOs, /dev/zero and a file with no line break: ERR_INVALID_ARGUMENT naming the file, promptly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'effrank-special-'));
    try {
      const path = (name: string) => join(dir, name);
      for (const name of ['f.csv', 'f.npy', 'f.f64', 'f.jsonl']) execFileSync('mkfifo', [path(name)]);
      symlinkSync('/dev/zero', path('zero.csv'));
      symlinkSync('/dev/zero', path('zero.npy'));
      writeFileSync(path('long.csv'), '1,'.repeat(33 * 2 ** 20)); // 66 Mi characters, no '\n'
      const r = await runChild('test/hardening/round2/special-files-child.ts', ['f.csv', 'f.npy', 'f.f64', 'f.jsonl', 'zero.csv', 'zero.npy', 'long.csv'].map(path), { timeoutMs: 90_000 });
      expect(r.signal, `killed after ${r.ms} ms: a reader blocked`).toBeNull();
      const out = lastJson<Record<string, { code?: string; message?: string }>>(r);
      for (const key of ['delimitedFifo', 'npyFifo', 'rawFifo', 'featuresFifo', 'weightsFifo', 'logFifo']) {
        expect(out[key]!.code, key).toBe('ERR_INVALID_ARGUMENT');
        expect(out[key]!.message, key).toMatch(/is not a regular file \(a FIFO\)/);
        expect(out[key]!.message, key).toContain(dir);
      }
      for (const key of ['delimitedZero', 'featuresZero', 'npyZero']) {
        expect(out[key]!.code, key).toBe('ERR_INVALID_ARGUMENT');
        expect(out[key]!.message, key).toMatch(/is not a regular file \(a character device\)/);
      }
      expect(out.longLine!.code).toBe('ERR_INVALID_ARGUMENT');
      expect(out.longLine!.message).toMatch(/long\.csv: has a line longer than 64 Mi characters/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
