/** One self-contained HTML page comparing training setups: the table and their staircases side by side, on shared axes. */
import { type StaircaseDomains, renderStaircaseSvg } from '../report/charts.js';
import type { RunResult } from '../train/run.js';
import type { ComparisonRow, Setup } from './compare-command.js';

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * One set of axis ranges for every panel, the union of their data (steps,
 * ε-rank of the last hidden layer at ε, positive losses), so the setups can
 * be compared by eye.
 */
export function sharedDomains(results: Array<{ result: RunResult }>, eps: number): StaircaseDomains {
  const steps: number[] = [];
  const ranks: number[] = [];
  const losses: number[] = [];
  for (const { result } of results) {
    for (const r of result.records) {
      if (r.layer !== result.lastLayer) continue;
      steps.push(r.step);
      const k = r.epsRank[String(eps)];
      if (k !== undefined) ranks.push(k);
      if (r.loss !== null && r.loss > 0 && Number.isFinite(r.loss)) losses.push(r.loss);
    }
  }
  const range = (v: number[]): [number, number] | undefined => (v.length ? [v.reduce((a, b) => Math.min(a, b)), v.reduce((a, b) => Math.max(a, b))] : undefined);
  return { steps: range(steps), rank: range(ranks), loss: range(losses) };
}

export function renderComparison(
  results: Array<{ setup: Setup; result: RunResult }>,
  rows: ComparisonRow[],
  t: { targetLoss: number; targetRank: number; eps: number },
): string {
  const first = results[0]!.result.options;
  const table = [
    '<table><thead><tr><th>setup</th><th>epochs to loss ≤ ' + t.targetLoss + '</th><th>epochs to ε-rank ≥ ' + t.targetRank +
      '</th><th>final loss</th><th>stairs</th><th>final ε-rank</th><th>h1 ε-rank at start</th></tr></thead><tbody>',
    ...rows.map((r) =>
      `<tr><td title="${escape(r.describe)}">${escape(r.setup)}</td><td>${r.epochsToLoss ?? 'never'}</td><td>${r.epochsToRank ?? 'never'}</td>` +
        `<td>${r.finalLoss.toExponential(2)}</td><td>${r.stairs}</td><td>${r.finalRank}</td><td>${r.firstLayerRankAtStart}</td></tr>`,
    ),
    '</tbody></table>',
  ].join('\n');
  const domains = sharedDomains(results, t.eps);
  const panels = results
    .map(({ setup, result }) =>
      `<figure data-setup="${escape(setup.name)}"><figcaption><b>${escape(setup.name)}</b>: ${escape(setup.describe)}</figcaption>` +
        renderStaircaseSvg(result.records, { layer: result.lastLayer, eps: t.eps, domains }) + '</figure>',
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>effrank compare</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; } th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 1rem; }
figure { margin: 0; } figcaption { margin-bottom: .3rem; } svg { max-width: 100%; height: auto; }
</style></head><body>
<h1>effrank compare</h1>
<p>Task ${escape(first.task)}, MLP width ${first.width} × depth ${first.depth} (${escape(first.activation)}), ${first.epochs} epochs, ε = ${t.eps};
ε-rank of the last hidden layer on ${first.points} grid points with trapezoid weights. All panels share their axes (steps, ε-rank, loss).</p>
${table}
<div class="grid">
${panels}
</div>
</body></html>
`;
}
