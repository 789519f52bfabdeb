/**
 * The raw addon for worker scripts (a worker_thread cannot import the .ts
 * sources): node-gyp-build on the repository root, exactly as src/native.ts
 * loads it, so EFFRANK_PREBUILD (used by run-asan.sh for the sanitizer
 * build) is honoured too. Method names and argument orders: src/native.ts.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function loadAddon() {
  const require = createRequire(import.meta.url);
  return require('node-gyp-build')(repoRoot);
}
