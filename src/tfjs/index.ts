/** effrank/tfjs: rank tracking inside TensorFlow.js training loops. Takes the caller's `tf`; imports none. */
export { RankTracker } from './tracker.js';
export type { TrackerCallback } from './tracker.js';
export type { RankTrackerOptions, RankRecord, MeasureName, FeatureMode, LayerSpec } from './options.js';
export { MEASURES, FEATURE_MODES, hiddenLayers } from './options.js';
export { rankAt, epsKey } from './rank-at.js';
export type { TfNamespace, TensorLike, LayersModelLike, LayerLike } from './types.js';
export { detectStaircase } from '../analysis/staircase.js';
