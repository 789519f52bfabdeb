/**
 * The slice of the TensorFlow.js API the tracker uses, typed structurally.
 * effrank never imports tfjs: it uses the caller's namespace, so whichever
 * copy they run (@tensorflow/tfjs, tfjs-node, tfjs-node-gpu) is the one
 * whose engine owns every tensor created here.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

export interface TensorLike {
  readonly shape: number[];
  readonly dtype: string;
  readonly isDisposed?: boolean;
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
  reshape(shape: number[]): TensorLike;
  slice(begin: number[], size?: number[]): TensorLike;
}

export interface SymbolicTensorLike {
  readonly shape: (number | null)[];
}

export interface LayerLike {
  readonly name: string;
  getClassName(): string;
  readonly output: SymbolicTensorLike | SymbolicTensorLike[];
}

export interface LayersModelLike {
  readonly layers: LayerLike[];
  readonly inputs: SymbolicTensorLike[];
  readonly outputs: SymbolicTensorLike[];
  predict(x: TensorLike, config?: unknown): TensorLike | TensorLike[];
  getLayer(name?: string, index?: number): LayerLike;
}

export interface TfNamespace {
  getBackend(): string;
  tidy<T>(fn: () => T): T;
  model(config: { inputs: any; outputs: any; name?: string }): LayersModelLike;
  matMul(a: TensorLike, b: TensorLike, transposeA?: boolean, transposeB?: boolean): TensorLike;
  tensor1d(values: ArrayLike<number>, dtype?: string): TensorLike;
  mul(a: TensorLike | number, b: TensorLike | number): TensorLike;
  sub(a: TensorLike | number, b: TensorLike | number): TensorLike;
  sum(x: TensorLike, axis?: number | number[], keepDims?: boolean): TensorLike;
  outerProduct(a: TensorLike, b: TensorLike): TensorLike;
  memory(): { numTensors: number };
}
