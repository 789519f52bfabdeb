/**
 * Loading TensorFlow.js for the CLI, fastest backend first: 'tensorflow'
 * (tfjs-node-gpu or tfjs-node, when installed), then 'wasm', then 'cpu'.
 * Only the CLI does this; the library itself always takes the caller's tf.
 */
import type { TfNamespace } from '../tfjs/types.js';

/** The one line `demo` and `compare` print (exit 2) when TensorFlow.js, an optional peer, is not installed. */
export const MISSING_TFJS = 'this command trains with TensorFlow.js, an optional peer dependency: npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Tf = TfNamespace & Record<string, any>;

async function tryImport(name: string): Promise<Tf | null> {
  try {
    return (await import(name)) as Tf;
  } catch {
    return null;
  }
}

/** Returns tfjs with the requested (or best available) backend active. */
export async function loadTf(wanted?: BackendName): Promise<{ tf: Tf; backend: BackendName; note: string }> {
  if (wanted === undefined || wanted === 'tensorflow') {
    for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      const tf = await tryImport(pkg);
      if (tf) {
        await tf.setBackend('tensorflow');
        await tf.ready();
        return { tf, backend: 'tensorflow', note: `${pkg}` };
      }
    }
    if (wanted === 'tensorflow') {
      throw new Error("backend 'tensorflow' needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu installed");
    }
  }
  const tf = await tryImport('@tensorflow/tfjs');
  if (!tf) throw new Error(MISSING_TFJS);
  if (wanted === undefined || wanted === 'wasm') {
    const wasm = await tryImport('@tensorflow/tfjs-backend-wasm');
    if (wasm) {
      try {
        if (await tf.setBackend('wasm')) {
          await tf.ready();
          return { tf, backend: 'wasm', note: '@tensorflow/tfjs-backend-wasm' };
        }
      } catch {
        // fall through to cpu
      }
    }
    if (wanted === 'wasm') throw new Error("backend 'wasm' could not start (@tensorflow/tfjs-backend-wasm)");
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: 'cpu', note: '@tensorflow/tfjs (pure JS)' };
}
