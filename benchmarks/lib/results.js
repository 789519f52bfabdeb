// Result files: benchmarks/results/<family>.json and latest.json (this run).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** Write-then-rename, so an interrupted run never leaves half a JSON file. */
function writeJson(name, value) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, name);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  return path;
}

export function writeFamily(family, header) {
  return writeJson(`${family.family}.json`, { ...header, ...family });
}

/** latest.json holds exactly the families of this run. */
export function writeLatest(header, families) {
  return writeJson('latest.json', { ...header, families: Object.fromEntries(families.map((f) => [f.family, f])) });
}
