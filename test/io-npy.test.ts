/**
 * Binary readers: .npy files written by numpy itself (float16/32/64, ints,
 * bool, C and Fortran order, both byte orders, format versions 1.0/2.0/3.0,
 * 1-D arrays) and raw .f32/.f64, read back value for value against the
 * matrices recorded by test/fixtures/make_fixtures.py; malformed files;
 * fuzzed bytes; and readFeatures streaming the same files through a
 * GramAccumulator in many small chunks.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EffrankError, GramAccumulator, gram } from '../src/index.js';
import { parseNpyHeader, readFeatures, readNpy, readRaw, readWeights } from '../src/io/index.js';
import { expectCode } from './helpers/expect.js';

const DIR = fileURLToPath(new URL('./fixtures/io/', import.meta.url));
const fixture = (name: string) => DIR + name;

interface Case {
  file: string;
  matrix: string;
  dtype: 'float32' | 'float64';
  stored: string;
  fortranOrder: boolean;
  N: number;
  n: number;
  version?: string;
  shape?: number[];
}
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')) as {
  N: number;
  n: number;
  weights: number[];
  matrices: Record<string, number[]>;
  cases: Record<string, Case>;
};
const npyCases = Object.entries(expected.cases).filter(([, c]) => c.file.endsWith('.npy') && !('weights' in c));
const rawCases = Object.entries(expected.cases).filter(([, c]) => /\.f(32|64)$/.test(c.file));

function expectSameValues(actual: ArrayLike<number>, want: number[]): void {
  expect(actual.length).toBe(want.length);
  let mismatches = 0;
  for (let i = 0; i < want.length; i++) if (actual[i] !== want[i]) mismatches++;
  expect(mismatches, 'elements differing from the numpy fixture').toBe(0);
}

describe('readNpy: files written by numpy', () => {
  it('covers the formats the fixtures promise', () => {
    const stored = new Set(npyCases.map(([, c]) => `${c.stored}${c.fortranOrder ? ' F' : ''}`));
    for (const s of ['<f8', '<f8 F', '<f4', '<f4 F', '>f8', '>f4 F', '<i4', '>i2', '<i8', '|b1', '<f2']) expect(stored).toContain(s);
    expect(npyCases.map(([, c]) => c.version)).toEqual(expect.arrayContaining(['2.0', '3.0']));
  });

  for (const [name, c] of npyCases) {
    it(`${name}: ${c.stored}${c.fortranOrder ? ', Fortran order' : ''} → ${c.dtype} ${c.N}×${c.n}, every value exact`, () => {
      const a = readNpy(fixture(c.file));
      expect([a.rows, a.cols, a.dtype]).toEqual([c.N, c.n, c.dtype]);
      expect(a.data).toBeInstanceOf(c.dtype === 'float32' ? Float32Array : Float64Array);
      expect(a.header.descr).toBe(c.stored);
      expect(a.header.fortranOrder).toBe(c.fortranOrder);
      expect(a.header.version).toBe(c.version ?? '1.0');
      expect(a.header.shape).toEqual(c.shape ?? [c.N, c.n]);
      expectSameValues(a.data, expected.matrices[c.matrix]!);
      // The same bytes from memory (and at an odd byte offset: unaligned input is copied, not misread).
      const bytes = readFileSync(fixture(c.file));
      const shifted = new Uint8Array(bytes.length + 1);
      shifted.set(bytes, 1);
      expectSameValues(readNpy(shifted.subarray(1), 'mem.npy').data, expected.matrices[c.matrix]!);
    });
  }

  it('parseNpyHeader reads the dict and the data offset; numpy pads the data to 64 bytes', () => {
    const bytes = readFileSync(fixture('f32_f_v3.npy'));
    const h = parseNpyHeader(bytes, 'x.npy');
    expect(h).toMatchObject({ version: '3.0', descr: '<f4', fortranOrder: true, shape: [40, 6], rows: 40, cols: 6 });
    expect(h.dataOffset % 64).toBe(0);
    expect(bytes.length - h.dataOffset).toBe(40 * 6 * 4);
    // Only the header is needed.
    expect(parseNpyHeader(bytes.subarray(0, h.dataOffset)).shape).toEqual([40, 6]);
  });

  it('parses the Python literal forms numpy and Python 2 wrote', () => {
    const make = (dict: string) => {
      const h = new TextEncoder().encode(dict);
      return Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 255, h.length >> 8, ...h]);
    };
    expect(parseNpyHeader(make(`{"descr": "<f8", "fortran_order": False, "shape": (3L, 2L)}`)).shape).toEqual([3, 2]);
    expect(parseNpyHeader(make(`{u'shape': (5,), u'fortran_order': True, u'descr': u'>f4',}\n`))).toMatchObject({ rows: 5, cols: 1, fortranOrder: true });
    expect(parseNpyHeader(make(`{ 'descr' : '=f8' , 'fortran_order' : False , 'shape' : ( 7 , 1 , ) }`)).shape).toEqual([7, 1]);
    expectCode(() => parseNpyHeader(make(`{'descr': '<f8', 'fortran_order': False, 'shape': (3)}`)), 'ERR_INVALID_ARGUMENT'); // (3) is 3, not a tuple
    expectCode(() => parseNpyHeader(make(`{'descr': '<f8', 'fortran_order': False, 'shape': (3, -2)}`)), 'ERR_INVALID_ARGUMENT');
    expectCode(() => parseNpyHeader(make(`{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'extra': 1}`)), 'ERR_INVALID_ARGUMENT');
    expectCode(() => parseNpyHeader(make(`${'('.repeat(5000)}`)), 'ERR_INVALID_ARGUMENT');
  });
});

describe('readRaw: .f32/.f64 written by ndarray.tofile', () => {
  for (const [name, c] of rawCases) {
    it(`${name}: ${c.N}×${c.n} ${c.dtype}, every value exact; N = -1 inferred`, () => {
      const a = readRaw(fixture(c.file), { dtype: c.dtype, shape: [c.N, c.n] });
      expect([a.rows, a.cols, a.dtype]).toEqual([c.N, c.n, c.dtype]);
      expectSameValues(a.data, expected.matrices[c.matrix]!);
      const inferred = readRaw(readFileSync(fixture(c.file)), { dtype: c.dtype, shape: [-1, c.n] });
      expect([inferred.rows, inferred.cols]).toEqual([c.N, c.n]);
    });
  }

  it('a shape that does not match the size names the file and both sizes', () => {
    const e = expectCode(() => readRaw(fixture('raw.f64'), { dtype: 'float64', shape: [40, 5] }), 'ERR_INVALID_ARGUMENT');
    expect(e.message).toMatch(/^.*raw\.f64: holds 240 float64 values \(1920 bytes\), but shape 40,5 needs 200/);
    expectCode(() => readRaw(fixture('raw.f64'), { dtype: 'float64', shape: [-1, 7] }), 'ERR_INVALID_ARGUMENT');
    expect(expectCode(() => readRaw(fixture('bad/odd.f64'), { dtype: 'float64', shape: [-1, 1] }), 'ERR_INVALID_ARGUMENT').message).toMatch(/odd\.f64: has 7 bytes/);
  });
});

describe('malformed .npy files: one EffrankError naming the file and the problem', () => {
  const cases: [string, RegExp][] = [
    ['truncated.npy', /is truncated: 40×6 <f8 needs 1920 data bytes, the file has 1820/],
    ['truncated_header.npy', /is truncated inside the \.npy header/],
    ['bad_magic.npy', /bad magic/],
    ['not_npy.npy', /bad magic/],
    ['version9.npy', /unsupported \.npy format version 9\.0/],
    ['bad_dict.npy', /bad \.npy header: expected ',' or '\)'/],
    ['missing_key.npy', /keys are \{descr, shape\}/],
    ['shape_list.npy', /'shape' must be a tuple/],
    ['fortran_int.npy', /'fortran_order' must be True or False/],
    ['complex.npy', /unsupported dtype '<c16' \(complex\)/],
    ['object.npy', /unsupported dtype '\|O' \(object\)/],
    ['unicode.npy', /unsupported dtype '<U1' \(unicode string\)/],
    ['longdouble.npy', /unsupported dtype '<f16' \(long double\)/],
    ['datetime.npy', /unsupported dtype '<M8\[ns\]' \(datetime\)/],
    ['structured.npy', /structured dtypes/],
    ['3d.npy', /3-d array \(2×3×4\): reshape it/],
    ['scalar.npy', /0-d scalar/],
    ['empty.npy', /empty array \(shape 0×6\)/],
  ];
  for (const [file, problem] of cases) {
    it(file, () => {
      const path = fixture(`bad/${file}`);
      const e = expectCode(() => readNpy(path), 'ERR_INVALID_ARGUMENT');
      expect(e.message.startsWith(`${path}: `), e.message).toBe(true);
      expect(e.message).toMatch(problem);
      expect(e.message).not.toContain('\n');
      // The same from bytes, named as given.
      const again = expectCode(() => readNpy(readFileSync(path), 'given-name.npy'), 'ERR_INVALID_ARGUMENT');
      expect(again.message).toBe(e.message.replace(path, 'given-name.npy'));
    });
  }

  it('a missing file and a directory', () => {
    expect(expectCode(() => readNpy(fixture('nope.npy')), 'ERR_INVALID_ARGUMENT').message).toBe(`${fixture('nope.npy')}: no such file`);
    expect(expectCode(() => readNpy(DIR), 'ERR_INVALID_ARGUMENT').message).toMatch(/is a directory$/);
  });

  it('readNpy keeps NaN (it parses); readFeatures rejects it as ERR_NON_FINITE with the position', async () => {
    expect(Number.isNaN(readNpy(fixture('bad/nan.npy')).data[2 * 6 + 1])).toBe(true);
    await expect(readFeatures(fixture('bad/nan.npy'))).rejects.toMatchObject({ code: 'ERR_NON_FINITE', message: `${fixture('bad/nan.npy')}: row 3, column 2 is NaN` });
    await expect(readFeatures(fixture('bad/nan.npy'), { mode: 'stream', chunkBytes: 100 })).rejects.toMatchObject({ code: 'ERR_NON_FINITE' });
  });
});

describe('fuzz: bytes as .npy parse or fail with ERR_INVALID_ARGUMENT, never anything else', () => {
  const good = new Uint8Array(readFileSync(fixture('f32_f.npy')));
  const check = (bytes: Uint8Array) => {
    try {
      const a = readNpy(bytes, 'fuzz.npy');
      expect(a.data.length).toBe(a.rows * a.cols);
    } catch (e) {
      expect(e, String(e)).toBeInstanceOf(EffrankError);
      expect((e as EffrankError).code).toBe('ERR_INVALID_ARGUMENT');
      expect((e as EffrankError).message.startsWith('fuzz.npy: ')).toBe(true);
    }
  };

  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), check), { numRuns: 500 });
  });

  it('the magic and a version, then random bytes', () => {
    const prefix = fc.constantFrom(1, 2, 3).map((v) => Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, v, 0]));
    fc.assert(fc.property(prefix, fc.uint8Array({ maxLength: 300 }), (p, rest) => check(Uint8Array.from([...p, ...rest]))), { numRuns: 500 });
  });

  it('a valid header with random text in place of the dict', () => {
    const dictish = fc.stringMatching(/^[{}()[\]':, a-z<>|0-9TrueFalsNL_"\\-]{0,80}$/);
    fc.assert(fc.property(dictish, (text) => {
      const h = new TextEncoder().encode(text);
      check(Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 255, h.length >> 8, ...h, ...new Uint8Array(64)]));
    }), { numRuns: 500 });
  });

  it('a numpy file with bytes overwritten or cut', () => {
    fc.assert(fc.property(fc.nat({ max: good.length - 1 }), fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat({ max: good.length }), (at, patch, cut) => {
      const b = good.slice(0, cut);
      b.set(patch.subarray(0, Math.max(0, b.length - at)), Math.min(at, b.length));
      check(b);
    }), { numRuns: 500 });
  });
});

describe('readFeatures on binary files: loaded whole, or streamed in chunks to the same Gram', () => {
  const refGram = (c: Case, w?: Float64Array) =>
    gram({ data: Float64Array.from(expected.matrices[c.matrix]!), rows: c.N, cols: c.n }, { weights: w }).data;

  for (const [name, c] of [...npyCases, ...rawCases]) {
    it(`${name}`, async () => {
      const shape = c.file.endsWith('.npy') ? undefined : ([c.N, c.n] as const);
      const whole = await readFeatures(fixture(c.file), { shape });
      expect(whole).toMatchObject({ streamed: false, chunks: 0, rows: c.N, cols: c.n, dtype: c.dtype, storedDtype: c.stored, fortranOrder: c.fortranOrder });
      expectSameValues((whole.features as { data: Float64Array }).data, expected.matrices[c.matrix]!);
      // 7 rows' worth of stored bytes per chunk: 6 chunks of 40 rows, the last one short.
      const bytesPerRow = c.n * Number(c.stored.slice(2));
      const streamed = await readFeatures(fixture(c.file), { shape, mode: 'stream', chunkBytes: 7 * bytesPerRow });
      expect(streamed).toMatchObject({ streamed: true, chunks: Math.ceil(c.N / 7), rows: c.N, cols: c.n, weights: undefined });
      const acc = streamed.features as GramAccumulator;
      expect(acc).toBeInstanceOf(GramAccumulator);
      expect(acc.rows).toBe(c.N);
      const g = acc.gram().data;
      const want = refGram(c);
      const scale = Math.max(...want.map(Math.abs));
      for (let i = 0; i < want.length; i++) expect(Math.abs(g[i]! - want[i]!)).toBeLessThanOrEqual(1e-13 * scale);
    });
  }

  it('weights stream with their rows; a streamed file above the threshold picks the accumulator by itself', async () => {
    const w = Float64Array.from(expected.weights);
    const f = await readFeatures(fixture('f32_be_f.npy'), { weights: fixture('weights.f64'), streamAbove: 100, chunkBytes: 5 * 24 });
    expect(f).toMatchObject({ streamed: true, chunks: 8 });
    const g = (f.features as GramAccumulator).gram().data;
    const want = refGram(expected.cases['f32_be_f']!, w);
    for (let i = 0; i < want.length; i++) expect(g[i]).toBeCloseTo(want[i]!, 12);
    expect((f.features as GramAccumulator).weightSum).toBeCloseTo(1, 12); // trapezoid weights on [0, 1]
  });

  it('weights files in every format hold the same N values; wrong ones are refused naming the file', async () => {
    const w = expected.weights;
    for (const file of ['weights.npy', 'weights_col.npy', 'weights.csv', 'weights.f64']) {
      expectSameValues(readWeights(fixture(file), { expected: 40 }), w);
    }
    const short = fixture('bad/weights_short.npy');
    expect(expectCode(() => readWeights(short, { expected: 40, featuresFile: 'f.npy' }), 'ERR_INVALID_ARGUMENT').message).toBe(`${short}: 39 weights, but f.npy has 40 rows`);
    await expect(readFeatures(fixture('f64_c.npy'), { weights: short })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT', message: expect.stringMatching(/weights_short\.npy: 39 weights, but .*f64_c\.npy has 40 rows/) });
    expect(expectCode(() => readWeights(fixture('bad/weights_2d.npy')), 'ERR_INVALID_ARGUMENT').message).toMatch(/weights must be one column .* got 40×2/);
    expect(expectCode(() => readWeights(fixture('bad/weights_negative.csv')), 'ERR_INVALID_ARGUMENT').message).toMatch(/weights_negative\.csv: weight 40 is -1/);
  });

  it('raw features without a shape are refused; the format can be forced', async () => {
    await expect(readFeatures(fixture('raw.f32'))).rejects.toMatchObject({ message: `${fixture('raw.f32')}: raw f32 features need their shape: --shape N,n` });
    const f = await readFeatures(fixture('raw.f64'), { format: 'f32', shape: [80, 6] });
    expect([f.rows, f.dtype]).toEqual([80, 'float32']);
    await expect(readFeatures(fixture('f64_c.npy'), { format: 'bogus' as 'npy' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});
