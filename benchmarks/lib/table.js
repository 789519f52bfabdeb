// The console table: one row per (case, reference).

const HEADERS = ['case', 'reference', 'effrank ms', 'ref ms', 'ratio', 'target', 'result'];

function ms(x) {
  if (x === undefined || x === null) return '—';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** Table rows (arrays of cells) for one family's results. */
export function familyRows(family) {
  const rows = [];
  for (const c of family.cases) {
    const mine = c.effrank ? ms(c.effrank.ms) : 'ERROR';
    if (!c.refs.length) rows.push([c.label, c.error ? `error: ${c.error}` : '(no reference)', mine, '—', '—', '—', c.error ? 'ERROR' : '—']);
    for (const r of c.refs) {
      const name = r.kind === 'peer' ? `${r.name} (JS peer)` : r.name;
      rows.push([c.label, name, mine, r.error ? 'ERROR' : ms(r.ms), r.ratio?.toFixed(3) ?? '—', r.target?.text ?? '—', result(c, r)]);
    }
  }
  return rows;
}

function result(c, r) {
  if (r.check?.startsWith('mismatch')) return 'MISMATCH';
  if (c.error || r.error) return 'ERROR';
  if (!r.target) return '—';
  const verdict = r.target.pass ? 'pass' : 'short';
  return r.target.show ? `${verdict} (${r.target.show})` : verdict;
}

/** Pads cells into aligned columns; numbers right-aligned. */
export function renderTable(rows) {
  const all = [HEADERS, ...rows];
  const widths = HEADERS.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const numeric = new Set([2, 3, 4]);
  const line = (r) => r.map((cell, i) => (numeric.has(i) ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i]))).join(' | ');
  return [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}
