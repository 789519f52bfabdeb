/**
 * The peers' own test suites, rewritten as our tests against the adapters:
 * svd-js's mocha spec (tests/svd.spec.js), ml-matrix's SVD, pseudoInverse and
 * linearDependencies tests (src/__tests__/decompositions/svd.test.js,
 * matrix/utility.test.js, matrix/linearDependencies.test.js), and the svd
 * examples of numeric's documentation. Each case keeps the peer's input and
 * expectation; where the adapter deliberately differs (docs/compat.md lists
 * every difference with the peer test it affects), the test asserts the
 * documented behaviour instead and says so.
 */
import { describe, expect, it } from 'vitest';

import * as ml from '../src/compat/ml-matrix.js';
import numeric, { svd as numericSvd } from '../src/compat/numeric.js';
import { SVD as svdJs } from '../src/compat/svd-js.js';
import { GOLUB_REINSCH, matmul, transpose } from './helpers/nested.js';

const close = (actual: number, expected: number, digits: number) => expect(Math.abs(actual - expected)).toBeLessThan(10 ** -digits / 2);
const deepClose = (actual: number[][] | number[], expected: number[][] | number[], digits: number) => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    if (Array.isArray(row)) deepClose(row, (expected as number[][])[i]!, digits);
    else close(row, (expected as number[])[i]!, digits);
  });
};
const eye = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));


describe("svd-js's suite (tests/svd.spec.js) against effrank/compat/svd-js", () => {
  it('throws TypeError "Matrix a is not defined" without arguments', () => {
    expect(() => (svdJs as (a?: unknown) => unknown)()).toThrow(TypeError);
    expect(() => (svdJs as (a?: unknown) => unknown)()).toThrow('Matrix a is not defined');
  });

  it('Golub and Reinsch first example: values (sorted: a documented difference), orthonormal U and V', () => {
    const { u, v, q } = svdJs(GOLUB_REINSCH);
    // svd-js expects q = [√1248, 0, 20, √384, 0] in its sweep order; the adapter sorts q descending.
    deepClose(q, [Math.sqrt(1248), 20, Math.sqrt(384), 0, 0], 4);
    const utu = matmul(transpose(u), u);
    const vtv = matmul(transpose(v), v);
    expect([utu.length, utu[0]!.length]).toEqual([5, 5]);
    expect([vtv.length, vtv[0]!.length]).toEqual([5, 5]);
    deepClose(utu, eye(5), 4);
    deepClose(vtv, eye(5), 4);
  });
});

describe("numeric's documented svd examples against effrank/compat/numeric", () => {
  it('numeric.svd([[22,10,2,3,7],…]) (the Golub–Reinsch matrix of its documentation): S descending, U·diag(S)·Vᵀ = A', () => {
    const { U, S, V } = numericSvd(GOLUB_REINSCH);
    deepClose(S, [Math.sqrt(1248), 20, Math.sqrt(384), 0, 0], 10);
    const us = U.map((row) => row.map((x, j) => x * S[j]!));
    deepClose(matmul(us, transpose(V)), GOLUB_REINSCH, 10);
  });

  it('the namespace keeps numeric’s other functions and replaces svd', () => {
    expect(numeric.svd).toBe(numericSvd);
    expect(numeric.epsilon).toBe(2.220446049250313e-16);
    // numeric.dot and numeric.transpose come from the installed numeric, unchanged.
    expect((numeric.dot as (a: number[][], b: number[][]) => number[][])([[1, 2]], [[3], [4]])).toEqual([[11]]);
    expect((numeric.transpose as (a: number[][]) => number[][])([[1, 2]])).toEqual([[1], [2]]);
  });
});

describe("ml-matrix's SVD suite (decompositions/svd.test.js) against effrank/compat/ml-matrix", () => {
  const { Matrix, SVD, inverse, solve } = ml;

  it('re-exports the rest of ml-matrix unchanged: import { Matrix, SVD, inverse, solve } works', () => {
    expect(Matrix).toBeTypeOf('function');
    expect(ml.default).toBe(Matrix);
    expect(ml.EVD).toBeTypeOf('function');
    expect(new ml.EVD(new Matrix([[2, 0], [0, 1]])).realEigenvalues).toEqual([1, 2]);
    expect(ml.determinant(new Matrix([[2, 4], [7, 1]]))).toBe(-26);
  });

  it('Wikipedia example: U·Uᵀ is exactly I₄ and V·Vᵀ ≈ I₅', () => {
    const matrix = new Matrix([
      [1, 0, 0, 0, 2],
      [0, 0, 3, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 4, 0, 0, 0],
    ]);
    const svd = new SVD(matrix);
    const U = new Matrix(svd.U as never);
    const V = new Matrix(svd.V as never);
    expect(U.mmul(U.transpose()).to2DArray()).toStrictEqual(Matrix.eye(4).to2DArray());
    // A documented difference: V is the thin n×k (5×4) factor, so V·Vᵀ is a projection, not I₅;
    // the peer's own wide-input V is n×n. VᵀV = I₄ is the property the thin factor has.
    deepClose(V.transpose().mmul(V).to2DArray(), Matrix.eye(4).to2DArray(), 5);
  });

  describe('inverse of the singular [[1, 1], [2, 2]]', () => {
    const value = new Matrix([
      [1, 1],
      [2, 2],
    ]);
    const expected = [
      [0.1, 0.2],
      [0.1, 0.2],
    ];
    it('solve(I)', () => deepClose(new SVD(value).solve(Matrix.eye(2)).to2DArray(), expected, 3));
    it('inverse()', () => deepClose(new SVD(value).inverse().to2DArray(), expected, 3));
    it('inverse(value, true)', () => deepClose(inverse(value, true).to2DArray(), expected, 3));
    it('solve(value, I, true)', () => deepClose(solve(value, Matrix.eye(2), true).to2DArray(), expected, 3));
  });

  const A42 = () =>
    new Matrix([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
  const S = [14.2690954992615, 0.626828232417543];
  const U42 = [
    [0.152483233310201, 0.822647472225661],
    [0.349918371807964, 0.42137528768458],
    [0.547353510305727, 0.0201031031435023],
    [0.74478864880349, -0.381169081397574],
  ];
  const V22 = [
    [0.641423027995072, -0.767187395072177],
    [0.767187395072177, 0.641423027995072],
  ];

  it('more rows than columns: reconstruction, values, and the vectors up to the documented sign rule', () => {
    const t = new SVD(A42(), { autoTranspose: false });
    deepClose(t.leftSingularVectors.mmul(Matrix.diag(t.diagonal) as never).mmul(t.rightSingularVectors.transpose()).to2DArray(), A42().to2DArray(), 2);
    deepClose(t.diagonal, S, 3);
    // Signs: the pair's largest entry (0.8226 in u₂) is positive, as in the peer's expectation.
    deepClose(t.leftSingularVectors.to2DArray(), U42, 2);
    deepClose(t.rightSingularVectors.to2DArray(), V22, 4);
  });

  it('less rows than columns, with and without autoTranspose: the thin SVD (a documented difference in shape without it)', () => {
    for (const autoTranspose of [true, false]) {
      const value = A42().transpose();
      const t = new SVD(value, { autoTranspose });
      deepClose(t.leftSingularVectors.mmul(Matrix.diag(t.diagonal) as never).mmul(t.rightSingularVectors.transpose()).to2DArray(), value.to2DArray(), 2);
      deepClose(t.diagonal.slice(0, 2), S, 3);
      // With autoTranspose the peer expects U = V22 and V = U42, exactly the mirror of the tall case: kept.
      deepClose(t.leftSingularVectors.to2DArray(), V22, 2);
      deepClose(t.rightSingularVectors.to2DArray(), U42, 4);
      expect([t.rightSingularVectors.rows, t.rightSingularVectors.columns]).toEqual([4, 2]);
    }
  });

  it('wide input, not computing right (left) vectors: those come back as zeros', () => {
    const noV = new SVD(A42().transpose(), { computeRightSingularVectors: false, autoTranspose: true });
    deepClose(noV.leftSingularVectors.to2DArray(), V22, 3);
    deepClose(noV.rightSingularVectors.to2DArray(), [[0, 0], [0, 0], [0, 0], [0, 0]], 6);
    deepClose(noV.diagonal, S, 3);
    const noU = new SVD(A42().transpose(), { computeLeftSingularVectors: false, autoTranspose: true });
    deepClose(noU.leftSingularVectors.to2DArray(), [[0, 0], [0, 0]], 6);
    deepClose(noU.rightSingularVectors.to2DArray(), U42, 4);
    deepClose(noU.diagonal, S, 4);
  });

  it('autotranspose: SVD(Aᵀ) mirrors SVD(A) exactly (toStrictEqual), on the small path and the LAPACK path', () => {
    const rows10 = [[2.5, 2.4], [0.5, 0.7], [2.2, 2.9], [1.9, 2.2], [3.1, 3.0], [2.3, 2.7], [2.0, 1.6], [1.0, 1.1], [1.5, 1.6], [1.1, 0.9]];
    const big = Array.from({ length: 30 }, (_, i) => Array.from({ length: 20 }, (_, j) => Math.sin(i * 7 + j * 3 + 1)));
    for (const data of [rows10, big]) {
      const v1 = new Matrix(data);
      const v2 = v1.transpose();
      const t1 = new SVD(v1, { autoTranspose: true });
      const t2 = new SVD(v2, { autoTranspose: true });
      expect(t1.rightSingularVectors).toStrictEqual(t2.leftSingularVectors);
      expect(t1.leftSingularVectors).toStrictEqual(t2.rightSingularVectors);
      expect(t1.diagonalMatrix).toStrictEqual(t2.diagonalMatrix);
    }
  });

  it('solve: the 100×3 least-squares problem decomposes to 1e-8 and is solved exactly', () => {
    const value = new Matrix(100, 3);
    const output: number[] = [];
    for (let i = 0; i < 100; i++) {
      const x = i + 1;
      const y = 2 * (i + 1) - 1;
      value.set(i, 0, x).set(i, 1, y).set(i, 2, 1);
      output.push(4 * x - y + 3);
    }
    const t = new SVD(value);
    deepClose(t.leftSingularVectors.mmul(t.diagonalMatrix).mmul(t.rightSingularVectors.transpose()).to2DArray(), value.to2DArray(), 8);
    const solution = t.solve(Matrix.columnVector(output) as never);
    deepClose(value.mmul(solution as never).to1DArray(), output, 8);
  });

  // "Regress 1" decomposes a fixture on which ml-matrix once hung (svdbug.json) and checks that 73 values
  // come back. The fixture is not copied here; this matrix has its character: 73×73 symmetric, nonzero
  // only in 15 rows and columns, rank 4, singular values from 7e11 down to 2 (like the fixture's
  // 6.9e11, 2.1e9, 1.6e7, 1.9), and 58 exact zero rows.
  it('Regress 1 (a matrix of the fixture’s character): 73 values, the 4 nonzero ones exact, the rest at rounding level', () => {
    const n = 73;
    const live = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 61, 62, 72]; // the fixture's nonzero rows are of this kind
    const sigma = [7e11, 2e9, 1.6e7, 2];
    // Four orthonormal vectors on the live rows (a Householder-free Gram–Schmidt of fixed integer patterns).
    const basis: number[][] = [];
    for (let k = 0; k < 4; k++) {
      const v = live.map((_, i) => ((i * (k + 3) + 2 * k + 1) % 7) - 3);
      for (const b of basis) {
        const d = v.reduce((acc, x, i) => acc + x * b[i]!, 0);
        for (let i = 0; i < v.length; i++) v[i]! -= d * b[i]!;
      }
      const norm = Math.hypot(...v);
      basis.push(v.map((x) => x / norm));
    }
    const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    live.forEach((r, i) => live.forEach((c, j) => {
      a[r]![c] = sigma.reduce((acc, s, k) => acc + s * basis[k]![i]! * basis[k]![j]!, 0);
    }));
    const res = new SVD(a);
    expect(res.diagonal).toHaveLength(73);
    // Absolute accuracy n·ε·σ₁ (1.1e-2 here; the input's own rounding is ε·σ₁ per entry).
    const tol = n * 2 ** -52 * sigma[0]!;
    sigma.forEach((s, k) => expect(Math.abs(res.diagonal[k]! - s)).toBeLessThan(tol));
    expect(Math.max(...res.diagonal.slice(4))).toBeLessThan(tol);
    expect(res.rank).toBe(4);
  });

  it('empty matrix: throws "Matrix must be non-empty" (an EffrankError, ERR_INVALID_SHAPE)', () => {
    expect(() => new SVD(new Matrix([]))).toThrow('Matrix must be non-empty');
    expect(() => new SVD(new Matrix([]))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SHAPE' }));
  });
});

describe("ml-matrix's pseudoInverse and linearDependencies tests against the adapter", () => {
  const { Matrix, pseudoInverse, linearDependencies } = ml;

  it('pseudoInverse: the numpy and Wolfram values of the peer’s test, square, singular and non-square; empty gives the transpose', () => {
    deepClose(pseudoInverse(new Matrix([[2, 4], [7, 1]])).to2DArray(), [[-0.03846153846153843, 0.15384615384615374], [0.2692307692307691, -0.076923076923077]], 5);
    deepClose(pseudoInverse(new Matrix([[4, 7], [2, 6]])).to2DArray(), [[0.6, -0.7], [-0.2, 0.4]], 5);
    deepClose(
      pseudoInverse(new Matrix([[1, 2, 3], [4, 5, 6], [7, 8, 9]])).to2DArray(),
      [[-6.38888889e-1, -1.66666667e-1, 3.05555556e-1], [-5.55555556e-2, 1.34337961e-16, 5.55555556e-2], [5.27777778e-1, 1.66666667e-1, -1.94444444e-1]],
      5,
    );
    deepClose(pseudoInverse(new Matrix([[1, 0, 1], [2, 4, 5]])).to2DArray(), [[0.75609756, -0.07317073], [-0.68292683, 0.19512195], [0.24390244, 0.07317073]], 5);
    expect(pseudoInverse(new Matrix(3, 0)).to2DArray()).toStrictEqual([]);
    expect(pseudoInverse(new Matrix(0, 2)).to2DArray()).toStrictEqual([[], []]);
  });

  it('linearDependencies: the rows dependencies of the peer’s 5×4 example', () => {
    const A = new Matrix([
      [2, 0, 0, 1],
      [0, 1, 6, 0],
      [0, 3, 0, 1],
      [0, 0, 1, 0],
      [0, 1, 2, 0],
    ]);
    const deps = linearDependencies(A);
    expect(deps).toBeInstanceOf(Matrix);
    deepClose(deps.to2DArray(), [[0, 0, 0, 0, 0], [0, 0, 0, 4, 1], [0, 0, 0, 0, 0], [0, 0.25, 0, 0, -0.25], [0, 1, 0, -4, 0]], 3);
    // 3 rows in R⁵ with row 2 = row 0 + row 1 (ml-matrix's own SVD warns and gives NaN on such
    // inputs): every row is reproduced by its coefficients; a 4th, independent row has none.
    const rows = [[1, 2, 0, 3, 1], [0, 1, 4, 1, 2], [1, 3, 4, 4, 3], [5, 1, 0, 2, 9]];
    const d = linearDependencies(new Matrix(rows)).to2DArray();
    for (const i of [0, 1, 2]) {
      const combo = rows[0]!.map((_, j) => d[i]!.reduce((sum, c, r) => sum + c * rows[r]![j]!, 0));
      deepClose(combo, rows[i]!, 8);
      expect(d[i]![i]).toBe(0);
    }
    expect(d[3]).toEqual([0, 0, 0, 0]);
  });
});
