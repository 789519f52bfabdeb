/** Plain-text summaries of a tracked run's staircase. */
import { describeTrend } from '../analysis/staircase.js';
import type { RunResult } from '../train/run.js';

export function formatSummary(r: RunResult): string {
  const lines: string[] = [];
  const eps = r.options.eps.map(String);
  const finalOf = (layer: string) => r.records.filter((x) => x.layer === layer).at(-1);
  const firstOf = (layer: string) => r.records.find((x) => x.layer === layer);
  lines.push(`final loss ${r.losses.at(-1)?.toExponential(3)} after ${r.losses.length} epochs (${r.seconds.toFixed(1)} s, backend ${r.backend})`);
  lines.push('');
  lines.push(`ε-rank per layer (start → end)${eps.length > 1 ? `, for ε = ${eps.join(', ')}` : `, ε = ${eps[0]}`}:`);
  for (const layer of r.layers) {
    const a = firstOf(layer);
    const b = finalOf(layer);
    const cells = eps.map((e) => `${a?.epsRank[e] ?? '-'} → ${b?.epsRank[e] ?? '-'}`);
    lines.push(`  ${layer.padEnd(6)} ${cells.join('   ')}${layer === r.lastLayer ? '   (last hidden layer)' : ''}`);
  }
  for (const e of eps) {
    const s = r.staircase[r.lastLayer]![e]!;
    lines.push('');
    lines.push(`staircase of ${r.lastLayer}, ε = ${e}:`);
    lines.push(`  ${s.stairs.length} stairs, ${s.jumps.length} jumps, ${describeTrend(s)}, ${s.monotone ? 'monotone within tolerance' : 'not monotone'}`);
    const shown = s.jumps.slice(0, 12).map((j) => `${j.from}→${j.to}@${j.step}`);
    if (shown.length) lines.push(`  jumps: ${shown.join(' ')}${s.jumps.length > 12 ? ' …' : ''}`);
    lines.push(`  Spearman(loss, rank) = ${s.spearman === null ? 'n/a' : s.spearman.toFixed(3)} (the paper predicts strongly negative)`);
    if (s.lossDropAtJumps !== null) lines.push(`  share of the log-loss decrease near jumps: ${(100 * s.lossDropAtJumps).toFixed(0)}%`);
  }
  return lines.join('\n');
}
