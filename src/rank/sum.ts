/**
 * Compensated summation (Neumaier's variant of Kahan's algorithm).
 *
 * Spectra span many orders of magnitude; a plain running sum loses the small
 * eigenvalues once the large ones are in. Callers also add in ascending order
 * (small to large), which keeps the compensation term small.
 */

/** Running Neumaier sum: `add` values, read the compensated total with `value()`. */
export class NeumaierSum {
  private sum = 0;
  private compensation = 0;

  add(x: number): void {
    const t = this.sum + x;
    // Whichever operand is larger in magnitude keeps its bits; recover the other's lost bits.
    if (Math.abs(this.sum) >= Math.abs(x)) this.compensation += this.sum - t + x;
    else this.compensation += x - t + this.sum;
    this.sum = t;
  }

  value(): number {
    return this.sum + this.compensation;
  }
}

/**
 * Σ f(values[i]) over a spectrum sorted in descending order, added from the
 * smallest entry to the largest.
 */
export function sumAscending(sortedDesc: Float64Array, f: (x: number) => number = (x) => x): number {
  const acc = new NeumaierSum();
  for (let i = sortedDesc.length - 1; i >= 0; i--) acc.add(f(sortedDesc[i]!));
  return acc.value();
}
