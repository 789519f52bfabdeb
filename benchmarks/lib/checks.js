// Answer checks against numpy's summaries: a fast wrong answer is no result.
// Each returns undefined when the answers agree, else a short description.

/** Relative closeness, with an absolute floor for values near zero. */
export function close(a, b, rtol, atol = rtol) {
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

/** Compares a vector with reference.py's summary(): first, last, sum and length. */
export function vectorMatches(v, ref, rtol, what = 'values') {
  if (!v || v.length !== ref.len) return `${what}: length ${v?.length} vs ${ref.len}`;
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i];
  const pairs = [
    ['first', v[0], ref.first],
    ['last', v[v.length - 1], ref.last],
    ['sum', sum, ref.sum],
  ];
  // Scale the absolute floor by the largest value: tiny trailing singular values
  // only agree to rounding relative to the norm.
  const scale = Math.max(Math.abs(ref.first), Math.abs(ref.last), 1e-300);
  for (const [name, got, want] of pairs) {
    if (!close(got, want, rtol, rtol * scale)) return `${what} ${name}: ${got} vs ${want}`;
  }
  return undefined;
}

/** Matrix shape check for {rows, cols} results against a numpy shape. */
export function shapeMatches(m, shape, what) {
  if (!m || m.rows !== shape[0] || m.cols !== shape[1]) return `${what} is ${m?.rows}×${m?.cols}, numpy ${shape.join('×')}`;
  return undefined;
}
