/**
 * Fuzz targets: the file readers exported by src/index.ts (readNpy,
 * parseNpyHeader, readRaw, readDelimited, readFeatures, readWeights).
 * Inputs are bytes or files built piece by piece: mostly well-formed, with
 * every part of them sometimes wrong (magic, version, header dict, dtype,
 * shapes up to 2⁶⁴, header length, payload length, flipped bytes), plus
 * random bytes, missing files and directories. A well-formed file must be
 * read with the shape its header states; anything else must fail with an
 * EffrankError, fast (huge shapes are refused before allocating).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';

import * as E from '../../src/index.js';
import { type Expect, type Stats, ensure, ensureArray, preview, verify, verifyAsync } from './checks.js';
import { cleanEntry, junk } from './inputs.js';
import { type Target, asyncTarget, syncTarget } from './target.js';

let dir: string | undefined;
/** A scratch directory for this process, removed at exit. */
function scratch(): string {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'effrank-fuzz-io-'));
    mkdirSync(join(dir, 'a-directory.npy'));
    process.once('exit', () => rmSync(dir!, { recursive: true, force: true }));
  }
  return dir;
}

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(scratch(), name);
  writeFileSync(path, bytes);
  return path;
}

// ---------------------------------------------------------------------------
// .npy files

const VALID_DESCR = ["'<f8'", "'<f4'", "'>f8'", "'<f2'", "'|u1'", "'<i4'", "'>i8'", "'|b1'"];

const npyParts = fc.record({
  magic: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'bad', 'short'),
  version: fc.constantFrom<[number, number]>([1, 0], [1, 0], [2, 0], [3, 0], [0, 0], [4, 0], [1, 1]),
  descr: fc.constantFrom(...VALID_DESCR, "'<c16'", "'|O'", "'<U3'", "'f8'", "'<f16'", '3', "'<f8", "[('a', '<f8')]"),
  fortran: fc.constantFrom('False', 'False', 'True', 'true', '0', "'no'"),
  shape: fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).map(([a, b]) => `(${a}, ${b})`) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 8 }).map((a) => `(${a},)`) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '()', '(0, 3)', '(3, 0)', '(2, 2, 2)', '(-1, 2)', '(2147483648, 2147483648)', '(9007199254740993, 1)',
        '(18446744073709551616, 2)', '(1e3, 2)', '(2, 2', '[2, 2]', "('2', 2)", '(46341, 46341)', '(4294967296,)',
      ),
    },
  ),
  extraKey: fc.constantFrom('', '', '', "'extra': 1, ", "'descr': '<f8', "),
  headerLength: fc.constantFrom('exact', 'exact', 'exact', 'short', 'long', 'huge'),
  payload: fc.constantFrom('exact', 'exact', 'exact', 'short', 'long', 'empty'),
  data: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }),
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 2 }),
  random: fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 }) }),
});
type NpyParts = typeof npyParts extends fc.Arbitrary<infer T> ? T : never;

/** Half of the files are fully valid (random data bytes), half have random parts. */
const npyDesc: fc.Arbitrary<NpyParts> = fc.oneof(
  npyParts,
  fc.record({
    descr: fc.constantFrom(...VALID_DESCR),
    version: fc.constantFrom<[number, number]>([1, 0], [2, 0], [3, 0]),
    fortran: fc.constantFrom('False', 'True'),
    shape: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).map(([a, b]) => `(${a}, ${b})`),
    payload: fc.constantFrom('exact', 'long'),
    data: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }),
  }).map((v) => ({ magic: 'ok', extraKey: '', headerLength: 'exact', flips: [], random: null, ...v }) as NpyParts),
);

function itemSize(descr: string): number {
  const m = /^'[<>|=]?[a-zA-Z](\d+)'$/.exec(descr);
  return m ? Number(m[1]) : 8;
}

/** The file's bytes, whether it is well formed, and the shape its header states. */
function npyBytes(d: NpyParts): { bytes: Uint8Array; valid: boolean; rows: number; cols: number } {
  if (d.random) return { bytes: Uint8Array.from(d.random), valid: false, rows: 0, cols: 0 };
  const dict = `{'descr': ${d.descr}, 'fortran_order': ${d.fortran}, ${d.extraKey}'shape': ${d.shape}, }`;
  const [major] = d.version;
  const lenBytes = major === 1 ? 2 : 4;
  const pre = 6 + 2 + lenBytes;
  let text = dict;
  while ((pre + text.length + 1) % 64 !== 0) text += ' ';
  text += '\n';
  const header = new TextEncoder().encode(text);
  const dims = /^\((\d+), (\d+)\)$/.exec(d.shape) ?? /^\((\d+),\)$/.exec(d.shape);
  const rows = dims ? Number(dims[1]) : 0;
  const cols = dims ? Number(dims[2] ?? 1) : 0;
  const size = itemSize(d.descr);
  const exact = Math.min(rows * cols * size, 1 << 16); // a huge shape gets a (far too short) 64 KiB payload
  const payloadLength = d.payload === 'exact' ? exact : d.payload === 'short' ? Math.max(0, exact - 1) : d.payload === 'long' ? exact + 5 : 0;
  const out = new Uint8Array(pre + header.length + payloadLength);
  out.set(d.magic === 'ok' ? [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] : d.magic === 'bad' ? [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x58] : [0x93, 0x4e], 0);
  out[6] = d.version[0];
  out[7] = d.version[1];
  const len = d.headerLength === 'exact' ? header.length : d.headerLength === 'short' ? header.length - 3 : d.headerLength === 'long' ? header.length + 3 : 0xfffff0;
  if (lenBytes === 2) new DataView(out.buffer).setUint16(8, Math.min(len, 0xffff), true);
  else new DataView(out.buffer).setUint32(8, len, true);
  out.set(header, pre);
  for (let i = 0; i < payloadLength; i++) out[pre + header.length + i] = d.data.length ? d.data[i % d.data.length]! : 0;
  for (const [at, x] of d.flips) out[at % out.length] = out[at % out.length]! ^ x;
  const valid =
    d.magic === 'ok' && major >= 1 && major <= 3 && d.version[1] === 0 && VALID_DESCR.includes(d.descr) && (d.fortran === 'False' || d.fortran === 'True') &&
    dims !== null && rows >= 1 && cols >= 1 && rows * cols * size <= 1 << 16 && d.extraKey === '' && d.headerLength === 'exact' &&
    (d.payload === 'exact' || d.payload === 'long') && d.flips.length === 0;
  return { bytes: out, valid, rows, cols };
}

function checkMatrix(v: unknown, rows: number | null, cols: number | null, what: string): void {
  const r = v as { data: unknown; rows: number; cols: number; dtype?: string };
  ensure(r.data instanceof Float32Array || r.data instanceof Float64Array, () => `${what}: data is ${preview(r.data)}`);
  ensure(Number.isInteger(r.rows) && Number.isInteger(r.cols) && r.rows >= 1 && r.cols >= 1 && r.data.length === r.rows * r.cols, () => `${what}: ${r.rows}×${r.cols} with ${(r.data as Float64Array).length} values`);
  if (rows !== null) ensure(r.rows === rows && r.cols === cols, () => `${what}: ${r.rows}×${r.cols}, the file says ${rows}×${cols}`);
  if (r.dtype !== undefined) ensure(r.dtype === (r.data instanceof Float32Array ? 'float32' : 'float64'), `${what}: dtype differs from the data`);
}

function npyTargets(): Target[] {
  const source = fc.oneof({ weight: 8, arbitrary: fc.constant<'bytes' | 'file' | 'junk'>('bytes') }, { weight: 2, arbitrary: fc.constant<'file'>('file') }, { weight: 1, arbitrary: fc.constant<'junk'>('junk') });
  return [
    syncTarget('readNpy', ['index:readNpy'], [npyDesc, source, junk], (stats, d, how, j) => {
      const { bytes, valid, rows, cols } = npyBytes(d);
      const input = how === 'bytes' ? bytes : how === 'file' ? file('features.npy', bytes) : j;
      const expect: Expect = how === 'junk' ? 'any' : valid ? 'ok' : 'ok|ERR_INVALID_ARGUMENT';
      verify(stats, () => E.readNpy(input as never), expect, (v) => checkMatrix(v, valid ? rows : null, cols, 'readNpy'));
    }),
    syncTarget('readNpy (paths)', ['index:readNpy'], [fc.constantFrom('missing', 'dir', 'empty', '')], (stats, kind) => {
      const path = kind === 'missing' ? join(scratch(), 'no-such-file.npy') : kind === 'dir' ? join(scratch(), 'a-directory.npy') : kind === 'empty' ? file('empty.npy', new Uint8Array(0)) : '';
      verify(stats, () => E.readNpy(path), 'ERR_INVALID_ARGUMENT', () => {});
    }),
    syncTarget('parseNpyHeader', ['index:parseNpyHeader'], [npyDesc, fc.boolean(), fc.oneof({ weight: 20, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: junk })], (stats, d, headerOnly, j) => {
      const { bytes, valid, rows, cols } = npyBytes(d);
      const input = j !== null ? j : headerOnly ? bytes.subarray(0, Math.min(bytes.length, 128)) : bytes;
      const expect: Expect = j !== null ? 'any' : valid ? 'ok' : 'ok|ERR_INVALID_ARGUMENT';
      verify(stats, () => E.parseNpyHeader(input as never), expect, (v) => {
        const h = v as E.NpyHeader;
        ensure(Number.isInteger(h.rows) && Number.isInteger(h.cols) && h.rows >= 1 && h.cols >= 1, () => `header shape ${h.rows}×${h.cols}`);
        ensure(Number.isInteger(h.dataOffset) && h.dataOffset > 0, 'dataOffset');
        if (valid) ensure(h.rows === rows && h.cols === cols, () => `header says ${h.rows}×${h.cols}, expected ${rows}×${cols}`);
      });
    }),
  ];
}

// ---------------------------------------------------------------------------
// Raw .f32 / .f64

const rawDesc = fc.record({
  dtype: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('float32', 'float64') }, { weight: 1, arbitrary: fc.constantFrom<unknown>('f32', 'float16', undefined, 4) }),
  shape: fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).map(([a, b]) => ({ rows: a, cols: b, given: [a, b] as unknown })) },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).map(([a, b]) => ({ rows: a, cols: b, given: [-1, b] as unknown })) },
    { weight: 1, arbitrary: fc.constant({ rows: 3, cols: 1, given: undefined as unknown }) },
    { weight: 2, arbitrary: fc.constantFrom<unknown>([0, 2], [2, 0], [-2, 2], [2 ** 31, 2 ** 31], [2 ** 53, 2], [1.5, 2], ['2', 2], [2], 'x', null).map((given) => ({ rows: 0, cols: 0, given })) },
  ),
  length: fc.constantFrom('exact', 'exact', 'exact', 'short', 'long', 'odd', 'empty'),
  values: fc.array(fc.oneof({ weight: 20, arbitrary: cleanEntry }, { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY) }), { minLength: 36, maxLength: 36 }),
  how: fc.constantFrom('bytes', 'bytes', 'file', 'junkOptions'),
  junk,
});

function rawTarget(): Target {
  return syncTarget('readRaw', ['index:readRaw'], [rawDesc], (stats, d) => {
    const f32 = d.dtype === 'float32';
    const size = f32 ? 4 : 8;
    const count = d.shape.rows * d.shape.cols;
    const typed = f32 ? Float32Array.from(d.values.slice(0, count)) : Float64Array.from(d.values.slice(0, count));
    let bytes = new Uint8Array(typed.buffer);
    if (d.length === 'short') bytes = bytes.subarray(0, Math.max(0, bytes.length - size));
    if (d.length === 'long') bytes = Uint8Array.from([...bytes, ...new Uint8Array(size)]);
    if (d.length === 'odd') bytes = Uint8Array.from([...bytes, 7]);
    if (d.length === 'empty') bytes = new Uint8Array(0);
    const source = d.how === 'file' ? file(f32 ? 'features.f32' : 'features.f64', bytes) : bytes;
    const options = d.how === 'junkOptions' ? d.junk : { dtype: d.dtype, shape: d.shape.given };
    const dtypeOk = d.dtype === 'float32' || d.dtype === 'float64';
    const valid = dtypeOk && count > 0 && d.length === 'exact' && d.how !== 'junkOptions';
    const given = Array.isArray(d.shape.given) ? d.shape.given : null;
    const inferred = given !== null && given[0] === -1;
    const expect: Expect = d.how === 'junkOptions' ? 'any' : valid ? 'ok' : 'ok|ERR_INVALID_ARGUMENT';
    verify(stats, () => E.readRaw(source as never, options as never), expect, (v) => {
      if (!valid) return checkMatrix(v, null, null, 'readRaw');
      checkMatrix(v, inferred || given ? d.shape.rows : count, given ? d.shape.cols : 1, 'readRaw');
      ensureArray((v as { data: unknown }).data, f32 ? Float32Array : Float64Array, count, 'readRaw data');
      const data = (v as { data: Float64Array }).data;
      for (let i = 0; i < count; i++) ensure(Object.is(data[i], typed[i]), () => `readRaw value ${i}: ${data[i]} ≠ ${typed[i]}`);
    });
  });
}

// ---------------------------------------------------------------------------
// Delimited text

const cellArb = fc.oneof(
  { weight: 30, arbitrary: cleanEntry.map((v) => String(v)) },
  { weight: 1, arbitrary: fc.constantFrom('nan', 'NaN', '-inf', 'Infinity', '', 'abc', '"1.5"', '1e400', '0x10', '1,5', ' 2 ', '+.5', '-', '1e', '١') },
);

const textDesc = fc.record({
  rows: fc.integer({ min: 1, max: 6 }),
  cols: fc.integer({ min: 1, max: 5 }),
  cells: fc.array(cellArb, { minLength: 30, maxLength: 30 }),
  delimiter: fc.constantFrom(',', '\t', ' '),
  header: fc.constantFrom('none', 'none', 'names', 'numeric', 'indexed'),
  extras: fc.array(fc.constantFrom('comment', 'blank', 'ragged', 'crlf', 'bom', 'trailingDelimiter'), { maxLength: 2 }),
  random: fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }),
});
type TextDesc = typeof textDesc extends fc.Arbitrary<infer T> ? T : never;

/** The text, and the exact numbers it holds when it is a clean grid (null otherwise). */
function textOf(d: TextDesc): { text: string; grid: number[] | null } {
  if (d.random !== null) return { text: d.random, grid: null };
  const sep = d.delimiter;
  const lines: string[] = [];
  const cells = d.cells.slice(0, d.rows * d.cols);
  const clean = cells.every((c) => Number.isFinite(Number(c)) && c.trim() !== '' && /^[-+0-9.eE]+$/.test(c));
  if (d.header === 'names') lines.push(Array.from({ length: d.cols }, (_, j) => `n${j}`).join(sep));
  if (d.header === 'numeric') lines.push(Array.from({ length: d.cols }, (_, j) => String(j)).join(sep));
  if (d.header === 'indexed') lines.push(['', ...Array.from({ length: d.cols }, (_, j) => `c${j}`)].join(sep));
  if (d.extras.includes('comment')) lines.push('# a comment');
  for (let i = 0; i < d.rows; i++) {
    const row = cells.slice(i * d.cols, (i + 1) * d.cols);
    if (d.header === 'indexed') row.unshift(`r${i}`);
    if (d.extras.includes('ragged') && i === d.rows - 1) row.pop();
    lines.push(row.join(sep) + (d.extras.includes('trailingDelimiter') ? sep : ''));
    if (d.extras.includes('blank') && i === 0) lines.push('');
  }
  let text = lines.join(d.extras.includes('crlf') ? '\r\n' : '\n');
  if (d.extras.includes('bom')) text = `\uFEFF${text}`;
  // Whitespace-separated text cannot hold the empty first cell of an indexed header.
  const simple = clean && d.extras.every((e) => e === 'comment' || e === 'blank') && d.header !== 'numeric' && !(d.header === 'indexed' && sep === ' ');
  return { text, grid: simple ? cells.map(Number) : null };
}

function delimitedTarget(): Target {
  const options = fc.oneof(
    { weight: 6, arbitrary: fc.constant('matching') },
    { weight: 1, arbitrary: fc.record({ delimiter: fc.constantFrom<unknown>(',', '\t', 'whitespace', ';', 1, null), header: fc.constantFrom<unknown>('auto', true, false, 'yes', 0) }, { requiredKeys: [] }) },
    { weight: 1, arbitrary: junk },
  );
  return syncTarget('readDelimited', ['index:readDelimited'], [textDesc, options], (stats, d, o) => {
    const { text, grid: clean } = textOf(d);
    const path = file('features.csv', text);
    const grid = o === 'matching' ? clean : null;
    const delimiter = d.delimiter === ' ' ? 'whitespace' : d.delimiter;
    const opts = o === 'matching' ? { delimiter, header: d.header === 'none' ? false : 'auto' } : o;
    const expect: Expect = o === 'matching' && grid !== null ? 'ok' : 'any';
    verify(stats, () => E.readDelimited(path, opts as never), expect, (v) => {
      checkMatrix(v, grid ? d.rows : null, d.cols, 'readDelimited');
      const t = v as E.NpyArray & { columns: unknown };
      ensure(t.data instanceof Float64Array, 'readDelimited data is not float64');
      ensure(t.columns === null || (Array.isArray(t.columns) && t.columns.length === t.cols), 'columns');
      if (grid) for (let i = 0; i < grid.length; i++) ensure(Object.is(t.data[i], grid[i]) || t.data[i] === grid[i], () => `cell ${i}: ${t.data[i]} ≠ ${grid[i]}`);
    });
  });
}

// ---------------------------------------------------------------------------
// readFeatures (async) and readWeights

const featureFileDesc = fc.record({
  kind: fc.constantFrom('npy', 'npy', 'csv', 'f32', 'f64', 'txt', 'unknown', 'missing'),
  npy: npyDesc,
  text: textDesc,
  raw: rawDesc,
  format: fc.oneof({ weight: 8, arbitrary: fc.constant<unknown>(undefined) }, { weight: 1, arbitrary: fc.constantFrom<unknown>('npy', 'csv', 'f64', 'xls', 3) }),
  weights: fc.oneof(
    { weight: 4, arbitrary: fc.constant<unknown>(undefined) },
    { weight: 2, arbitrary: fc.constant<unknown>('matching') },
    { weight: 1, arbitrary: fc.constantFrom<unknown>([1, 2], [-1], 'no-such-weights.csv', [Number.NaN]) },
  ),
  mode: fc.oneof({ weight: 6, arbitrary: fc.constantFrom<unknown>(undefined, 'auto', 'memory', 'stream') }, { weight: 1, arbitrary: fc.constantFrom<unknown>('disk', 1) }),
  streamAbove: fc.constantFrom<unknown>(undefined, undefined, 0, 64, 1e9),
  chunkBytes: fc.constantFrom<unknown>(undefined, undefined, 8, 24, 100),
  junkOptions: fc.nat({ max: 19 }).map((x) => x === 0),
  junk,
});

function featuresTarget(): Target {
  return asyncTarget('readFeatures', ['index:readFeatures'], [featureFileDesc], async (stats, d) => {
    let path: string;
    let rows: number | null = null;
    let cols: number | null = null;
    let valid = false;
    const opts: Record<string, unknown> = { format: d.format, mode: d.mode, streamAbove: d.streamAbove, chunkBytes: d.chunkBytes };
    if (d.kind === 'npy') {
      const n = npyBytes(d.npy);
      path = file('features.npy', n.bytes);
      ({ rows, cols } = n);
      valid = n.valid && d.npy.descr !== "'<f2'"; // float16 data bytes may decode to ±Inf/NaN
    } else if (d.kind === 'csv' || d.kind === 'txt') {
      const t = textOf({ ...d.text, delimiter: d.kind === 'csv' ? ',' : ' ' });
      path = file(`features.${d.kind}`, t.text);
      rows = d.text.rows;
      cols = d.text.cols;
      valid = t.grid !== null && d.text.header !== 'numeric';
      if (d.text.header === 'none') opts.header = false;
    } else if (d.kind === 'f32' || d.kind === 'f64') {
      const f32 = d.kind === 'f32';
      rows = Math.max(1, d.raw.shape.rows);
      cols = Math.max(1, d.raw.shape.cols);
      const values = d.raw.values.slice(0, rows * cols);
      const typed = f32 ? Float32Array.from(values) : Float64Array.from(values);
      path = file(`features.${d.kind}`, new Uint8Array(typed.buffer));
      opts.shape = [rows, cols];
      valid = values.every(Number.isFinite);
    } else {
      path = d.kind === 'missing' ? join(scratch(), 'no-such-features.npy') : file('features.xyz', 'hello');
    }
    if (d.weights === 'matching' && rows !== null && rows <= 1 << 16) opts.weights = Array.from({ length: rows }, (_, i) => (i % 3) / 2);
    else if (d.weights !== 'matching') opts.weights = d.weights;
    const optionsValid = d.format === undefined && (d.weights === undefined || (d.weights === 'matching' && opts.weights !== undefined)) && (d.mode === undefined || ['auto', 'memory', 'stream'].includes(d.mode as string));
    // Integer and bool .npy data are always finite; float data may hold NaN/Inf bytes → ERR_NON_FINITE.
    const floatData = d.kind === 'npy' && ["'<f8'", "'<f4'", "'>f8'"].includes(d.npy.descr);
    const options = d.junkOptions ? d.junk : opts;
    const expect: Expect = d.junkOptions ? 'any' : valid && optionsValid && !floatData ? 'ok' : 'any';
    await verifyAsync(stats, () => E.readFeatures(path, options as never), expect, (v) => {
      const f = v as E.FeatureFile;
      ensure(Number.isInteger(f.rows) && Number.isInteger(f.cols) && f.rows >= 1 && f.cols >= 1, () => `readFeatures ${f.rows}×${f.cols}`);
      if (valid && optionsValid) ensure(f.rows === rows && f.cols === cols, () => `readFeatures ${f.rows}×${f.cols}, the file holds ${rows}×${cols}`);
      if (f.features instanceof E.GramAccumulator) {
        ensure(f.streamed && f.features.n === f.cols && f.features.rows === f.rows && f.weights === undefined, 'a streamed file: accumulator shape / weights');
      } else {
        ensure(!f.streamed, 'a loaded file says streamed');
        checkMatrix(f.features, f.rows, f.cols, 'readFeatures features');
        if (f.weights !== undefined) ensureArray(f.weights, Float64Array, f.rows, 'readFeatures weights');
      }
    });
  });
}

function weightsTarget(): Target {
  const source = fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { maxLength: 8 }).map((v) => ({ v: v as unknown, kind: 'array' })) },
    { weight: 2, arbitrary: fc.array(fc.oneof(fc.double(), fc.constantFrom<unknown>(-1, '1', null, 1n, undefined)), { maxLength: 6 }).map((v) => ({ v: v as unknown, kind: 'bad' })) },
    { weight: 2, arbitrary: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 8 }).map((v) => ({ v: v as unknown, kind: 'csv' })) },
    { weight: 2, arbitrary: npyDesc.map((v) => ({ v: v as unknown, kind: 'npy' })) },
    { weight: 1, arbitrary: junk.map((v) => ({ v, kind: 'junk' })) },
  );
  return syncTarget('readWeights', ['index:readWeights'], [source, fc.oneof(fc.constant<unknown>(undefined), fc.record({ expected: fc.integer({ min: 0, max: 8 }) }), junk)], (stats, s, o) => {
    let input: unknown = s.v;
    let expect: Expect = 'any';
    let expected: number[] | null = null;
    if (s.kind === 'array') {
      expected = s.v as number[];
      const len = (o as { expected?: number } | undefined)?.expected;
      if (o === undefined || len === expected.length) expect = 'ok';
    } else if (s.kind === 'csv') {
      input = file('weights.csv', (s.v as number[]).join('\n'));
      expected = s.v as number[];
      if (o === undefined) expect = 'ok';
    } else if (s.kind === 'npy') {
      input = file('weights.npy', npyBytes(s.v as NpyParts).bytes);
    }
    verify(stats, () => E.readWeights(input as never, o as never), expect, (v) => {
      ensure(v instanceof Float64Array, 'readWeights did not return a Float64Array');
      for (const w of v as Float64Array) ensure(Number.isFinite(w) && w >= 0, () => `readWeights returned the weight ${w}`);
      if (expected) ensure((v as Float64Array).length === expected.length && expected.every((w, i) => (v as Float64Array)[i] === w), () => `readWeights ${preview(v)} ≠ ${preview(expected)}`);
    });
  });
}

export function ioTargets(): Target[] {
  return [...npyTargets(), rawTarget(), delimitedTarget(), featuresTarget(), weightsTarget()];
}
