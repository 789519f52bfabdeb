/**
 * .npz (written by numpy: np.savez and np.savez_compressed) and .safetensors
 * (written by test/helpers-io/safetensors-writer.ts from the published
 * format, with F16/BF16 bytes and their exact values from numpy): values
 * read back exactly, ε-ranks against numpy's eigvalsh, member selection and
 * its errors, malformed files (one line naming the file, exit 2), a 10 GB
 * sparse file of which only the small tensor is read, and non-regular files
 * (FIFO, /dev/zero) refused without blocking.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { epsRank } from '../src/index.js';
import { listNpz, listSafetensors, readFeatures } from '../src/io/index.js';
import type { Matrix } from '../src/core/matrix.js';
import { expectRejectCode } from './helpers/expect.js';
import { encodeSafetensors, f32, f64, writeSafetensors } from './helpers-io/safetensors-writer.js';

const PYTHON = '/usr/bin/python3';
const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'effrank-containers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

/** Python writes the archives and prints every array's values (exact: float32 → Python float is exact) and ε-ranks. */
const MAKE = `
import json, sys, numpy as np
d = sys.argv[1]
rng = np.random.default_rng(7)
def lowrank(N, n, r, dtype):
    a = rng.standard_normal((N, r)) @ rng.standard_normal((r, n)) * 0.3
    return a.astype(dtype)
single = lowrank(30, 5, 3, np.float32)
a = lowrank(20, 6, 4, np.float64)
b = lowrank(12, 3, 2, np.float32)
w = np.linspace(0, 1, 20)
f = np.asfortranarray(lowrank(25, 4, 4, np.float64))
h = (rng.standard_normal((16, 5))).astype(np.float16)
big = lowrank(3000, 40, 25, np.float64)
np.savez(d + '/single.npz', single)
np.savez(d + '/multi.npz', a=a, b=b, w=w)
np.savez_compressed(d + '/compressed.npz', a=a, f=f, h=h)
np.savez(d + '/big.npz', big=big)
# F16 and BF16 bytes for the safetensors tests, with their exact values.
x = rng.standard_normal((9, 4)).astype(np.float32) * 3
bf16 = (x.view(np.uint32) >> 16).astype(np.uint16)
bf16_values = (bf16.astype(np.uint32) << 16).view(np.float32)
def eps_ranks(m):
    g = m.astype(np.float64).T @ m.astype(np.float64)
    lam = np.linalg.eigvalsh(g)
    return [int((lam > e).sum()) for e in (1e-3, 1e-6)]
print(json.dumps({
  'single': single.tolist(), 'a': a.tolist(), 'b': b.tolist(), 'w': w.tolist(), 'f': f.tolist(), 'h': h.astype(np.float64).tolist(),
  'h_bytes': list(h.tobytes()), 'bf16_bytes': list(bf16.tobytes()), 'bf16_values': bf16_values.astype(np.float64).tolist(),
  'ranks': {k: eps_ranks(v) for k, v in {'single': single, 'a': a, 'big': big, 'f': f}.items()},
}))
`;
let ref: Record<string, number[][]> & { h_bytes: number[]; bf16_bytes: number[]; ranks: Record<string, number[]> };
const flat = (rows: number[][]) => rows.flat();

beforeAll(() => {
  writeFileSync(at('make.py'), MAKE);
  ref = JSON.parse(execFileSync(PYTHON, [at('make.py'), dir], { encoding: 'utf8', timeout: 60_000 }));
}, 60_000);

function matrixOf(features: unknown): Matrix {
  return features as Matrix;
}

function rank(args: string[]) {
  return spawnSync(process.execPath, [CLI, 'rank', ...args], { encoding: 'utf8', timeout: 30_000 });
}

describe('.npz from numpy', () => {
  it('reads the only array by default (np.savez positional: arr_0), float32 kept', async () => {
    const f = await readFeatures(at('single.npz'));
    expect(f).toMatchObject({ format: 'npz', member: 'arr_0', rows: 30, cols: 5, dtype: 'float32', storedDtype: '<f4', streamed: false });
    expect(Array.from(matrixOf(f.features).data)).toEqual(flat(ref.single!));
    expect(await listNpz(at('multi.npz'))).toEqual(['a', 'b', 'w']);
  });

  it('picks arrays by key, stored and deflated, C and Fortran order, float16', async () => {
    for (const [file, key, values, dtype] of [
      ['multi.npz', 'a', ref.a, 'float64'], ['multi.npz', 'b.npy', ref.b, 'float32'], ['compressed.npz', 'a', ref.a, 'float64'],
      ['compressed.npz', 'f', ref.f, 'float64'], ['compressed.npz', 'h', ref.h, 'float32'],
    ] as const) {
      const f = await readFeatures(at(file), { key });
      expect(f.member).toBe(key.replace('.npy', ''));
      expect(f.dtype).toBe(dtype);
      expect(Array.from(matrixOf(f.features).data), `${file} ${key}`).toEqual(flat(values as number[][]));
    }
    const w = await readFeatures(at('multi.npz'), { key: 'w' });
    expect([w.rows, w.cols]).toEqual([20, 1]);
  });

  it('without a key, several arrays are an error listing the keys; an unknown key too', async () => {
    const many = await expectRejectCode(() => readFeatures(at('multi.npz')), 'ERR_INVALID_ARGUMENT');
    expect(many.message).toBe(`${at('multi.npz')}: holds 3 arrays; pick one with --key NAME: a, b, w`);
    const missing = await expectRejectCode(() => readFeatures(at('multi.npz'), { key: 'c' }), 'ERR_INVALID_ARGUMENT');
    expect(missing.message).toBe(`${at('multi.npz')}: has no array 'c'; its keys are: a, b, w`);
  });

  it('ε-ranks equal numpy eigvalsh counts; a large stored member streams by offset and gives the same counts', async () => {
    for (const [file, key, name] of [['single.npz', undefined, 'single'], ['compressed.npz', 'f', 'f']] as const) {
      const f = await readFeatures(at(file), { key });
      expect(epsRank(f.features, { eps: [1e-3, 1e-6] })).toEqual(ref.ranks[name]);
    }
    const streamed = await readFeatures(at('big.npz'), { mode: 'stream', chunkBytes: 64 << 10 });
    expect(streamed.streamed).toBe(true);
    expect(streamed.chunks).toBeGreaterThan(10);
    expect(epsRank(streamed.features, { eps: [1e-3, 1e-6] })).toEqual(ref.ranks.big);
  });

  it('effrank rank FILE.npz --key NAME --json', () => {
    const r = rank([at('multi.npz'), '--key', 'a', '--json', '--eps', '1e-3', '--eps', '1e-6', '--method', 'eigen']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'npz', member: 'a', N: 20, n: 6, epsRank: ref.ranks.a });
    const table = rank([at('single.npz')]);
    expect(table.stdout).toMatch(/^array\s+arr_0$/m);
  });
});

describe('.safetensors from the published format', () => {
  const sf = (name: string) => at(`${name}.safetensors`);
  beforeAll(() => {
    writeSafetensors(sf('one'), { x: { dtype: 'F64', shape: [20, 6], bytes: f64(flat(ref.a!)) } }, { format: 'pt' });
    writeSafetensors(sf('mixed'), {
      bias: { dtype: 'F32', shape: [5], bytes: f32([1, 2, 3, 4, 5]) },
      weight: { dtype: 'F32', shape: [12, 3], bytes: f32(flat(ref.b!)) },
      conv: { dtype: 'F32', shape: [2, 2, 1], bytes: f32([1, 2, 3, 4]) },
      half: { dtype: 'F16', shape: [16, 5], bytes: Uint8Array.from(ref.h_bytes) },
      brain: { dtype: 'BF16', shape: [9, 4], bytes: Uint8Array.from(ref.bf16_bytes) },
      ints: { dtype: 'I32', shape: [2, 2], bytes: new Uint8Array(16) },
    });
  });

  it('reads the only 2-D tensor by default, F64 stays float64', async () => {
    const f = await readFeatures(sf('one'));
    expect(f).toMatchObject({ format: 'safetensors', member: 'x', rows: 20, cols: 6, dtype: 'float64', storedDtype: 'F64' });
    expect(Array.from(matrixOf(f.features).data)).toEqual(flat(ref.a!));
    expect(listSafetensors(sf('one')).metadata).toEqual({ format: 'pt' });
  });

  it('reads F32, F16 and BF16 tensors by name, exactly (BF16 widened to float32), and a named 1-D tensor as N×1', async () => {
    const weight = await readFeatures(sf('mixed'), { tensor: 'weight' });
    expect(weight.dtype).toBe('float32');
    expect(Array.from(matrixOf(weight.features).data)).toEqual(flat(ref.b!));
    const half = await readFeatures(sf('mixed'), { tensor: 'half' });
    expect(half.storedDtype).toBe('F16');
    expect(Array.from(matrixOf(half.features).data)).toEqual(flat(ref.h!));
    const brain = await readFeatures(sf('mixed'), { tensor: 'brain' });
    expect(brain).toMatchObject({ storedDtype: 'BF16', dtype: 'float32', rows: 9, cols: 4 });
    expect(Array.from(matrixOf(brain.features).data)).toEqual(flat(ref.bf16_values!));
    const streamed = await readFeatures(sf('mixed'), { tensor: 'brain', mode: 'stream', chunkBytes: 16 });
    expect(streamed.chunks).toBeGreaterThan(2);
    expect(epsRank(streamed.features, { eps: 1e-3 })).toBe(epsRank(brain.features, { eps: 1e-3, method: 'eigen' }));
    const bias = await readFeatures(sf('mixed'), { tensor: 'bias' });
    expect([bias.rows, bias.cols]).toEqual([5, 1]);
  });

  it('names the problem: several 2-D tensors, a missing name, 3-D, an unsupported dtype', async () => {
    const file = sf('mixed');
    const cases: Array<[string | undefined, string]> = [
      [undefined, `${file}: holds 4 2-D tensors; pick one with --tensor NAME: weight (F32 [12, 3]), half (F16 [16, 5]), brain (BF16 [9, 4]), ints (I32 [2, 2])`],
      ['nope', `${file}: has no tensor 'nope'; it holds: bias (F32 [5]), weight (F32 [12, 3]), conv (F32 [2, 2, 1]), half (F16 [16, 5]), brain (BF16 [9, 4]), ints (I32 [2, 2])`],
      ['conv', `${file}: tensor 'conv' is 3-d (2×2×1): reshape it to N×n (samples × neurons) first`],
      ['ints', `${file}: tensor 'ints' has dtype I32: only F16, BF16, F32 and F64 are read`],
    ];
    for (const [tensor, message] of cases) {
      const e = await expectRejectCode(() => readFeatures(file, { tensor }), 'ERR_INVALID_ARGUMENT');
      expect(e.message).toBe(message);
    }
  });

  it('round-trips random F32/F64 matrices (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.integer({ min: 0, max: 1e6 }), async (N, n, double, seed) => {
        const values = Array.from({ length: N * n }, (_, i) => Math.fround(Math.sin(seed + i) * 10 ** ((i % 7) - 3)));
        const path = sf(`prop-${seed}-${N}-${n}`);
        writeSafetensors(path, { m: { dtype: double ? 'F64' : 'F32', shape: [N, n], bytes: double ? f64(values) : f32(values) } });
        const f = await readFeatures(path);
        expect(Array.from(matrixOf(f.features).data)).toEqual(values);
      }),
      { numRuns: 30 },
    );
  });

  it('a 10 GB (sparse) file with a small tensor: only the header and that tensor are read', async () => {
    const path = sf('huge');
    const small = flat(ref.a!);
    const hugeBytes = 10 * 2 ** 30;
    // Header by hand: the small tensor first, then a 10 GB one the file holds as a hole.
    const header = JSON.stringify({
      small: { dtype: 'F64', shape: [20, 6], data_offsets: [0, 8 * small.length] },
      huge: { dtype: 'F32', shape: [hugeBytes / 4 / 1024, 1024], data_offsets: [8 * small.length, 8 * small.length + hugeBytes] },
    });
    const head = new TextEncoder().encode(header);
    const prefix = new Uint8Array(8 + head.length + 8 * small.length);
    new DataView(prefix.buffer).setBigUint64(0, BigInt(head.length), true);
    prefix.set(head, 8);
    prefix.set(f64(small), 8 + head.length);
    writeFileSync(path, prefix);
    truncateSync(path, prefix.length + hugeBytes);
    const readBytes = () => Number(/rchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
    const before = readBytes();
    const f = await readFeatures(path, { tensor: 'small' });
    const read = readBytes() - before;
    expect(f.streamed).toBe(false);
    expect(Array.from(matrixOf(f.features).data)).toEqual(small);
    expect(read).toBeLessThan(1 << 20); // the file is 10 GiB
  });
});

describe('malformed containers: one line naming the file and the problem, exit code 2', () => {
  const cases: Array<[string, () => Uint8Array, RegExp]> = [
    ['empty.safetensors', () => new Uint8Array(0), /empty\.safetensors: is not a safetensors file \(0 bytes/],
    ['long-header.safetensors', () => { const b = new Uint8Array(16); new DataView(b.buffer).setBigUint64(0, 1n << 40n, true); return b; }, /header length 1099511627776 exceeds/],
    ['short.safetensors', () => encodeSafetensors({ x: { dtype: 'F32', shape: [2, 2], bytes: f32([1, 2, 3, 4]) } }).subarray(0, 30), /truncated inside the safetensors header|data ends at byte 16/],
    ['json.safetensors', () => { const b = encodeSafetensors({ x: { dtype: 'F32', shape: [1, 1], bytes: f32([1]) } }); b[9] = 0x7b; b[10] = 0x7b; return b; }, /not valid UTF-8 JSON/],
    ['offsets.safetensors', () => encodeSafetensors({ x: { dtype: 'F32', shape: [3, 2], bytes: f32([1, 2, 3, 4]) } }), /F32 shape \[3, 2\] needs 24 bytes, data_offsets span 16/],
    ['dtype.safetensors', () => encodeSafetensors({ x: { dtype: 'F128', shape: [1, 1], bytes: new Uint8Array(16) } }), /tensor 'x': unknown dtype "F128"/],
    ['notzip.npz', () => new TextEncoder().encode('this is not a zip archive at all'), /notzip\.npz: is not a readable \.npz \(zip\) archive/],
  ];
  for (const [name, bytes, problem] of cases) {
    it(name, () => {
      writeFileSync(at(name), bytes());
      const r = rank([at(name)]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^effrank: ERR_INVALID_ARGUMENT: /);
      expect(lines[0]).toContain(at(name));
      expect(lines[0]).toMatch(problem);
    });
  }

  it('a .npz whose deflated member is corrupt, or whose member is not a .npy', () => {
    const good = readFileSync(at('compressed.npz'));
    const bad = Buffer.from(good);
    // Flip bytes inside the first member's deflated data (after its 30-byte local header and name).
    for (let i = 60; i < 70; i++) bad[i]! ^= 0xff;
    writeFileSync(at('corrupt.npz'), bad);
    const r = rank([at('corrupt.npz'), '--key', 'a']);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${at('corrupt.npz')}`);
    execFileSync(PYTHON, ['-c', `import zipfile; z = zipfile.ZipFile('${at('text.npz')}', 'w'); z.writestr('notes.npy', 'hello'); z.close()`]);
    const t = rank([at('text.npz')]);
    expect(t.status).toBe(2);
    expect(t.stderr.trimEnd()).toMatch(/^effrank: ERR_INVALID_ARGUMENT: .*text\.npz\[notes\]: not a \.npy file \(bad magic/);
  });
});

describe('non-regular files are refused, never read', () => {
  const fifo = at('pipe.npz');
  const hasFifo = spawnSync('mkfifo', [fifo]).status === 0;
  it.skipIf(!hasFifo)('a FIFO named .npz or .safetensors: an error at once, no hang (child process, timeout)', () => {
    for (const format of ['npz', 'safetensors']) {
      const r = spawnSync(process.execPath, [CLI, 'rank', fifo, '--format', format], { encoding: 'utf8', timeout: 20_000 });
      expect(r.signal).toBeNull();
      expect(r.status).toBe(2);
      expect(r.stderr.trimEnd()).toBe(`effrank: ERR_INVALID_ARGUMENT: ${fifo}: is not a regular file (a FIFO)`);
    }
  });

  it.skipIf(!existsSync('/dev/zero'))('/dev/zero as .safetensors or .npz', async () => {
    for (const format of ['safetensors', 'npz'] as const) {
      const e = await expectRejectCode(() => readFeatures('/dev/zero', { format }), 'ERR_INVALID_ARGUMENT');
      expect(e.message).toMatch(/^\/dev\/zero: is not a regular file/);
    }
  });
});

describe('corrupted containers never crash: a result or an EffrankError (property)', () => {
  // Hundreds of files written and read: 0.4 s on a quiet machine, past vitest's 5 s default under a loaded one.
  const FUZZ_BUDGET_MS = 60_000;

  async function outcome(path: string, o: Parameters<typeof readFeatures>[1] = {}): Promise<string> {
    try {
      const f = await readFeatures(path, o);
      return `ok ${f.rows}×${f.cols}`;
    } catch (e) {
      expect((e as { name?: string }).name, String(e)).toBe('EffrankError');
      expect((e as Error).message.startsWith(path), (e as Error).message).toBe(true);
      return 'error';
    }
  }

  it('.safetensors with random bytes overwritten or cut', async () => {
    const good = encodeSafetensors({ a: { dtype: 'F32', shape: [4, 3], bytes: f32(Array.from({ length: 12 }, (_, i) => i)) }, b: { dtype: 'BF16', shape: [2], bytes: new Uint8Array(4) } });
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat({ max: good.length }), async (edits, cut) => {
        const bytes = good.slice(0, Math.max(cut, 1));
        for (const [i, v] of edits) if (i < bytes.length) bytes[i] = v;
        const path = at(`fuzz-${k++}.safetensors`);
        writeFileSync(path, bytes);
        expect(await outcome(path, { tensor: 'a' })).toMatch(/^(ok 4×3|error)$/);
      }),
      { numRuns: 150 },
    );
  }, FUZZ_BUDGET_MS);

  it('.npz (stored and deflated) with random bytes overwritten', async () => {
    let k = 0;
    for (const file of ['multi.npz', 'compressed.npz']) {
      const good = readFileSync(at(file));
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), async (edits) => {
          const bytes = Buffer.from(good);
          for (const [i, v] of edits) bytes[i] = v;
          const path = at(`fuzz-${k++}.npz`);
          writeFileSync(path, bytes);
          expect(await outcome(path, { key: 'a' })).toMatch(/^(ok 20×6|error)$/);
        }),
        { numRuns: 100 },
      );
    }
  }, FUZZ_BUDGET_MS);
});
