// Target helpers. A ratio is effrank time / reference time: lower is better.

/** effrank may take at most `max` times the reference's time. */
export function ratioAtMost(max, refs) {
  return {
    text: `≤ ${max.toFixed(2)}`,
    refs,
    evaluate: ({ ratio }) => ({ value: ratio, pass: ratio <= max }),
  };
}

/** effrank must be at least `factor` times faster than the reference. */
export function fasterBy(factor, refs) {
  return {
    text: `≥ ${factor}× faster`,
    refs,
    evaluate: ({ ratio }) => ({ value: 1 / ratio, pass: ratio <= 1 / factor, show: `${(1 / ratio).toFixed(1)}×` }),
  };
}
