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
  predict(...args: any[]): any;
}

// Loose signatures on purpose: tfjs's own overloads (and its versions) must
// all be assignable to this.
export interface TfNamespace {
  getBackend(): string;
  tidy(...args: any[]): any;
  model(...args: any[]): any;
  matMul(...args: any[]): any;
  tensor1d(...args: any[]): any;
  mul(...args: any[]): any;
  sub(...args: any[]): any;
  sum(...args: any[]): any;
  mean(...args: any[]): any;
  outerProduct(...args: any[]): any;
  memory(): { numTensors: number };
}
