// The drop-in adapters (effrank/compat/*) against the libraries they replace,
// at every size from 2×2 to 2000×256: the default call and the values-only
// call (where the peer has one), ml-matrix with both input forms
// (number[][] and Matrix). Inputs are built outside the timing; building the
// peer-shaped results is inside both. Peer and adapter alternate, sample by
// sample. Targets (issue 12): at least as fast as the peer at every size,
// ≥ 2× at 3×3, ≥ 40× at 2000×256. benchmarks/compat-table.js prints the same
// cells as the README's table.
import { close } from './lib/checks.js';
import { COMPAT_SIZES, compatCells, loadAdapters, randomRows, targetFactor } from './lib/compat-cells.js';
import { fasterBy } from './lib/targets.js';

const adapters = await loadAdapters();
const CELLS = compatCells(adapters);

/** The peers take up to seconds at 2000×256: a few samples there. */
const peerPolicy = (rows, cols) => (base) => {
  if (rows * cols < 100_000) return undefined;
  return base.maxSamples <= 6 ? { warmup: 0, minSamples: 1, maxSamples: 1, rounds: 1 } : { warmup: 1, minSamples: 3, maxSamples: 3, rounds: 1 };
};

/** Singular values agree with the peer's (relative to s₀: the peers iterate to ~1e-15). */
function valuesAgree(mine, theirs) {
  if (mine.length !== theirs.length) return `${mine.length} values vs ${theirs.length}`;
  for (let i = 0; i < mine.length; i++) {
    if (!close(mine[i], theirs[i], 1e-9, 1e-9 * theirs[0])) return `s[${i}] ${mine[i]} vs ${theirs[i]}`;
  }
  return undefined;
}

export const cases = COMPAT_SIZES.flatMap(([rows, cols], k) => {
  const dims = `${rows}×${cols}`;
  const factor = targetFactor(rows, cols);
  return CELLS.map((cell) => {
    const make = () => cell.input(randomRows(rows, cols, 600 + k));
    return {
      id: `compat-${cell.id}-${rows}x${cols}`,
      label: `${cell.peer} ${cell.call} ${dims}`,
      size: `${dims} float64, ${cell.call}`,
      inputs: () => ({ x: make() }),
      effrank: (_fx, { x }) => cell.adapterFn(x),
      peers: [
        {
          name: cell.peer,
          alternate: true,
          policy: peerPolicy(rows, cols),
          setup: async ({ x }) => () => cell.peerFn(x),
        },
      ],
      peerCheck: (mine, theirs) => valuesAgree(cell.values(mine), cell.values(theirs)),
      target: fasterBy(factor, [cell.peer]),
    };
  });
});
