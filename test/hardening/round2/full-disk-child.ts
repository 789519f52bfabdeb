/**
 * Child of atomic-outputs.test.ts, run inside `unshare -m` with a 64 KiB
 * tmpfs mounted on argv[2]: puts an old report there, fills the disk, then
 * runs `effrank report -o` onto the old report. Prints one JSON line.
 */
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { runReport } from '../../../src/cli/report-command.js';

const dir = process.argv[2]!;
const log = process.argv[3]!;
const out = join(dir, 'report.html');
const old = '<!doctype html><title>the previous report</title>\n';
writeFileSync(out, old);
// Fill what is left of the file system.
const fd = openSync(join(dir, 'filler'), 'w');
const block = Buffer.alloc(1024, 120);
let filled = 0;
try {
  for (;;) filled += writeSync(fd, block);
} catch (e) {
  if ((e as { code?: string }).code !== 'ENOSPC') throw e;
}
closeSync(fd);
let error: { code?: string; message?: string } | undefined;
try {
  await runReport(log, { out }, () => {});
} catch (e) {
  error = { code: (e as { code?: string }).code, message: (e as Error).message };
}
console.log(JSON.stringify({ filled, error, unchanged: readFileSync(out, 'utf8') === old, files: readdirSync(dir).sort() }));
