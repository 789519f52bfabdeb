/**
 * `node --import ./test/hardening/workers/ts-register.mjs file.ts` runs the
 * TypeScript sources directly, the way vitest does: every .ts module is
 * stripped of its types by esbuild (already installed: tsup's and vite's
 * dependency) and `./x.js` specifiers resolve to `./x.ts` when only the .ts
 * exists. No type checking; import.meta.url stays the .ts file's URL, so
 * src/native.ts finds the addon from its real location.
 *
 * Used by the hardening child processes (leak and timing probes) and by the
 * fuzz runner; worker_threads started with this in their execArgv get it too.
 */
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
