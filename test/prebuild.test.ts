/**
 * The shipped package: prebuildify (driving cmake-js) makes a prebuild that
 * carries its own OpenBLAS; `npm pack` ships it; a consumer installs the
 * tarball with --ignore-scripts and loads it with PREBUILDS_ONLY=1 while the
 * system's OpenBLAS and libgfortran are hidden in a private mount namespace.
 *
 * Runs in a scratch copy of the sources so the build/ of the other tests is
 * never touched. Hiding the system libraries needs root (unshare -m), as CI
 * has; without root the same checks run with the system libraries visible
 * (the $ORIGIN rpath must still pick the bundled ones).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'effrank-prebuild-'));
const isRoot = process.getuid?.() === 0;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('prebuild', () => {
  it(
    'packs a prebuild that loads without any system BLAS',
    () => {
      const src = join(scratch, 'src-copy');
      const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root).split('\0').filter(Boolean);
      for (const f of files) {
        if (existsSync(join(root, f))) cpSync(join(root, f), join(src, f), { recursive: true });
      }
      symlinkSync(join(root, 'node_modules'), join(src, 'node_modules'));

      run('npm', ['run', 'prebuild'], src);
      const shipped = readdirSync(join(src, 'prebuilds', `${process.platform}-${process.arch}`)).sort();
      expect(shipped).toContain('effrank.node');
      expect(shipped).toContain('libopenblas.so.0');
      expect(shipped).toContain('libgfortran.so.5');

      run('npm', ['run', 'build:ts'], src);
      const tarball = run('npm', ['pack', '--silent'], src).trim().split('\n').pop()!;
      const consumer = join(scratch, 'consumer');
      cpSync(join(src, tarball), join(consumer, tarball));
      writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
      run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`], consumer);
      // --ignore-scripts: nothing was built; only the prebuild can load.
      expect(existsSync(join(consumer, 'node_modules', 'effrank', 'build'))).toBe(false);

      const probe = [
        "const e = require('effrank');",
        "const s = e.svdvals({ data: new Float64Array([3, 0, 0, 4]), rows: 2, cols: 2 });",
        "const libs = require('fs').readFileSync('/proc/self/maps', 'utf8').split('\\n')",
        "  .filter((l) => /libopenblas|libgfortran/.test(l)).map((l) => l.trim().split(/\\s+/).pop());",
        "console.log(JSON.stringify({ s: Array.from(s), libs: [...new Set(libs)] }));",
      ].join('\n');
      writeFileSync(join(consumer, 'probe.cjs'), probe);
      const hide = [
        'mount -t tmpfs none /usr/lib/x86_64-linux-gnu/openblas-pthread',
        'for f in /usr/lib/x86_64-linux-gnu/libgfortran.so.5* /usr/lib/x86_64-linux-gnu/libquadmath.so.0*; do [ -f "$f" ] && [ ! -L "$f" ] && mount --bind /dev/null "$f"; done',
        'PREBUILDS_ONLY=1 node probe.cjs',
      ].join(' && ');
      if (!isRoot) console.warn('prebuild test: not root, so the system BLAS stays visible (CI runs this as root)');
      const out = isRoot
        ? spawnSync('unshare', ['-m', 'sh', '-c', hide], { cwd: consumer, encoding: 'utf8' })
        : spawnSync('node', ['probe.cjs'], { cwd: consumer, encoding: 'utf8', env: { ...process.env, PREBUILDS_ONLY: '1' } });
      expect(out.stderr).toBe('');
      expect(out.status).toBe(0);
      const result = JSON.parse(out.stdout) as { s: number[]; libs: string[] };
      expect(result.s).toEqual([4, 3]);
      expect(result.libs.length).toBeGreaterThanOrEqual(2);
      for (const lib of result.libs) expect(lib).toContain(join('node_modules', 'effrank', 'prebuilds'));
    },
    600_000,
  );
});
