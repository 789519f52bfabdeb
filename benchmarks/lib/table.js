// The console tables: one row per (case, reference) for timings, and one
// row per metric for cases with their own runner (memory, training overhead).

const HEADERS = ['case', 'reference', 'effrank ms', 'ref ms', 'ratio', 'target', 'result'];
export const METRIC_HEADERS = ['case', 'measure', 'value', 'compared with', 'ratio', 'target', 'result'];

function ms(x) {
  if (x === undefined || x === null) return '—';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** Table rows (arrays of cells) for one family's results. */
export function familyRows(family) {
  const rows = [];
  for (const c of family.cases) {
    if (c.kind === 'metric') continue;
    const mine = c.effrank ? ms(c.effrank.ms) : 'ERROR';
    if (!c.refs.length) rows.push([c.label, c.error ? `error: ${c.error}` : '(no reference)', mine, '—', '—', '—', c.error ? 'ERROR' : '—']);
    for (const r of c.refs) {
      const name = r.kind === 'peer' ? `${r.name} (JS peer)` : r.name;
      rows.push([c.label, name, mine, r.error ? 'ERROR' : ms(r.ms), r.ratio?.toFixed(3) ?? '—', r.target?.text ?? '—', result(c, r)]);
    }
  }
  return rows;
}

/** Table rows for the metric cases of one family (METRIC_HEADERS). */
export function metricRows(family) {
  const rows = [];
  for (const c of family.cases) {
    if (c.kind !== 'metric') continue;
    if (c.error || !c.metrics.length) rows.push([c.label, c.error ? `error: ${c.error}` : '(nothing measured)', '—', '—', '—', '—', c.error ? 'ERROR' : '—']);
    for (const m of c.metrics) {
      const value = m.error ? 'ERROR' : m.text ?? `${fmt(m.value)}${m.unit ? ` ${m.unit}` : ''}`;
      const ref = m.ref ? m.ref.text ?? `${m.ref.name} ${fmt(m.ref.value)}` : '—';
      rows.push([c.label, m.name, value, ref, Number.isFinite(m.ratio) ? m.ratio.toFixed(3) : '—', m.target?.text ?? '—', metricResult(m)]);
    }
  }
  return rows;
}

function fmt(x) {
  return typeof x === 'number' ? ms(x) : String(x ?? '—');
}

function metricResult(m) {
  if (m.check?.startsWith('mismatch')) return 'MISMATCH';
  if (m.error) return 'ERROR';
  if (!m.target) return '—';
  const verdict = m.target.pass ? 'pass' : 'short';
  return m.target.show ? `${verdict} (${m.target.show})` : verdict;
}

function result(c, r) {
  if (r.check?.startsWith('mismatch')) return 'MISMATCH';
  if (c.error || r.error) return 'ERROR';
  if (!r.target) return '—';
  const verdict = r.target.pass ? 'pass' : 'short';
  return r.target.show ? `${verdict} (${r.target.show})` : verdict;
}

/** Pads cells into aligned columns; numbers right-aligned. */
export function renderTable(rows, headers = HEADERS, numericColumns = [2, 3, 4]) {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const numeric = new Set(numericColumns);
  const line = (r) => r.map((cell, i) => (numeric.has(i) ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i]))).join(' | ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}
