/**
 * The report's charts, as standalone SVG strings (hand-written, no charting
 * library). Per layer:
 *
 * - `<layer>-rank`: two stacked panels sharing the x axis: training loss on a
 *   log axis above, the ε-rank of every ε below, with detectStaircase's
 *   stairs (translucent bands at the plateau's rank) and jumps (dashed
 *   vertical lines through both panels, so loss drops line up with them).
 * - `<layer>-spectrum`: every eigenvalue of the layer's Gram matrix over the
 *   steps on a log axis (one line per eigenvalue index, coloured by index),
 *   with each ε as a dashed line; omitted when the log has no eigenvalues.
 *
 * Plus `renderStaircaseSvg`, one compact panel (rank and loss on two y axes)
 * for a README picture.
 */
import { invalidArgument } from '../core/errors.js';
import { checkKnownKeys } from '../core/options.js';
import type { RankRecord } from '../tfjs/options.js';
import { type LayerData, type ReportData, type ReportOptions, buildReportData, slug } from './model.js';
import { type Scale, downsampleIndices, extent, linearScale, logScale, pow10Label } from './scales.js';
import { el, num, svgDocument, text, textWidth, tooltip } from './svg.js';

export const EPS_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#7f3b08', '#2d004b'];
export const LOSS_COLOR = '#333333';
const GRID = '#e6e6e6';
const AXIS = '#555555';
const INK = '#222222';

export interface ReportChart {
  /** File-name-safe, unique: `<layer>-rank` or `<layer>-spectrum`. */
  name: string;
  layer: string;
  kind: 'rank' | 'spectrum';
  title: string;
  /** One or two sentences saying how to read the chart. */
  caption: string;
  svg: string;
}

export function epsColor(i: number): string {
  return EPS_COLORS[i % EPS_COLORS.length]!;
}

/** Viridis, sampled at 9 stops; t in [0, 1]. */
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];
export function viridis(t: number): string {
  const x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  const c = (k: number) => Math.round(parseInt(a.slice(k, k + 2), 16) * (1 - f) + parseInt(b.slice(k, k + 2), 16) * f);
  return `#${[1, 3, 5].map((k) => c(k).toString(16).padStart(2, '0')).join('')}`;
}

function epsLabel(key: string, relative: boolean): string {
  return relative ? `ε = ${key}·λmax` : `ε = ${key}`;
}

// ---------------------------------------------------------------- axes

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

function frame(b: Box): string {
  return el('rect', { x: b.x, y: b.y, width: b.w, height: b.h, fill: 'none', stroke: AXIS, 'stroke-width': 1 });
}

function gridY(s: Scale, b: Box): string {
  const major = s.ticks.map((t) => el('line', { x1: b.x, x2: b.x + b.w, y1: s.map(t.value), y2: s.map(t.value), stroke: GRID }));
  const minor = s.minor.map((v) => el('line', { x1: b.x, x2: b.x + b.w, y1: s.map(v), y2: s.map(v), stroke: '#f3f3f3' }));
  return [...minor, ...major].join('');
}

function gridX(s: Scale, b: Box): string {
  return s.ticks.map((t) => el('line', { x1: s.map(t.value), x2: s.map(t.value), y1: b.y, y2: b.y + b.h, stroke: GRID })).join('');
}

/** Ticks and labels on the left (or right) edge of a box, and a rotated axis title. */
function axisY(s: Scale, b: Box, title: string, side: 'left' | 'right' = 'left'): string {
  const x = side === 'left' ? b.x : b.x + b.w;
  const dir = side === 'left' ? -1 : 1;
  const parts: string[] = [];
  for (const v of s.minor) parts.push(el('line', { x1: x, x2: x + dir * 3, y1: s.map(v), y2: s.map(v), stroke: AXIS }));
  let widest = 0;
  for (const t of s.ticks) {
    const y = s.map(t.value);
    parts.push(el('line', { x1: x, x2: x + dir * 5, y1: y, y2: y, stroke: AXIS }));
    parts.push(text(x + dir * 8, y + 4, t.label, { 'text-anchor': side === 'left' ? 'end' : 'start', 'font-size': 11, fill: INK, class: 'tick', 'data-value': String(t.value) }));
    widest = Math.max(widest, textWidth(t.label, 11));
  }
  const tx = x + dir * (14 + widest);
  const ty = b.y + b.h / 2;
  parts.push(text(tx, ty, title, { 'text-anchor': 'middle', 'font-size': 12, fill: INK, transform: `rotate(${side === 'left' ? -90 : 90} ${num(tx)} ${num(ty)})`, class: 'axis-title' }));
  return el('g', { class: `axis axis-y ${side}`, 'data-scale': s.kind }, parts.join(''));
}

function axisX(s: Scale, b: Box, title: string): string {
  const y = b.y + b.h;
  const parts: string[] = [];
  for (const t of s.ticks) {
    const x = s.map(t.value);
    parts.push(el('line', { x1: x, x2: x, y1: y, y2: y + 5, stroke: AXIS }));
    parts.push(text(x, y + 18, t.label, { 'text-anchor': 'middle', 'font-size': 11, fill: INK, class: 'tick', 'data-value': String(t.value) }));
  }
  parts.push(text(b.x + b.w / 2, y + 38, title, { 'text-anchor': 'middle', 'font-size': 12, fill: INK, class: 'axis-title' }));
  return el('g', { class: 'axis axis-x', 'data-scale': s.kind }, parts.join(''));
}

// ---------------------------------------------------------------- legend

type LegendItem =
  | { kind: 'line' | 'dash'; color: string; label: string }
  | { kind: 'band'; color: string; label: string }
  | { kind: 'ramp'; label: string; from: string; to: string };

/** Legend items laid out left to right, wrapping within `width`. */
function legend(items: LegendItem[], x0: number, y0: number, width: number): { svg: string; height: number } {
  const rowH = 18;
  const parts: string[] = [];
  let x = x0;
  let y = y0;
  for (const item of items) {
    const swatch = item.kind === 'ramp' ? 96 : 24;
    const w = item.kind === 'ramp' ? textWidth(item.label, 11) + 6 + textWidth(item.from, 11) + swatch + textWidth(item.to, 11) + 10 : swatch + 6 + textWidth(item.label, 11);
    if (x > x0 && x + w > x0 + width) {
      x = x0;
      y += rowH;
    }
    const cy = y + rowH / 2;
    if (item.kind === 'line') parts.push(el('line', { x1: x, x2: x + swatch, y1: cy, y2: cy, stroke: item.color, 'stroke-width': 2 }));
    else if (item.kind === 'dash') parts.push(el('line', { x1: x, x2: x + swatch, y1: cy, y2: cy, stroke: item.color, 'stroke-width': 1.5, 'stroke-dasharray': '4 3' }));
    else if (item.kind === 'band') parts.push(el('rect', { x, y: cy - 4, width: swatch, height: 8, fill: item.color, 'fill-opacity': 0.3 }));
    if (item.kind === 'ramp') {
      let cx = x;
      parts.push(text(cx, cy + 4, item.label, { 'font-size': 11, fill: INK }));
      cx += textWidth(item.label, 11) + 6;
      parts.push(text(cx, cy + 4, item.from, { 'font-size': 11, fill: INK }));
      cx += textWidth(item.from, 11) + 3;
      const k = 12;
      for (let i = 0; i < k; i++) parts.push(el('rect', { x: cx + (i * (swatch - 6)) / k, y: cy - 5, width: (swatch - 6) / k + 0.5, height: 10, fill: viridisSpectrum(i / (k - 1)) }));
      cx += swatch - 3;
      parts.push(text(cx, cy + 4, item.to, { 'font-size': 11, fill: INK }));
    } else {
      parts.push(text(x + swatch + 6, cy + 4, item.label, { 'font-size': 11, fill: INK }));
    }
    x += w + 18;
  }
  return { svg: el('g', { class: 'legend' }, parts.join('')), height: y - y0 + rowH };
}

/** Index colours of the spectrum chart: viridis without its palest yellow, which vanishes on white. */
function viridisSpectrum(t: number): string {
  return viridis(0.9 * t);
}

// ---------------------------------------------------------------- series

/** Step-after path through the points (x ascending): the rank holds until the next measurement. */
function stepPath(xs: number[], ys: number[]): string {
  if (xs.length === 0) return '';
  let d = `M${num(xs[0]!)},${num(ys[0]!)}`;
  for (let i = 1; i < xs.length; i++) d += `H${num(xs[i]!)}V${num(ys[i]!)}`;
  return d;
}

/** Runs of consecutive indices where `ok` holds. */
function runs(count: number, ok: (i: number) => boolean): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  for (let i = 0; i < count; i++) {
    if (ok(i)) cur.push(i);
    else if (cur.length > 0) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** A polyline (or a dot for a single point) through the given data points, downsampled to `maxPoints`. */
function line(xs: number[], ys: number[], sx: Scale, sy: Scale, maxPoints: number, a: Record<string, string | number>, logY = false): string {
  const keep = downsampleIndices(logY ? ys.map((v) => Math.log10(v)) : ys, maxPoints);
  if (keep.length === 1) {
    const i = keep[0]!;
    return el('circle', { cx: sx.map(xs[i]!), cy: sy.map(ys[i]!), r: 2.5, fill: String(a.stroke ?? INK), class: a.class });
  }
  const pts = keep.map((i) => `${num(sx.map(xs[i]!))},${num(sy.map(ys[i]!))}`).join(' ');
  return el('polyline', { points: pts, fill: 'none', 'stroke-linejoin': 'round', ...a });
}

function steps(layer: LayerData): { min: number; max: number } {
  return { min: layer.steps[0]!, max: layer.steps[layer.steps.length - 1]! };
}

function xScale(layer: LayerData, range: [number, number]): Scale {
  const { min, max } = steps(layer);
  return linearScale(min, max, range, { integer: layer.steps.every(Number.isInteger), ticks: 8 });
}

function positive(values: Iterable<number | null>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v !== null && v > 0 && Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { min, max };
}

const W = 900;
const ML = 78;
const MR = 28;

function header(title: string, subtitle: string): string {
  return (
    text(ML, 24, title, { 'font-size': 15, 'font-weight': 'bold', fill: INK, class: 'chart-title' }) +
    text(W - MR, 24, subtitle, { 'font-size': 11, fill: '#666666', 'text-anchor': 'end' })
  );
}

// ---------------------------------------------------------------- rank chart

function rankChart(data: ReportData, layer: LayerData, name: string): ReportChart {
  const pw = W - ML - MR;
  const items: LegendItem[] = [{ kind: 'line', color: LOSS_COLOR, label: 'training loss' }];
  layer.eps.forEach((e, i) => items.push({ kind: 'line', color: epsColor(i), label: `ε-rank, ${epsLabel(e.key, layer.relative)}` }));
  items.push({ kind: 'band', color: '#777777', label: 'stair (plateau)' });
  items.push({ kind: 'dash', color: '#777777', label: 'jump' });
  const leg = legend(items, ML, 34, pw);
  const top = 34 + leg.height + 10;
  const lossBox: Box = { x: ML, y: top, w: pw, h: 150 };
  const rankBox: Box = { x: ML, y: top + 150 + 14, w: pw, h: 230 };
  const H = rankBox.y + rankBox.h + 50;

  const sx = xScale(layer, [ML, ML + pw]);
  const lossRange = positive(layer.losses);
  const hasLoss = lossRange.max > 0;
  const sl = logScale(lossRange.min, lossRange.max, [lossBox.y + lossBox.h, lossBox.y], 6);
  let rmin = Infinity;
  let rmax = -Infinity;
  for (const e of layer.eps) for (const r of e.ranks) [rmin, rmax] = [Math.min(rmin, r), Math.max(rmax, r)];
  const sr = linearScale(rmin, rmax, [rankBox.y + rankBox.h, rankBox.y], { integer: true, ticks: 7 });

  const body: string[] = [header(`${layer.name}: training loss and ε-rank`, `n = ${layer.n} neurons · N = ${layer.N} probe points`), leg.svg];
  body.push(gridX(sx, lossBox), gridY(sl, lossBox), gridX(sx, rankBox), gridY(sr, rankBox));

  // Stairs, under the lines.
  layer.eps.forEach((e, i) => {
    for (const s of e.staircase.stairs) {
      const x1 = sx.map(s.startStep);
      const x2 = Math.max(sx.map(s.endStep), x1 + 3);
      body.push(
        el(
          'rect',
          { x: x1, y: sr.map(s.rank) - 4, width: x2 - x1, height: 8, fill: epsColor(i), 'fill-opacity': 0.22, class: 'stair', 'data-layer': layer.name, 'data-eps': e.key, 'data-rank': s.rank },
          tooltip(`stair: ε-rank ${s.rank} (${epsLabel(e.key, layer.relative)}), ${data.xLabel} ${s.startStep}–${s.endStep}`),
        ),
      );
    }
  });
  // Jumps through both panels.
  layer.eps.forEach((e, i) => {
    for (const j of e.staircase.jumps) {
      const x = sx.map(j.step);
      body.push(
        el(
          'line',
          { x1: x, x2: x, y1: lossBox.y, y2: rankBox.y + rankBox.h, stroke: epsColor(i), 'stroke-width': 1.2, 'stroke-dasharray': '4 3', 'stroke-opacity': 0.7, class: 'jump', 'data-layer': layer.name, 'data-eps': e.key, 'data-step': j.step },
          tooltip(`jump at ${data.xLabel} ${j.step}: ε-rank ${j.from} → ${j.to} (${epsLabel(e.key, layer.relative)})`),
        ),
      );
    }
  });

  // Loss: segments of positive values (null or ≤ 0 cannot go on a log axis).
  if (hasLoss) {
    for (const seg of runs(layer.losses.length, (i) => (layer.losses[i] ?? 0) > 0)) {
      body.push(
        line(seg.map((i) => layer.steps[i]!), seg.map((i) => layer.losses[i]!), sx, sl, data.maxPoints, { stroke: LOSS_COLOR, 'stroke-width': 1.6, class: 'loss' }, true),
      );
    }
  } else {
    body.push(text(lossBox.x + lossBox.w / 2, lossBox.y + lossBox.h / 2, 'no positive loss recorded', { 'text-anchor': 'middle', fill: '#888888', class: 'note' }));
  }

  // ε-rank step lines.
  layer.eps.forEach((e, i) => {
    const keep = downsampleIndices(e.ranks, data.maxPoints);
    const xs = keep.map((k) => sx.map(e.steps[k]!));
    const ys = keep.map((k) => sr.map(e.ranks[k]!));
    const color = epsColor(i);
    if (keep.length > 1) body.push(el('path', { d: stepPath(xs, ys), fill: 'none', stroke: color, 'stroke-width': 1.8, class: 'rank', 'data-eps': e.key }));
    if (keep.length <= 40) xs.forEach((x, k) => body.push(el('circle', { cx: x, cy: ys[k]!, r: 2.2, fill: color, class: 'rank-point' })));
  });

  body.push(frame(lossBox), frame(rankBox));
  body.push(axisY(sl, lossBox, 'loss (log scale)'), axisY(sr, rankBox, 'ε-rank (eigenvalues > ε)'), axisX(sx, rankBox, data.xLabel));
  const title = `${layer.name}: training loss and ε-rank against ${data.xLabel}`;
  const nJumps = layer.eps.map((e) => e.staircase.jumps.length);
  const caption =
    `Top: training loss (log scale${layer.losses.some((l) => l === null || l <= 0) ? '; missing or non-positive values, e.g. before training, are left out' : ''}). ` +
    `Bottom: ε-rank per ε as a step line; bands mark the stairs (plateaus) and dashed lines the jumps found by detectStaircase ` +
    `(${layer.eps.map((e, i) => `${e.staircase.stairs.length} stairs and ${nJumps[i]} jumps for ε = ${e.key}`).join('; ')}).`;
  return { name, layer: layer.name, kind: 'rank', title, caption, svg: svgDocument(W, H, title, body.join(''), { class: 'chart chart-rank', 'data-layer': layer.name }) };
}

// ---------------------------------------------------------------- spectrum chart

/** Eigenvalues within this factor of a threshold (either side) count as near ε: every one of them is drawn. */
const NEAR_EPS = 10;

/**
 * Indices to draw: all up to 128. Beyond that, every index whose eigenvalue
 * comes within NEAR_EPS of a threshold at some measurement (and the indices
 * on either side of each ε-rank, the ones crossing ε), plus the 32 largest and
 * 64 spread over the rest for the shape of the spectrum.
 */
function spectrumIndices(spectra: LayerData['spectra'], m: number, thresholdsAt: (lambdaMax: number) => number[]): number[] {
  if (m <= 128) return Array.from({ length: m }, (_, i) => i);
  const keep = new Set<number>();
  for (let i = 0; i < 32; i++) keep.add(i);
  for (let k = 0; k < 64; k++) keep.add(32 + Math.round((k * (m - 33)) / 63));
  for (const s of spectra) {
    for (const t of thresholdsAt(s.lambdaMax)) {
      let above = 0;
      s.values.forEach((v, i) => {
        if (v > t) above++;
        if (v >= t / NEAR_EPS && v <= t * NEAR_EPS) keep.add(i);
      });
      keep.add(above - 1);
      keep.add(above);
    }
  }
  return [...keep].filter((i) => i >= 0 && i < m).sort((a, b) => a - b);
}

/** Lowest eigenvalue shown, relative to the largest: below it is rounding noise for any Gram. */
const SPECTRUM_FLOOR = 1e-13;

function spectrumChart(data: ReportData, layer: LayerData, name: string): ReportChart {
  const pw = W - ML - MR;
  const spectra = layer.spectra;
  const m = extent(spectra.map((s) => s.values.length))[1];
  const indices = spectrumIndices(spectra, m, (lambdaMax) => layer.eps.map((e) => (layer.relative ? e.eps * lambdaMax : e.eps)));
  const items: LegendItem[] = layer.eps.map((e, i) => ({ kind: 'dash' as const, color: epsColor(i), label: epsLabel(e.key, layer.relative) }));
  items.push({ kind: 'ramp', label: 'eigenvalue index', from: '1', to: String(m) });
  const leg = legend(items, ML, 34, pw);
  const box: Box = { x: ML, y: 34 + leg.height + 10, w: pw, h: 300 };
  const H = box.y + box.h + 50;

  const sx = xScale(layer, [ML, ML + pw]);
  const range = positive((function* () {
    for (const s of spectra) yield* s.values;
  })());
  const thresholds = positive((function* () {
    for (const e of layer.eps) {
      if (layer.relative) for (const s of spectra) yield e.eps * s.lambdaMax;
      else yield e.eps;
    }
  })());
  let hi = Math.max(range.max, thresholds.max);
  if (!(hi > 0) || !Number.isFinite(hi)) hi = 1;
  const floor = hi * SPECTRUM_FLOOR;
  const lo = Math.max(Math.min(range.min, thresholds.min / 3), floor);
  const sy = logScale(lo, hi, [box.y + box.h, box.y], 8);
  const clamped = spectra.some((s) => s.values.some((v) => !(v >= sy.domain[0])));

  const body: string[] = [
    header(`${layer.name}: eigenvalues of the Gram matrix`, `${m} eigenvalue${m === 1 ? '' : 's'} · ${spectra.length} measurement${spectra.length === 1 ? '' : 's'}`),
    leg.svg,
    gridX(sx, box),
    gridY(sy, box),
  ];
  const xs = spectra.map((s) => s.step);
  const perLine = Math.max(100, Math.min(data.maxPoints, Math.floor(60000 / indices.length)));
  const dots = spectra.length <= 3;
  // Smallest eigenvalues first so the leading ones are drawn on top.
  for (const i of [...indices].reverse()) {
    const color = viridisSpectrum(m > 1 ? i / (m - 1) : 0);
    const ys = spectra.map((s) => s.values[i] ?? NaN);
    const g: string[] = [];
    for (const seg of runs(ys.length, (k) => !Number.isNaN(ys[k]!))) {
      const sxs = seg.map((k) => xs[k]!);
      const sys = seg.map((k) => Math.max(ys[k]!, sy.domain[0]));
      g.push(line(sxs, sys, sx, sy, perLine, { stroke: color, 'stroke-width': 1.2 }, true));
      if (dots && seg.length > 1) seg.forEach((k) => g.push(el('circle', { cx: sx.map(xs[k]!), cy: sy.map(Math.max(ys[k]!, sy.domain[0])), r: 2, fill: color })));
    }
    body.push(el('g', { class: 'eigenvalue', 'data-index': i + 1 }, tooltip(`λ${i + 1}`), g.join('')));
  }
  // ε: a horizontal line (absolute) or ε·λmax over the steps (relative).
  layer.eps.forEach((e, i) => {
    const color = epsColor(i);
    const label = epsLabel(e.key, layer.relative);
    if (layer.relative) {
      body.push(line(xs, spectra.map((s) => e.eps * s.lambdaMax), sx, sy, data.maxPoints, { stroke: color, 'stroke-width': 1.5, 'stroke-dasharray': '6 4', class: 'eps-line', 'data-eps': e.key }, true));
    } else {
      const y = sy.map(e.eps);
      body.push(el('line', { x1: box.x, x2: box.x + box.w, y1: y, y2: y, stroke: color, 'stroke-width': 1.5, 'stroke-dasharray': '6 4', class: 'eps-line', 'data-eps': e.key }, tooltip(label)));
      body.push(text(box.x + box.w - 6, y - 5, label, { 'text-anchor': 'end', 'font-size': 11, fill: color, 'font-weight': 'bold', stroke: '#ffffff', 'stroke-width': 3, 'paint-order': 'stroke', 'stroke-linejoin': 'round' }));
    }
  });
  body.push(frame(box), axisY(sy, box, 'eigenvalue λ (log scale)'), axisX(sx, box, data.xLabel));
  const title = `${layer.name}: Gram eigenvalues against ${data.xLabel}`;
  const caption =
    `Each line is one eigenvalue λ_i of the layer's Gram matrix (index 1 = largest, dark) over training; ` +
    `the ε-rank counts the lines above the dashed ε line${layer.relative ? ' (ε relative to λmax, so the line follows λmax)' : ''}.` +
    (indices.length < m ? ` ${indices.length} of the ${m} indices are drawn: every eigenvalue that comes within a factor ${NEAR_EPS} of ε, the 32 largest, and 64 spread over the rest.` : '') +
    (clamped ? ` Values below ${pow10Label(Math.round(Math.log10(sy.domain[0])))} (rounding noise, zero or negative) sit on the bottom edge.` : '');
  return { name, layer: layer.name, kind: 'spectrum', title, caption, svg: svgDocument(W, H, title, body.join(''), { class: 'chart chart-spectrum', 'data-layer': layer.name }) };
}

// ---------------------------------------------------------------- public

/** Charts for prepared report data (see renderCharts). */
export function chartsOf(data: ReportData): ReportChart[] {
  const taken = new Set<string>();
  const out: ReportChart[] = [];
  for (const layer of data.layers) {
    const s = slug(layer.name, taken);
    out.push(rankChart(data, layer, `${s}-rank`));
    if (layer.spectra.length > 0) out.push(spectrumChart(data, layer, `${s}-spectrum`));
  }
  return out;
}

/**
 * Every chart of the report, as standalone SVG documents: per layer (in order
 * of first appearance) `<layer>-rank`, then `<layer>-spectrum` when the
 * records carry eigenvalues.
 */
export function renderCharts(records: readonly RankRecord[], options: ReportOptions = {}): ReportChart[] {
  return chartsOf(buildReportData(records, options));
}

export interface StaircaseSvgOptions extends ReportOptions {
  /** Layer to draw. Default: the last layer to appear in the records (the tracker's default, last hidden). */
  layer?: string;
  /** ε to draw, as a number or its epsRank key. Default: the first. */
  eps?: number | string;
  width?: number;
  height?: number;
  /**
   * Fixed axis ranges, so that several panels share their axes (effrank
   * compare): steps (x), ε-rank (left y) and loss (right y, > 0). Each
   * defaults to the range of this panel's own data.
   */
  domains?: StaircaseDomains;
}

export interface StaircaseDomains {
  steps?: [number, number];
  rank?: [number, number];
  loss?: [number, number];
}

function checkDomain(d: unknown, what: string, positiveOnly = false): [number, number] | undefined {
  if (d === undefined) return undefined;
  const ok = Array.isArray(d) && d.length === 2 && d.every((v) => typeof v === 'number' && Number.isFinite(v) && (!positiveOnly || v > 0)) && d[0] <= d[1];
  if (!ok) throw invalidArgument(`renderStaircaseSvg: domains.${what} must be [lo, hi] with finite${positiveOnly ? ' positive' : ''} lo ≤ hi, got ${JSON.stringify(d)}`);
  return d as [number, number];
}

/**
 * One compact SVG of the staircase for a README: the ε-rank of one layer and
 * ε as a step line over shaded stairs, jumps dashed, and the training loss on
 * a log axis on the right.
 */
export function renderStaircaseSvg(records: readonly RankRecord[], options: StaircaseSvgOptions = {}): string {
  const data = buildReportData(records, options);
  const layer = options.layer === undefined ? data.layers[data.layers.length - 1]! : data.layers.find((l) => l.name === options.layer);
  if (!layer) throw invalidArgument(`renderStaircaseSvg: no records for layer '${String(options.layer)}'; the log has ${data.layers.map((l) => l.name).join(', ')}`);
  const ei = options.eps === undefined ? 0 : layer.eps.findIndex((e) => e.key === String(options.eps) || e.eps === Number(options.eps));
  const e = layer.eps[ei];
  if (!e) throw invalidArgument(`renderStaircaseSvg: no ε = ${String(options.eps)} in the records; they have ${layer.eps.map((x) => x.key).join(', ')}`);
  const width = options.width ?? 720;
  const height = options.height ?? 320;
  if (!(width >= 320 && height >= 200)) throw invalidArgument('renderStaircaseSvg: width must be ≥ 320 and height ≥ 200');

  const domains = options.domains ?? {};
  if (domains === null || typeof domains !== 'object') throw invalidArgument('renderStaircaseSvg: domains must be an object');
  checkKnownKeys(domains, ['steps', 'rank', 'loss'], 'renderStaircaseSvg: domains');
  const fixedSteps = checkDomain(domains.steps, 'steps');
  const fixedRank = checkDomain(domains.rank, 'rank');
  const fixedLoss = checkDomain(domains.loss, 'loss', true);
  const color = epsColor(ei);
  const ml = 62;
  const mr = 70;
  const pw = width - ml - mr;
  const items: LegendItem[] = [
    { kind: 'line', color, label: `ε-rank (${epsLabel(e.key, layer.relative)})` },
    { kind: 'line', color: '#999999', label: 'training loss' },
    { kind: 'band', color, label: 'stair' },
    { kind: 'dash', color, label: 'jump' },
  ];
  const leg = legend(items, ml, 32, pw);
  const box: Box = { x: ml, y: 32 + leg.height + 8, w: pw, h: height - (32 + leg.height + 8) - 48 };
  const [x0, x1] = fixedSteps ?? [e.steps[0]!, e.steps[e.steps.length - 1]!];
  const sx = linearScale(x0, x1, [ml, ml + pw], { integer: e.steps.every(Number.isInteger), ticks: 7 });
  const [rlo, rhi] = fixedRank ?? extent(e.ranks);
  const sr = linearScale(rlo, rhi, [box.y + box.h, box.y], { integer: true, ticks: 6 });
  const lr = fixedLoss ? { min: fixedLoss[0], max: fixedLoss[1] } : positive(layer.losses);
  const sl = logScale(lr.min, lr.max, [box.y + box.h, box.y], 6);
  const body: string[] = [text(ml, 22, options.title ?? `The ε-rank staircase: ${layer.name}`, { 'font-size': 14, 'font-weight': 'bold', fill: INK }), leg.svg, gridY(sr, box)];
  e.staircase.stairs.forEach((s, k) => {
    const x1 = sx.map(s.startStep);
    const x2 = Math.max(sx.map(s.endStep), x1 + 2);
    body.push(el('rect', { x: x1, y: box.y, width: x2 - x1, height: box.h, fill: color, 'fill-opacity': k % 2 === 0 ? 0.08 : 0.15, class: 'stair' }, tooltip(`stair: ε-rank ${s.rank}, ${data.xLabel} ${s.startStep}–${s.endStep}`)));
  });
  for (const j of e.staircase.jumps) {
    const x = sx.map(j.step);
    body.push(el('line', { x1: x, x2: x, y1: box.y, y2: box.y + box.h, stroke: color, 'stroke-dasharray': '3 3', 'stroke-opacity': 0.6, class: 'jump' }, tooltip(`jump ${j.from} → ${j.to} at ${data.xLabel} ${j.step}`)));
  }
  if (lr.max > 0) {
    for (const seg of runs(layer.losses.length, (i) => (layer.losses[i] ?? 0) > 0)) {
      body.push(line(seg.map((i) => layer.steps[i]!), seg.map((i) => layer.losses[i]!), sx, sl, data.maxPoints, { stroke: '#999999', 'stroke-width': 1.5, class: 'loss' }, true));
    }
  }
  const keep = downsampleIndices(e.ranks, data.maxPoints);
  const xs = keep.map((k) => sx.map(e.steps[k]!));
  const ys = keep.map((k) => sr.map(e.ranks[k]!));
  if (keep.length > 1) body.push(el('path', { d: stepPath(xs, ys), fill: 'none', stroke: color, 'stroke-width': 2.2, class: 'rank' }));
  else body.push(el('circle', { cx: xs[0]!, cy: ys[0]!, r: 3, fill: color }));
  body.push(frame(box), axisY(sr, box, 'ε-rank'), axisX(sx, box, data.xLabel));
  if (lr.max > 0) body.push(axisY(sl, box, 'loss (log scale)', 'right'));
  return svgDocument(width, height, `ε-rank staircase of ${layer.name}`, body.join(''), { class: 'staircase' });
}

