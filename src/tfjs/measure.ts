/**
 * Turns one layer's activations (or device Gram) into a record's measures,
 * off the main thread: a float64 Gram on the native queue, its eigenvalues,
 * and the SVD of the weighted activations only when ε lies below what the
 * Gram resolves.
 */
import { eigvalshAsync } from '../linalg/eigh.js';
import { gramEigenvaluesAsync } from '../spectrum/gram-spectrum.js';
import { descending, gramResolution, transformRows } from '../spectrum/features.js';
import { measuresFromEigenvalues } from '../rank/report.js';
import { svdvalsAsync } from '../linalg/svd.js';
import type { LayerFeatures } from './extract.js';
import type { MeasureName, RankRecord, ResolvedOptions } from './options.js';

export type LayerMeasures = Omit<RankRecord, 'step' | 'epoch' | 'batch' | 'loss' | 'ms' | 'skipped'>;

/** Ascending eigenvalues of the float64 Gram of host-side activations: one native job when unchunked. */
async function hostEigenvalues(lf: LayerFeatures, o: ResolvedOptions): Promise<ArrayLike<number>> {
  if (lf.features) {
    return gramEigenvaluesAsync({ data: lf.features, rows: lf.N, cols: lf.n }, { weights: lf.weights, scale: o.scale, center: o.center });
  }
  const acc = lf.accumulator!;
  const g = (o.center ? acc.centeredGram() : acc.gram()).data;
  if (o.scale !== 1) for (let i = 0; i < g.length; i++) g[i]! *= o.scale;
  return eigvalshAsync({ data: g, rows: lf.n, cols: lf.n });
}

export async function measureLayer(lf: LayerFeatures, o: ResolvedOptions): Promise<LayerMeasures> {
  const onDevice = lf.deviceGram !== undefined;
  const asc = onDevice ? await eigvalshAsync({ data: lf.deviceGram!, rows: lf.n, cols: lf.n }) : await hostEigenvalues(lf, o);
  let lambda = descending(asc);
  let method: RankRecord['method'] = onDevice ? 'gram-device' : 'gram-host';
  // A device Gram is float32; the host Gram is float64 from float32 activations.
  let resolution = gramResolution(onDevice ? 'float32' : 'float64');
  const lambdaMax = Math.max(lambda[0] ?? 0, 0);
  const thresholds = o.relative ? o.eps.map((e) => e * lambdaMax) : o.eps;
  let resolved = Math.min(...thresholds) >= resolution * lambdaMax;
  if (!resolved && lf.features) {
    const input = transformRows({ data: lf.features, rows: lf.N, cols: lf.n }, lf.weights, { center: o.center, rootWeights: true });
    const sigma = await svdvalsAsync(input);
    lambda = new Float64Array(lf.n);
    for (let i = 0; i < sigma.length; i++) lambda[i] = o.scale * sigma[i]! * sigma[i]!;
    method = 'svd';
    resolution = 0;
    resolved = true;
  }
  const m = measuresFromEigenvalues(lambda, {
    eps: o.eps,
    relative: o.relative,
    rows: lf.N,
    cols: lf.n,
    dtype: 'float32',
    gramResolution: method === 'svd' ? undefined : resolution,
  });
  const counts = m.epsRank as number[];
  const record: LayerMeasures = {
    layer: lf.layer,
    n: lf.n,
    N: lf.N,
    features: lf.mode,
    epsRank: Object.fromEntries(o.eps.map((e, i) => [String(e), counts[i]!])),
    lambdaMax: m.lambdaMax,
    method,
    resolved,
  };
  for (const name of ['numericalRank', 'entropyRank', 'stableRank', 'participationRatio', 'approximateRank'] as const satisfies readonly MeasureName[]) {
    if (o.measures.has(name)) record[name] = m[name];
  }
  if (o.spectrum) record.eigenvalues = Array.from(lambda);
  return record;
}
