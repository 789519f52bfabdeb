/**
 * The report page: one self-contained HTML file (inline SVG, inline CSS,
 * system fonts, no script) that works offline. A Content-Security-Policy
 * meta tag forbids every fetch, so a browser could not load anything even if
 * a reference slipped in.
 */
import { createHash } from 'node:crypto';

import { describeTrend } from '../analysis/staircase.js';
import type { RankRecord } from '../tfjs/options.js';
import { type ReportChart, chartsOf, epsColor } from './charts.js';
import { type LayerData, type ReportData, type ReportOptions, buildReportData } from './model.js';
import { extent } from './scales.js';
import { esc } from './svg.js';

const CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif;
  margin: 0 auto; max-width: 960px; padding: 24px 20px 48px; color: #222; background: #fff; line-height: 1.45; }
h1 { font-size: 1.6em; margin: 0 0 .2em; }
h2 { font-size: 1.25em; margin: 1.8em 0 .4em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
h2 small { font-weight: normal; color: #666; font-size: .75em; }
.meta { color: #555; margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: .9em; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 4px 6px; text-align: right; vertical-align: top; }
th { background: #f6f6f6; font-weight: 600; }
.l { text-align: left; }
.table-wrap { overflow-x: auto; }
.jumps { text-align: left; color: #555; font-size: .92em; }
.jumps span, .nw { white-space: nowrap; }
th { white-space: nowrap; }
.sw { display: inline-block; width: .8em; height: .8em; border-radius: 2px; margin-right: .35em; vertical-align: -.05em; }
figure { margin: 14px 0 26px; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: #555; font-size: .9em; margin-top: 4px; }
.note { background: #fff8e1; border-left: 4px solid #e0a800; padding: 6px 10px; margin: 10px 0; }
dl { font-size: .9em; color: #444; }
dt { font-weight: 600; margin-top: .5em; }
dd { margin-left: 1.2em; }
footer { margin-top: 2.5em; color: #777; font-size: .85em; }
.live { position: sticky; top: 0; background: #eef6ff; border-bottom: 1px solid #bcd; padding: 4px 10px; margin: -24px -20px 12px; font-size: .9em; z-index: 1; }
.live .dead { color: #b00; }
`;

/** Fixed decimals with a typographic minus. */
function fmtNum(v: number | null, digits = 2): string {
  return v === null ? '—' : v.toFixed(digits).replace('-', '−');
}

function fmtPct(v: number | null): string {
  return v === null ? '—' : `${Math.round(v * 100)} %`;
}

function jumpList(layer: LayerData, i: number): string {
  const jumps = layer.eps[i]!.staircase.jumps;
  if (jumps.length === 0) return '—';
  const shown = jumps.slice(0, 8).map((j) => `<span class="${j.change < 0 ? 'down' : 'up'}">${j.step} (${j.from}→${j.to})</span>`);
  return shown.join(', ') + (jumps.length > 8 ? `, <span>… +${jumps.length - 8} more</span>` : '');
}

function summaryTable(data: ReportData): string {
  const rows: string[] = [];
  for (const layer of data.layers) {
    layer.eps.forEach((e, i) => {
      const s = e.staircase;
      const first = e.ranks[0]!;
      const final = e.ranks[e.ranks.length - 1]!;
      rows.push(
        `<tr data-layer="${esc(layer.name)}" data-eps="${esc(e.key)}">` +
          `<td class="l">${esc(layer.name)}</td>` +
          `<td>${layer.n}</td>` +
           `<td class="l nw"><span class="sw" style="background:${epsColor(i)}"></span>${esc(e.key)}${layer.relative ? '·λmax' : ''}</td>` +
          `<td>${first}</td>` +
          `<td class="final" data-value="${final}"><b>${final}</b></td>` +
          `<td>${extent(e.ranks)[1]}</td>` +
          `<td class="stairs" data-value="${s.stairs.length}">${s.stairs.length}</td>` +
          `<td class="jump-count" data-value="${s.jumps.length}">${s.jumps.length}</td>` +
          `<td class="jumps">${jumpList(layer, i)}</td>` +
          `<td class="spearman" data-value="${s.spearman ?? ''}">${fmtNum(s.spearman)}</td>` +
          `<td class="loss-drop" data-value="${s.lossDropAtJumps ?? ''}">${fmtPct(s.lossDropAtJumps)}</td>` +
          `<td class="trend" data-value="${s.trend}">${esc(describeTrend(s))}</td>` +
          `<td class="monotone">${s.monotone ? 'yes' : 'no'}</td>` +
          `</tr>`,
      );
    });
  }
  return (
    `<div class="table-wrap"><table class="summary"><thead><tr>` +
    `<th class="l">layer</th><th>n</th><th class="l">ε</th><th>first<br>ε-rank</th><th>final<br>ε-rank</th><th>max<br>ε-rank</th>` +
    `<th>stairs</th><th>jumps</th><th class="jumps">jumps at ${esc(data.xLabel)}<br>(ε-rank from→to)</th>` +
    `<th title="Spearman rank correlation between loss and ε-rank">Spearman<br>ρ(loss, rank)</th>` +
    `<th title="share of the log-loss decrease inside the windows around the jumps">loss drop<br>at jumps</th><th class="l" title="which way the stairs go: rising, falling, or the phases in order">trend</th><th>monotone</th>` +
    `</tr></thead><tbody>${rows.join('')}</tbody></table></div>`
  );
}

function figure(chart: ReportChart): string {
  return `<figure id="${esc(chart.name)}">${chart.svg}<figcaption>${esc(chart.caption)}</figcaption></figure>`;
}

function meta(data: ReportData): string {
  const [first, last] = extent(data.layers.map((l) => l.steps[0]!).concat(data.layers.map((l) => l.steps[l.steps.length - 1]!)));
  const lastLoss = [...data.layers[0]!.records].reverse().find((r) => r.loss !== null)?.loss ?? null;
  const eps = [...new Set(data.layers.flatMap((l) => l.eps.map((e) => e.key)))];
  const methods = [...new Set(data.layers.flatMap((l) => l.methods))];
  const parts = [
    data.source === undefined ? null : `log <code>${esc(data.source)}</code>`,
    `${data.records} record${data.records === 1 ? '' : 's'}`,
    `${data.layers.length} layer${data.layers.length === 1 ? '' : 's'}`,
    `ε = ${eps.map(esc).join(', ')}${data.layers.some((l) => l.relative) ? ' (relative to λmax)' : ''}`,
    `${esc(data.xLabel)} ${first}–${last}`,
    lastLoss === null ? null : `final loss ${lastLoss.toPrecision(4)}`,
    methods.length ? `method ${methods.map(esc).join(', ')}` : null,
  ];
  return `<p class="meta">${parts.filter((p) => p !== null).join(' · ')}</p>`;
}

function layerSection(data: ReportData, layer: LayerData, charts: ReportChart[]): string {
  const notes: string[] = [];
  if (layer.records.length === 1) notes.push('Only one measurement for this layer: there is no staircase to see yet.');
  if (layer.duplicates > 0) notes.push(`${layer.duplicates} record${layer.duplicates === 1 ? '' : 's'} repeated an earlier step of this layer; the last one written for each step is shown.`);
  if (layer.spectra.length === 0) {
    notes.push('No eigenvalues in the log for this layer (RankTracker stores them unless <code>spectrum: false</code>), so its spectrum chart is left out.');
  } else if (layer.spectra.length < layer.records.length) {
    notes.push(`Eigenvalues were recorded at ${layer.spectra.length} of ${layer.records.length} measurements; the spectrum chart uses those.`);
  }
  const mine = charts.filter((c) => c.layer === layer.name);
  return (
    `<section class="layer" data-layer="${esc(layer.name)}">` +
    `<h2>Layer ${esc(layer.name)} <small>n = ${layer.n} neurons · N = ${layer.N} probe points · ${layer.records.length} measurements</small></h2>` +
    notes.map((n) => `<p class="note">${n}</p>`).join('') +
    mine.map(figure).join('') +
    `</section>`
  );
}

function explanations(data: ReportData): string {
  return (
    `<dl>` +
    `<dt>ε-rank</dt><dd>The number of eigenvalues of the layer's Gram matrix M = Φᵀ diag(w) Φ greater than ε (Φ: the layer's activations on the probe points).</dd>` +
    `<dt>stairs and jumps</dt><dd>From <code>detectStaircase</code>: maximal runs of constant (flicker-smoothed) ε-rank, and the rises between them.</dd>` +
    `<dt>Spearman ρ(loss, rank)</dt><dd>Rank correlation between the training loss and the ε-rank over the measurements with a loss; the staircase predicts a strongly negative value. “—”: fewer than 3 losses or a constant series.</dd>` +
    `<dt>loss drop at jumps</dt><dd>Share of the total log-loss decrease that happens in the windows around the jumps.</dd>` +
    `<dt>trend</dt><dd>Which way the stairs go: rising (every jump up), falling (every jump down), or the phases of a series that does both, in order (“rising, then falling”).</dd>` +
    `<dt>monotone</dt><dd>The stairs never fall below their running maximum by more than the tolerance.</dd>` +
    `</dl>` +
    (data.layers.some((l) => l.records.length > data.maxPoints) ? `<p class="meta">Lines with more than ${data.maxPoints} points are downsampled (each bucket keeps its first, lowest, highest and last point).</p>` : '')
  );
}

/** The report's body: `<main data-records="<count>">`, which a live page swaps whole as records arrive. */
export function mainOf(data: ReportData, charts: ReportChart[]): string {
  return (
    `<main data-records="${data.records}">\n` +
    `<header><h1>${esc(data.title)}</h1>${meta(data)}</header>\n` +
    `<section class="summary"><h2>Summary</h2>${summaryTable(data)}${explanations(data)}</section>\n` +
    data.layers.map((l) => layerSection(data, l, charts)).join('\n') +
    `\n</main>`
  );
}

/** A live page (effrank watch): its status line and one inline script, allowed by hash, that may only connect back to its origin. */
export interface LivePart {
  status: string;
  script: string;
  footer: string;
}

/** The page around a `<main>`; without `live`, no script at all. */
export function pageAround(title: string, main: string, live?: LivePart): string {
  const csp = live
    ? `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${createHash('sha256').update(live.script).digest('base64')}'; connect-src 'self'`
    : `default-src 'none'; style-src 'unsafe-inline'`;
  return (
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<meta name="generator" content="effrank report">\n` +
    `<title>${esc(title)}</title>\n<style>${CSS}</style>\n</head>\n<body>\n` +
    (live ? `${live.status}\n` : '') +
    `${main}\n` +
    `<footer>${live ? live.footer : 'Generated by <code>effrank report</code>. One self-contained file: inline SVG and CSS, no scripts, nothing fetched.'}</footer>\n` +
    (live ? `<script>${live.script}</script>\n` : '') +
    `</body>\n</html>\n`
  );
}

/** The page for prepared data and its charts. */
export function pageOf(data: ReportData, charts: ReportChart[]): string {
  return pageAround(data.title, mainOf(data, charts));
}

/** The HTML report of a run: one self-contained page (see the module comment). */
export function renderReport(records: readonly RankRecord[], options: ReportOptions = {}): string {
  const data = buildReportData(records, options);
  return pageOf(data, chartsOf(data));
}
