/** Reading feature matrices from files: .npy, .npz, .safetensors, CSV/TSV/whitespace text, raw .f32/.f64. */
export { readNpy, parseNpyHeader, npyLayout, NPY_MAGIC } from './npy.js';
export type { NpyArray, NpyHeader } from './npy.js';
export { readDelimited, parseDelimited, delimitedChunks, parseCell } from './delimited.js';
export type { Delimiter, DelimitedOptions, DelimitedStreamOptions, DelimitedChunk, DelimitedTable } from './delimited.js';
export { npzLayout, listNpz } from './npz.js';
export type { NpzLayout } from './npz.js';
export { safetensorsHeader, safetensorsLayout, listSafetensors, pickTensor } from './safetensors.js';
export type { SafetensorsHeader, SafetensorsTensor, SafetensorsLayout } from './safetensors.js';
export { readRaw, parseShape } from './raw.js';
export type { RawDType, RawOptions } from './raw.js';
export { readFeatures, readWeights, detectFormat, FEATURE_FORMATS, DEFAULT_STREAM_ABOVE, DEFAULT_CHUNK_BYTES } from './read-features.js';
export type { FeatureFile, FeatureFormat, ReadFeaturesOptions } from './read-features.js';
export type { ElementType } from './binary.js';
