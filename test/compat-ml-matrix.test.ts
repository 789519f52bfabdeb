import { describe, it, expect, vi, afterEach } from 'vitest';
import {
  Matrix,
  SingularValueDecomposition as PeerSVD,
  SVD as PeerSVDAlias,
  pseudoInverse as peerPseudoInverse,
} from 'ml-matrix';
import {
  DenseMatrix,
  SingularValueDecomposition,
  SVD,
  pseudoInverse,
  setMatrixClass,
  type CompatMatrix,
} from '../src/compat/ml-matrix.js';
import { EffrankError } from '../src/core/errors.js';
import { svd } from '../src/index.js';
import { randomMatrix, transpose, matmul, reconstruct, maxAbsDiff, identity, GOLUB_REINSCH } from './helpers/nested.js';

// ---------------------------------------------------------------- helpers

function shape(m: { rows: number; columns: number }): [number, number] {
  return [m.rows, m.columns];
}

function relClose(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

const SINGULAR = [
  [1, 1],
  [2, 2],
];

afterEach(() => setMatrixClass('auto'));

// ---------------------------------------------------------------- tests

describe('effrank/compat/ml-matrix SingularValueDecomposition', () => {
  it('exports SVD as an alias, like ml-matrix', () => {
    expect(SVD).toBe(SingularValueDecomposition);
    expect(PeerSVDAlias).toBe(PeerSVD);
  });

  it.each([
    [6, 4, 1],
    [10, 10, 2],
    [30, 8, 3],
    [5, 1, 4],
  ])('matches ml-matrix on a random %i×%i matrix (seed %i)', (m, n, seed) => {
    const a = randomMatrix(m, n, seed);
    const ours = new SingularValueDecomposition(a);
    const peer = new PeerSVD(a);
    expect(ours.diagonal.length).toBe(peer.diagonal.length);
    ours.diagonal.forEach((s, i) => relClose(s, peer.diagonal[i]!, 1e-12));
    expect(shape(ours.leftSingularVectors)).toEqual(shape(peer.leftSingularVectors));
    expect(shape(ours.rightSingularVectors)).toEqual(shape(peer.rightSingularVectors));
    expect(shape(ours.diagonalMatrix)).toEqual(shape(peer.diagonalMatrix));
    expect(ours.diagonalMatrix.to2DArray()[0]![0]).toBe(ours.diagonal[0]);

    expect(ours.rank).toBe(peer.rank);
    relClose(ours.condition, peer.condition, 1e-10);
    relClose(ours.norm2, peer.norm2, 1e-13);
    relClose(ours.threshold, peer.threshold, 1e-13);

    const U = ours.leftSingularVectors.to2DArray();
    const V = ours.rightSingularVectors.to2DArray();
    expect(maxAbsDiff(reconstruct(U, ours.diagonal, V), a)).toBeLessThan(1e-13);
    expect(maxAbsDiff(matmul(transpose(U), U), identity(n))).toBeLessThan(1e-13);
    expect(maxAbsDiff(matmul(transpose(V), V), identity(n))).toBeLessThan(1e-13);
    const cu = matmul(transpose(U), peer.leftSingularVectors.to2DArray()).map((row) => row.map(Math.abs));
    const cv = matmul(transpose(V), peer.rightSingularVectors.to2DArray()).map((row) => row.map(Math.abs));
    expect(maxAbsDiff(cu, identity(n))).toBeLessThan(1e-8);
    expect(maxAbsDiff(cv, identity(n))).toBeLessThan(1e-8);

    // Least squares: same solution as the peer.
    const b = randomMatrix(m, 2, seed + 100);
    expect(maxAbsDiff(ours.solve(b).to2DArray(), peer.solve(new Matrix(b)).to2DArray())).toBeLessThan(1e-10);
    expect(maxAbsDiff(ours.inverse().to2DArray(), peer.inverse().to2DArray())).toBeLessThan(1e-10);
  });

  it('gives [14.2691, 0.6268] for [[1,2],[3,4],[5,6],[7,8]], like ml-matrix', () => {
    const a = [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ];
    const ours = new SingularValueDecomposition(a);
    const peer = new PeerSVD(a);
    expect(ours.diagonal[0]).toBeCloseTo(14.2691, 4);
    expect(ours.diagonal[1]).toBeCloseTo(0.6268, 4);
    expect(peer.diagonal[0]).toBeCloseTo(14.2691, 4);
    expect(peer.diagonal[1]).toBeCloseTo(0.6268, 4);
    expect(ours.rank).toBe(2);
    relClose(ours.condition, 14.269095499261484 / 0.6268282324175429, 1e-12);
    relClose(ours.condition, peer.condition, 1e-12);
  });

  it('solve and inverse of [[1,1],[2,2]] give [[0.1,0.2],[0.1,0.2]], like ml-matrix', () => {
    const expected = [
      [0.1, 0.2],
      [0.1, 0.2],
    ];
    const ours = new SingularValueDecomposition(SINGULAR);
    const peer = new PeerSVD(SINGULAR);
    const id = Matrix.eye(2, 2);
    expect(maxAbsDiff(ours.solve(id).to2DArray(), expected)).toBeLessThan(1e-15);
    expect(maxAbsDiff(peer.solve(id).to2DArray(), expected)).toBeLessThan(1e-15);
    expect(maxAbsDiff(ours.inverse().to2DArray(), expected)).toBeLessThan(1e-15);
    expect(maxAbsDiff(peer.inverse().to2DArray(), expected)).toBeLessThan(1e-15);
    expect(maxAbsDiff(ours.solveForDiagonal([1, 1]).to2DArray(), expected)).toBeLessThan(1e-15);
    expect(maxAbsDiff(peer.solveForDiagonal([1, 1]).to2DArray(), expected)).toBeLessThan(1e-15);
    // number[][] and a plain vector (as a column) work as right-hand sides too.
    expect(maxAbsDiff(ours.solve([[1], [2]]).to2DArray(), [[0.5], [0.5]])).toBeLessThan(1e-15);
    expect(maxAbsDiff(ours.solve([1, 2]).to2DArray(), [[0.5], [0.5]])).toBeLessThan(1e-15);
    expect(() => ours.solve([[1, 2, 3]])).toThrow(EffrankError);
  });

  it('rank, condition, norm2 and threshold on singular matrices: condition is Infinity', () => {
    const ours = new SingularValueDecomposition(SINGULAR);
    const peer = new PeerSVD(SINGULAR);
    expect(ours.rank).toBe(1);
    expect(peer.rank).toBe(1);
    expect(ours.condition).toBe(Infinity);
    expect(peer.condition).toBe(Infinity);
    relClose(ours.norm2, Math.sqrt(10), 1e-15);
    relClose(ours.norm2, peer.norm2, 1e-15);
    relClose(ours.threshold, peer.threshold, 1e-15);
    expect(ours.diagonal).toEqual([ours.norm2, 0]);

    // LAPACK leaves 2e-16 here, below threshold, so it is stored as 0 (ml-matrix also lands on 0).
    const r1 = [
      [1, 2],
      [2, 4],
    ];
    expect(new SingularValueDecomposition(r1).condition).toBe(Infinity);
    expect(new PeerSVD(r1).condition).toBe(Infinity);

    // Zero matrix: rank 0, condition 0/0 = NaN in both.
    const z = new SingularValueDecomposition([
      [0, 0],
      [0, 0],
    ]);
    const pz = new PeerSVD([
      [0, 0],
      [0, 0],
    ]);
    expect(z.rank).toBe(0);
    expect(pz.rank).toBe(0);
    expect(z.condition).toBeNaN();
    expect(pz.condition).toBeNaN();
    expect(z.norm2).toBe(0);
    expect(z.threshold).toBe(0);
  });

  it('the Golub–Reinsch 8×5 matrix: √1248, 20, √384, 0, 0; rank 3; condition Infinity (ml-matrix: ~4e16)', () => {
    const ours = new SingularValueDecomposition(GOLUB_REINSCH);
    const peer = new PeerSVD(GOLUB_REINSCH);
    const expected = [Math.sqrt(1248), 20, Math.sqrt(384), 0, 0];
    ours.diagonal.forEach((s, i) => expect(Math.abs(s - expected[i]!)).toBeLessThan(1e-12));
    peer.diagonal.forEach((s, i) => expect(Math.abs(s - expected[i]!)).toBeLessThan(1e-12));
    expect(ours.diagonal.slice(3)).toEqual([0, 0]);
    expect(ours.rank).toBe(3);
    expect(peer.rank).toBe(3);
    expect(ours.condition).toBe(Infinity);
    expect(peer.condition).toBeGreaterThan(1e15);
    relClose(ours.norm2, peer.norm2, 1e-14);
    relClose(ours.threshold, peer.threshold, 1e-14);
    // The pseudo-inverse is the same (the dropped values are the same).
    expect(maxAbsDiff(ours.inverse().to2DArray(), peer.inverse().to2DArray())).toBeLessThan(1e-12);
    const U = ours.leftSingularVectors.to2DArray();
    const V = ours.rightSingularVectors.to2DArray();
    expect(maxAbsDiff(reconstruct(U, ours.diagonal, V), GOLUB_REINSCH)).toBeLessThan(1e-12);
  });

  it('wide input: correct thin SVD without autoTranspose, where ml-matrix warns and pads', () => {
    const a = randomMatrix(2, 5, 41);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const peer = new PeerSVD(a);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(peer.diagonal.length).toBe(3); // min(m + 1, n) values, the last one 0
      expect(shape(peer.rightSingularVectors)).toEqual([5, 5]);

      const ours = new SingularValueDecomposition(a);
      expect(warn).toHaveBeenCalledTimes(1); // no warning from effrank
      expect(ours.diagonal.length).toBe(2);
      expect(shape(ours.leftSingularVectors)).toEqual([2, 2]);
      expect(shape(ours.rightSingularVectors)).toEqual([5, 2]);
      const U = ours.leftSingularVectors.to2DArray();
      const V = ours.rightSingularVectors.to2DArray();
      expect(maxAbsDiff(reconstruct(U, ours.diagonal, V), a)).toBeLessThan(1e-14);
      expect(maxAbsDiff(matmul(transpose(V), V), identity(2))).toBeLessThan(1e-14);

      // Same as ml-matrix with autoTranspose, and as ours with autoTranspose.
      const peerAuto = new PeerSVD(a, { autoTranspose: true });
      const oursAuto = new SingularValueDecomposition(a, { autoTranspose: true });
      expect(warn).toHaveBeenCalledTimes(1);
      ours.diagonal.forEach((s, i) => relClose(s, peerAuto.diagonal[i]!, 1e-13));
      expect(oursAuto.diagonal).toEqual(ours.diagonal);
      expect(shape(peerAuto.leftSingularVectors)).toEqual([2, 2]);
      expect(shape(peerAuto.rightSingularVectors)).toEqual([5, 2]);
      expect(ours.rank).toBe(peerAuto.rank);
      relClose(ours.condition, peerAuto.condition, 1e-12);
      relClose(ours.threshold, peerAuto.threshold, 1e-13);
      // Minimum-norm solution of the underdetermined system.
      const b = [[1], [2]];
      expect(maxAbsDiff(ours.solve(b).to2DArray(), peerAuto.solve(new Matrix(b)).to2DArray())).toBeLessThan(1e-12);
      expect(maxAbsDiff(matmul(a, ours.solve(b).to2DArray()), b)).toBeLessThan(1e-13);
    } finally {
      warn.mockRestore();
    }
  });

  it('unrequested vectors are zero matrices of the same shapes as in ml-matrix', () => {
    const a = randomMatrix(5, 3, 51);
    const ours = new SingularValueDecomposition(a, { computeLeftSingularVectors: false });
    const peer = new PeerSVD(a, { computeLeftSingularVectors: false });
    expect(shape(ours.leftSingularVectors)).toEqual(shape(peer.leftSingularVectors));
    expect(ours.leftSingularVectors.to1DArray().every((x) => x === 0)).toBe(true);
    expect(peer.leftSingularVectors.to1DArray().every((x) => x === 0)).toBe(true);
    const V = ours.rightSingularVectors.to2DArray();
    expect(maxAbsDiff(matmul(transpose(V), V), identity(3))).toBeLessThan(1e-14);

    const noV = new SingularValueDecomposition(a, { computeRightSingularVectors: false });
    const peerNoV = new PeerSVD(a, { computeRightSingularVectors: false });
    expect(shape(noV.rightSingularVectors)).toEqual(shape(peerNoV.rightSingularVectors));
    expect(noV.rightSingularVectors.to1DArray().every((x) => x === 0)).toBe(true);

    const none = new SingularValueDecomposition(a, {
      computeLeftSingularVectors: false,
      computeRightSingularVectors: false,
    });
    none.diagonal.forEach((s, i) => relClose(s, peer.diagonal[i]!, 1e-12));
    expect(none.inverse().to1DArray().every((x) => x === 0)).toBe(true);
    expect(new PeerSVD(a, { computeLeftSingularVectors: false, computeRightSingularVectors: false }).inverse().to1DArray().every((x) => x === 0)).toBe(true);
  });

  it('1×1 input', () => {
    const ours = new SingularValueDecomposition([[-4]]);
    const peer = new PeerSVD([[-4]]);
    expect(ours.diagonal).toEqual([4]);
    expect(peer.diagonal).toEqual([4]);
    expect(ours.rank).toBe(1);
    expect(ours.condition).toBe(1);
    expect(peer.condition).toBe(1);
    expect(ours.norm2).toBe(4);
    expect(ours.threshold).toBe(peer.threshold);
    expect(ours.leftSingularVectors.get(0, 0) * ours.rightSingularVectors.get(0, 0)).toBe(-1);
    expect(ours.inverse().to2DArray()).toEqual([[-0.25]]);
    expect(peer.inverse().to2DArray()).toEqual([[-0.25]]);
  });

  it("empty input throws 'Matrix must be non-empty' (as an EffrankError)", () => {
    for (const empty of [[], [[]], new Matrix(0, 3)]) {
      expect(() => new PeerSVD(empty)).toThrow('Matrix must be non-empty');
      expect(() => new SingularValueDecomposition(empty)).toThrow('Matrix must be non-empty');
      expect(() => new SingularValueDecomposition(empty)).toThrow(EffrankError);
    }
    expect(() => new SingularValueDecomposition([[1, NaN]])).toThrow(EffrankError);
  });
});

describe('effrank/compat/ml-matrix result matrices', () => {
  it('are ml-matrix matrices; built with the input Matrix class, instanceof holds', () => {
    const a = new Matrix(randomMatrix(4, 3, 61));
    const ours = new SingularValueDecomposition(a);
    expect(ours.leftSingularVectors).toBeInstanceOf(Matrix);
    expect(ours.rightSingularVectors).toBeInstanceOf(Matrix);
    expect(ours.diagonalMatrix).toBeInstanceOf(Matrix);
    expect(ours.inverse()).toBeInstanceOf(Matrix);
    // ml-matrix operations accept them.
    const back = (ours.leftSingularVectors as Matrix)
      .mmul(ours.diagonalMatrix as Matrix)
      .mmul((ours.rightSingularVectors as Matrix).transpose());
    expect(maxAbsDiff(back.to2DArray(), a.to2DArray())).toBeLessThan(1e-14);
    // Any ml-matrix view is read too.
    const t = new SingularValueDecomposition(a.transpose());
    t.diagonal.forEach((s, i) => relClose(s, ours.diagonal[i]!, 1e-14));
  });

  it('from number[][] they are ml-matrix Matrix objects, or instances of the class set', () => {
    const a = randomMatrix(4, 3, 62);
    const ours = new SingularValueDecomposition(a);
    expect(Matrix.isMatrix(ours.leftSingularVectors)).toBe(true);
    expect(Matrix.isMatrix(pseudoInverse(a))).toBe(true);
    // ml-matrix's ESM entry re-exports its CommonJS build, so require('ml-matrix') gives the same class.
    expect(ours.leftSingularVectors).toBeInstanceOf(Matrix);
    setMatrixClass(Matrix);
    expect(new SingularValueDecomposition(a).leftSingularVectors).toBeInstanceOf(Matrix);
    expect(pseudoInverse(a)).toBeInstanceOf(Matrix);
  });

  it("setMatrixClass('plain') gives DenseMatrix objects, as without ml-matrix", () => {
    setMatrixClass('plain');
    const a = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const ours = new SingularValueDecomposition(new Matrix(a));
    const U = ours.leftSingularVectors;
    expect(U).toBeInstanceOf(DenseMatrix);
    expect(shape(U)).toEqual([3, 2]);
    const back = (U as DenseMatrix).mmul(ours.diagonalMatrix).mmul(ours.rightSingularVectors.transpose());
    expect(maxAbsDiff(back.to2DArray(), a)).toBeLessThan(1e-14);
    expect(JSON.parse(JSON.stringify(ours.diagonalMatrix))).toEqual([
      [ours.diagonal[0], 0],
      [0, ours.diagonal[1]],
    ]);
    const inv: CompatMatrix = ours.inverse();
    expect(inv).toBeInstanceOf(DenseMatrix);
    expect(maxAbsDiff(inv.to2DArray(), peerPseudoInverse(a).to2DArray())).toBeLessThan(1e-13);
    // A DenseMatrix is accepted as input.
    const again = new SingularValueDecomposition(DenseMatrix.from2DArray(a));
    expect(again.diagonal).toEqual(ours.diagonal);
    expect(() => setMatrixClass(42 as never)).toThrow(EffrankError);
  });
});

describe('effrank/compat/ml-matrix pseudoInverse', () => {
  it.each([
    [6, 3, 71],
    [3, 6, 72],
    [4, 4, 73],
  ])('matches ml-matrix on a random %i×%i matrix', (m, n, seed) => {
    const a = randomMatrix(m, n, seed);
    const ours = pseudoInverse(a);
    const peer = peerPseudoInverse(a);
    expect(shape(ours)).toEqual([n, m]);
    expect(maxAbsDiff(ours.to2DArray(), peer.to2DArray())).toBeLessThan(1e-12);
    // Moore–Penrose: A·A⁺·A = A.
    expect(maxAbsDiff(matmul(matmul(a, ours.to2DArray()), a), a)).toBeLessThan(1e-13);
  });

  it('drops singular values below threshold·max(m, n)·s₀, like ml-matrix', () => {
    const a = [
      [1, 0],
      [0, 1e-6],
      [0, 0],
    ];
    expect(pseudoInverse(a).to2DArray()).toEqual([
      [1, 0, 0],
      [0, 1e6, 0],
    ]);
    const cut = [
      [1, 0, 0],
      [0, 0, 0],
    ];
    expect(pseudoInverse(a, 1e-3).to2DArray()).toEqual(cut);
    expect(peerPseudoInverse(a, 1e-3).to2DArray()).toEqual(cut);
    expect(maxAbsDiff(pseudoInverse(GOLUB_REINSCH).to2DArray(), peerPseudoInverse(GOLUB_REINSCH).to2DArray())).toBeLessThan(
      1e-12,
    );
    expect(maxAbsDiff(pseudoInverse(SINGULAR).to2DArray(), [
      [0.1, 0.2],
      [0.1, 0.2],
    ])).toBeLessThan(1e-15);
  });

  it('returns the (empty) transpose of an empty matrix, like ml-matrix', () => {
    const ours = pseudoInverse(new Matrix(0, 3));
    const peer = peerPseudoInverse(new Matrix(0, 3));
    expect(shape(ours)).toEqual([3, 0]);
    expect(shape(peer)).toEqual([3, 0]);
    expect(shape(pseudoInverse([]))).toEqual([0, 0]);
  });
});

describe('result matrices with rows of more than 8 entries (rows are views into one buffer per matrix)', () => {
  it('are real ml-matrix Matrix objects with the right values, and independent of each other', () => {
    for (const n of [9, 10, 16, 20]) {
      const a = randomMatrix(n, n, 40 + n);
      const first = new SingularValueDecomposition(new Matrix(a));
      const second = new SingularValueDecomposition(new Matrix(a));
      const { U, V } = first;
      for (const m of [U, V, first.diagonalMatrix, first.inverse()]) {
        expect(m).toBeInstanceOf(Matrix);
        expect(Matrix.isMatrix(m)).toBe(true);
        expect(shape(m)).toEqual([n, n]);
        const rows = (m as unknown as { data: Float64Array[] }).data;
        expect(rows.length).toBe(n);
        for (const row of rows) {
          expect(row).toBeInstanceOf(Float64Array);
          expect(row.length).toBe(n);
        }
      }
      // U·Σ·Vᵀ = A, and the peer's own operations work on them.
      const back = (U as Matrix).mmul(first.diagonalMatrix as Matrix).mmul((V as Matrix).transpose());
      expect(maxAbsDiff(back.to2DArray(), a)).toBeLessThan(1e-12);
      expect(maxAbsDiff((U as Matrix).transpose().mmul(U as Matrix).to2DArray(), identity(n))).toBeLessThan(1e-13);
      // Writing one result changes no other one, of this decomposition or the next.
      const before = second.U.to2DArray();
      const vBefore = first.V.to2DArray();
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) U.set(i, j, 1e9);
      expect(second.U.to2DArray()).toEqual(before);
      expect(first.V.to2DArray()).toEqual(vBefore);
      expect((U as Matrix).clone().get(n - 1, n - 1)).toBe(1e9);
    }
  });

  it('share no buffer with any other result: a transferred core result detaches nothing of theirs, a clone carries only their own entries', () => {
    const n = 10;
    const a = randomMatrix(n, n, 77);
    const dec = new SingularValueDecomposition(new Matrix(a));
    const b = Array.from({ length: n }, (_, i) => [i + 1]);
    const x = dec.solve(new Matrix(b)).to2DArray();
    expect(maxAbsDiff(matmul(a, x), b)).toBeLessThan(1e-10);
    // A core small-path result of the same size comes from the shared result slab (README: copy before transferring).
    const r = svd({ data: Float64Array.from(a.flat()), rows: n, cols: n });
    const secret = 4242.4242;
    r.u!.data[0] = secret;
    structuredClone(r.s, { transfer: [r.s.buffer as ArrayBuffer] });
    expect(r.s.length).toBe(0); // detached: it was the slab
    expect(dec.solve(new Matrix(b)).to2DArray()).toEqual(x);
    const rows = (dec.U as unknown as { data: Float64Array[] }).data;
    expect(rows[0]!.buffer.byteLength).toBe(n * n * 8);
    const cloned = structuredClone(rows[0]!);
    expect(Array.from(new Float64Array(cloned.buffer)).includes(secret)).toBe(false);
    expect(new Float64Array(cloned.buffer).length).toBe(n * n);
  });
});
