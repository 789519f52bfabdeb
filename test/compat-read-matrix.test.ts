/**
 * How the ml-matrix adapter reads its inputs: ml-matrix `Matrix` objects by
 * their rows (block copies), other matrix-likes through to1DArray or get, and
 * every size checked before anything is allocated or the source is asked
 * for its entries.
 */
import { Matrix } from 'ml-matrix';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { SingularValueDecomposition, pseudoInverse } from '../src/compat/ml-matrix.js';
import { readMatrix } from '../src/compat/ml-matrix-svd.js';
import { setLimits } from '../src/linalg/backend.js';
import { expectCode } from './helpers/expect.js';

afterEach(() => setLimits({ maxElements: 0 }));

/** A matrix-like with the given shape whose entry accessors are spies. */
function fake(rows: number, columns: number, entries?: (i: number, j: number) => unknown) {
  const at = entries ?? ((i: number, j: number) => i * 10 + j);
  return {
    rows,
    columns,
    get: vi.fn((i: number, j: number) => at(i, j) as number),
    to1DArray: vi.fn(() => Array.from({ length: rows * columns }, (_, k) => at(Math.floor(k / columns), k % columns))),
  };
}

describe('readMatrix for the ml-matrix adapter', () => {
  it('reads an ml-matrix Matrix row by row, exactly, without calling get or to1DArray', () => {
    const m = new Matrix([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const get = vi.spyOn(m, 'get');
    const flat = vi.spyOn(m, 'to1DArray');
    const d = readMatrix(m, 'value');
    expect([d.rows, d.cols]).toEqual([2, 3]);
    // Small inputs land in a reused buffer (longer than rows·cols): the first rows·cols entries are the matrix.
    expect(Array.from(d.data.subarray(0, 6))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(get).not.toHaveBeenCalled();
    expect(flat).not.toHaveBeenCalled();
  });

  it('reads other matrix-likes through to1DArray, or get when there is none, checking every entry is a number', () => {
    const viaFlat = fake(2, 2);
    expect(Array.from(readMatrix(viaFlat, 'value').data.subarray(0, 4))).toEqual([0, 1, 10, 11]);
    expect(viaFlat.to1DArray).toHaveBeenCalledTimes(1);
    const { to1DArray: _drop, ...viaGet } = fake(2, 2);
    expect(Array.from(readMatrix(viaGet, 'value').data.subarray(0, 4))).toEqual([0, 1, 10, 11]);
    expectCode(() => readMatrix(fake(2, 2, (i, j) => (i === 1 && j === 0 ? '3' : 1)), 'value'), 'ERR_INVALID_ARGUMENT');
    const wrongLength = { ...fake(2, 2), to1DArray: () => [1, 2, 3] };
    expectCode(() => readMatrix(wrongLength, 'value'), 'ERR_INVALID_SHAPE');
  });

  it('a huge ml-matrix-like input fails before any allocation: ERR_INVALID_SHAPE past 2³¹−1 elements, ERR_OUT_OF_MEMORY past the cap', () => {
    const huge = fake(100_000, 100_000);
    expectCode(() => new SingularValueDecomposition(huge), 'ERR_INVALID_SHAPE');
    expectCode(() => pseudoInverse(huge), 'ERR_INVALID_SHAPE');
    setLimits({ maxElements: 1000 });
    const capped = fake(1000, 1000);
    expectCode(() => new SingularValueDecomposition(capped), 'ERR_OUT_OF_MEMORY');
    for (const f of [huge, capped]) {
      expect(f.get).not.toHaveBeenCalled();
      expect(f.to1DArray).not.toHaveBeenCalled();
    }
    expectCode(() => readMatrix(fake(2.5, 3), 'value'), 'ERR_INVALID_SHAPE');
    expectCode(() => readMatrix(fake(-1, 3), 'value'), 'ERR_INVALID_SHAPE');
  });

  it('a Matrix input and the same number[][] give the same decomposition, bit for bit', () => {
    const rows = Array.from({ length: 30 }, (_, i) => Array.from({ length: 12 }, (_, j) => Math.cos(i * 1.3 + j * 0.7)));
    const a = new SingularValueDecomposition(new Matrix(rows));
    const b = new SingularValueDecomposition(rows);
    expect(a.diagonal).toEqual(b.diagonal);
    expect(a.U.to2DArray()).toEqual(b.U.to2DArray());
    expect(a.V.to2DArray()).toEqual(b.V.to2DArray());
    expect(a.U).toBeInstanceOf(Matrix);
  });
});
