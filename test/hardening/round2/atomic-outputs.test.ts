/**
 * Issue 11, class 8: outputs are written atomically and a run's outputs stay
 * consistent. `effrank report -o` onto a full disk used to leave a truncated
 * HTML file in place of the old one; SIGINT during `effrank demo` left the
 * new run.jsonl beside the previous run's report.html and staircase.svg.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { writeFileAtomic, writeFilesAtomic } from '../../../src/core/atomic-file.js';
import { repoRoot, tsRegister } from '../workers/spawn.js';

const tmp = mkdtempSync(join(tmpdir(), 'effrank-atomic-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const codeOf = (f: () => unknown) => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
};
const canMount = process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0;

describe('atomic writes (issue 11, class 8)', () => {
  it('writeFileAtomic replaces a file whole and leaves no temporary behind', () => {
    const path = join(tmp, 'a', 'out.txt');
    writeFileAtomic(path, 'first');
    writeFileAtomic(path, new Uint8Array([115, 101, 99, 111, 110, 100]));
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(join(tmp, 'a'))).toEqual(['out.txt']);
  });

  it('a set of files is all replaced or none: a failing member (its parent is a file) leaves every old file and no temporary', () => {
    const dir = join(tmp, 'set');
    mkdirSync(dir);
    writeFileSync(join(dir, 'one.html'), 'old one');
    const code = codeOf(() => writeFilesAtomic([{ path: join(dir, 'one.html'), data: 'new one' }, { path: join(dir, 'one.html', 'two.png'), data: 'x' }]));
    expect(code).toBe('ERR_IO');
    expect(readFileSync(join(dir, 'one.html'), 'utf8')).toBe('old one');
    expect(readdirSync(dir)).toEqual(['one.html']);
  });

  it.skipIf(!canMount)('effrank report -o onto a full disk (64 KiB tmpfs): ERR_IO that says so, the old report intact', () => {
    const dir = join(tmp, 'full');
    mkdirSync(dir);
    const log = join(repoRoot, 'test/fixtures/run-small.jsonl');
    const child = join(repoRoot, 'test/hardening/round2/full-disk-child.ts');
    const r = spawnSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o size=64k none "$1" && exec "$2" --import "$3" "$4" "$1" "$5"`, 'sh', dir, process.execPath, tsRegister, child, log], { encoding: 'utf8', timeout: 60_000, cwd: repoRoot });
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { filled: number; error?: { code: string; message: string }; unchanged: boolean; files: string[] };
    expect(out.filled).toBeGreaterThan(0);
    expect(out.error?.code).toBe('ERR_IO');
    expect(out.error?.message).toMatch(/report\.html: ENOSPC \(no space left on the device\); any previous report\.html is unchanged/);
    expect(out.unchanged).toBe(true);
    expect(out.files).toEqual(['filler', 'report.html']);
  }, 90_000);

  it('SIGINT during effrank demo leaves one run: the new run.jsonl, not the previous report.html and staircase.svg', async () => {
    const cli = join(repoRoot, 'dist', 'cli.js');
    expect(existsSync(cli)).toBe(true); // npm test builds dist/ first
    const out = join(tmp, 'demo');
    mkdirSync(out);
    writeFileSync(join(out, 'report.html'), 'the previous run');
    writeFileSync(join(out, 'staircase.svg'), '<svg/>');
    writeFileSync(join(out, 'run.jsonl'), '{"previous": true}\n');
    const child = spawn(process.execPath, [cli, 'demo', '--quick', '--epochs', '3000', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    const killer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    // Interrupt once the new run has logged a few records.
    for (let t = 0; t < 900; t++) {
      await new Promise((r) => setTimeout(r, 100));
      const log = existsSync(join(out, 'run.jsonl')) ? readFileSync(join(out, 'run.jsonl'), 'utf8') : '';
      if (!log.includes('previous') && log.split('\n').length > 4) break;
    }
    child.kill('SIGINT');
    const end = await exited;
    clearTimeout(killer);
    expect(end.signal).toBe('SIGINT');
    const files = readdirSync(out).filter((f) => !f.startsWith('.'));
    expect(files).toEqual(['run.jsonl']);
    const first = JSON.parse(readFileSync(join(out, 'run.jsonl'), 'utf8').split('\n')[0]!) as { step: number };
    expect(first.step).toBe(0);
    expect(statSync(join(out, 'run.jsonl')).size).toBeGreaterThan(0);
  }, 120_000);
});
