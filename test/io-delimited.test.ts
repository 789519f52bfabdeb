/**
 * Text readers: CSV/TSV/whitespace files written by np.savetxt (with and
 * without a header, '#' comments, CRLF) and a pandas-style CSV with an index
 * column, read back value for value against test/fixtures/make_fixtures.py's
 * matrices; header detection and cell rules on small strings; malformed
 * files; streaming in tiny blocks and chunks; fuzzed text.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { EffrankError, GramAccumulator, gram } from '../src/index.js';
import { type Delimiter, delimitedChunks, parseCell, parseDelimited, readDelimited, readFeatures } from '../src/io/index.js';
import { expectCode } from './helpers/expect.js';

const DIR = fileURLToPath(new URL('./fixtures/io/', import.meta.url));
const fixture = (name: string) => DIR + name;
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')) as {
  matrices: Record<string, number[]>;
  weights: number[];
  cases: Record<string, { file: string; matrix: string; N: number; n: number; columns?: string[] }>;
};
const DELIMITERS: Record<string, Delimiter> = { csv: ',', tsv: '\t', txt: 'whitespace' };
const delimiterOf = (file: string) => DELIMITERS[file.split('.').pop()!]!;
const textCases = Object.entries(expected.cases).filter(([, c]) => /\.(csv|tsv|txt)$/.test(c.file) && !('weights' in c));

const tmp = mkdtempSync(join(tmpdir(), 'effrank-io-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function expectSameValues(actual: ArrayLike<number>, want: number[]): void {
  expect(actual.length).toBe(want.length);
  let mismatches = 0;
  for (let i = 0; i < want.length; i++) if (!Object.is(actual[i], want[i])) mismatches++;
  expect(mismatches, 'elements differing from the numpy fixture').toBe(0);
}

describe('readDelimited: files written by np.savetxt and pandas', () => {
  for (const [name, c] of textCases) {
    it(`${name} (${c.file}): ${c.N}×${c.n}, every value exact, header ${c.columns ? 'detected' : 'absent'}`, () => {
      const t = readDelimited(fixture(c.file), { delimiter: delimiterOf(c.file) });
      expect([t.rows, t.cols, t.dtype]).toEqual([c.N, c.n, 'float64']);
      expect(t.columns).toEqual(c.columns ?? null);
      expectSameValues(t.data, expected.matrices[c.matrix]!);
    });
  }
});

describe('parseDelimited: header, cells, comments', () => {
  it('a header is a first row with any non-numeric cell; an all-numeric one needs header: true', () => {
    expect(parseDelimited('a,b\n1,2\n3,4\n')).toMatchObject({ rows: 2, cols: 2, columns: ['a', 'b'] });
    expect(parseDelimited('x1,2\n1,2\n')).toMatchObject({ rows: 1, columns: ['x1', '2'] });
    expect(parseDelimited('0,1\n1,2\n3,4\n')).toMatchObject({ rows: 3, columns: null });
    expect(parseDelimited('0,1\n1,2\n3,4\n', { header: true })).toMatchObject({ rows: 2, columns: ['0', '1'] });
    expectCode(() => parseDelimited('a,b\n1,2\n', { header: false }), 'ERR_INVALID_ARGUMENT');
  });

  it('an empty first header cell marks row labels, which are dropped (pandas, R write.csv)', () => {
    const t = parseDelimited('"",a,b\n"r1",1,2\n"r2",3,4\n');
    expect(t).toMatchObject({ rows: 2, cols: 2, columns: ['a', 'b'] });
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4]);
  });

  it('numbers as numpy writes them, nan/inf in any case; quotes, spaces, BOM, CRLF, comments, blank lines', () => {
    const t = parseDelimited('\uFEFF# comment\n\n 1.5 , "-2e-3"\r\n  # indented comment\n.5,5.\r\n+3,1E+2\nnan,-inf\nNaN,Infinity\n\n');
    expect(t.rows).toBe(5);
    expect(Array.from(t.data)).toEqual([1.5, -2e-3, 0.5, 5, 3, 100, NaN, -Infinity, NaN, Infinity]);
    expect(Array.from(parseDelimited('1\t2\n3\t4', { delimiter: '\t' }).data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(parseDelimited('  1   2\n3\t4  \n', { delimiter: 'whitespace' }).data)).toEqual([1, 2, 3, 4]);
  });

  it('what Number() would accept but is not a decimal number is refused', () => {
    for (const cell of ['0x10', '0b1', '1_000', 'Inf1', '1e', '--1', '1.2.3', 'e5', 'true']) {
      expect(parseCell(cell), cell).toBeUndefined();
    }
    const e = expectCode(() => parseDelimited('1,2\n3,0x10\n', {}, 'hex.csv'), 'ERR_INVALID_ARGUMENT');
    expect(e.message).toBe('hex.csv: line 2: column 2: not a number: "0x10"');
  });
});

describe('malformed text files: one EffrankError naming the file, the line and the problem', () => {
  const cases: [string, string][] = [
    ['ragged.csv', 'line 3: ragged: 2 cells, the first row has 3'],
    ['nonnumeric.csv', 'line 3: column 2: not a number: "five"'],
    ['empty_cell.csv', 'line 2: column 2: empty cell (missing values are not supported)'],
    ['header_only.csv', 'has a header but no data rows'],
    ['empty.csv', 'has no data rows'],
  ];
  for (const [file, problem] of cases) {
    it(file, () => {
      const path = fixture(`bad/${file}`);
      expect(expectCode(() => readDelimited(path), 'ERR_INVALID_ARGUMENT').message).toBe(`${path}: ${problem}`);
    });
  }

  it('a ragged row against the header, a missing file, a directory', () => {
    expect(expectCode(() => parseDelimited('a,b,c\n1,2,3\n1,2\n', {}, 'h.csv'), 'ERR_INVALID_ARGUMENT').message).toBe('h.csv: line 3: ragged: 2 cells, the header has 3');
    expect(expectCode(() => readDelimited(fixture('nope.csv')), 'ERR_INVALID_ARGUMENT').message).toBe(`${fixture('nope.csv')}: no such file`);
    expect(expectCode(() => readDelimited(DIR), 'ERR_INVALID_ARGUMENT').message).toBe(`${DIR}: is a directory`);
  });

  it('non-finite cells parse, and readFeatures refuses them with ERR_NON_FINITE at their position', async () => {
    expect(Number.isNaN(readDelimited(fixture('bad/nan.csv')).data[4])).toBe(true);
    await expect(readFeatures(fixture('bad/nan.csv'))).rejects.toMatchObject({ code: 'ERR_NON_FINITE', message: `${fixture('bad/nan.csv')}: row 2, column 2 is NaN` });
  });

  it('fuzz: any text parses or fails with ERR_INVALID_ARGUMENT', () => {
    const text = fc.stringMatching(/^[0-9a-z.,;\t "#\n\r+-]{0,60}$/);
    fc.assert(fc.property(text, fc.constantFrom<Delimiter>(',', '\t', 'whitespace'), (s, delimiter) => {
      try {
        const t = parseDelimited(s, { delimiter }, 'fuzz.csv');
        expect(t.data.length).toBe(t.rows * t.cols);
        expect(t.rows).toBeGreaterThan(0);
      } catch (e) {
        expect(e).toBeInstanceOf(EffrankError);
        expect((e as EffrankError).code).toBe('ERR_INVALID_ARGUMENT');
        expect((e as EffrankError).message.startsWith('fuzz.csv: ')).toBe(true);
      }
    }), { numRuns: 1000 });
  });
});

describe('streaming text', () => {
  it('tiny read blocks (lines and UTF-8 characters split across them) and tiny chunks give the same rows', () => {
    const path = join(tmp, 'utf8.csv');
    const rows = Array.from({ length: 23 }, (_, i) => [i, -i / 7, i * 1e-3]);
    writeFileSync(path, `\uFEFFneurône_α,ß,"γ ω"\r\n${rows.map((r) => r.map(String).join(',')).join('\r\n')}\r\n`);
    const whole = readDelimited(path);
    expect(whole.columns).toEqual(['neurône_α', 'ß', 'γ ω']);
    for (const blockBytes of [1, 2, 3, 7, 64]) {
      const chunks = [...delimitedChunks(path, { blockBytes, chunkBytes: 5 * 3 * 8 })];
      expect(chunks.map((c) => c.rows)).toEqual([5, 5, 5, 5, 3]);
      expect(chunks.map((c) => c.firstRow)).toEqual([0, 5, 10, 15, 20]);
      expect(chunks.every((c) => c.columns?.[0] === 'neurône_α')).toBe(true);
      expectSameValues(Float64Array.from(chunks.flatMap((c) => Array.from(c.data))), Array.from(whole.data));
    }
    expect(Array.from(whole.data.subarray(3, 6))).toEqual([1, -1 / 7, 1e-3]);
  });

  it('readFeatures streams a CSV through the accumulator, with weights, to the Gram of the whole', async () => {
    const c = expected.cases['csv_header']!;
    const w = Float64Array.from(expected.weights);
    const f = await readFeatures(fixture(c.file), { weights: fixture('weights.npy'), streamAbove: 1000, chunkBytes: 6 * 8 * 6 });
    expect(f).toMatchObject({ streamed: true, chunks: 7, rows: 40, cols: 6, columns: c.columns, storedDtype: 'text' });
    const want = gram({ data: Float64Array.from(expected.matrices[c.matrix]!), rows: 40, cols: 6 }, { weights: w }).data;
    const g = (f.features as GramAccumulator).gram().data;
    for (let i = 0; i < want.length; i++) expect(g[i]).toBeCloseTo(want[i]!, 12);
    const whole = await readFeatures(fixture(c.file), { weights: fixture('weights.csv') });
    expect(whole).toMatchObject({ streamed: false, chunks: 0 });
    expectSameValues(whole.weights!, expected.weights);
  });

  it('weights of the wrong length are caught while streaming and when loaded whole', async () => {
    const short = fixture('bad/weights_short.npy');
    for (const mode of ['stream', 'memory'] as const) {
      await expect(readFeatures(fixture('plain.csv'), { weights: short, mode, chunkBytes: 200 })).rejects.toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
        message: expect.stringMatching(new RegExp(`^${short.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: 39 weights, but .*plain\\.csv has (at least )?40 rows$`)),
      });
    }
  });
});
