/**
 * Child of special-files.test.ts: every file reader on the paths in argv
 * (a FIFO with no writer, /dev/zero behind a .csv name, a regular file with
 * no line break). Prints one JSON line: the error code and message of each.
 */
import { loadLog } from '../../../src/report/index.js';
import { readDelimited, readFeatures, readNpy, readRaw, readWeights } from '../../../src/index.js';

const [fifoCsv, fifoNpy, fifoF64, fifoJsonl, zeroCsv, zeroNpy, longLine] = process.argv.slice(2) as string[];

async function outcome(f: () => unknown): Promise<{ code?: string; message?: string; ok?: true }> {
  try {
    await f();
    return { ok: true };
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message };
  }
}

const report = {
  delimitedFifo: await outcome(() => readDelimited(fifoCsv!)),
  npyFifo: await outcome(() => readNpy(fifoNpy!)),
  rawFifo: await outcome(() => readRaw(fifoF64!, { dtype: 'float64', shape: [2, 2] })),
  featuresFifo: await outcome(() => readFeatures(fifoCsv!)),
  weightsFifo: await outcome(() => readWeights(fifoCsv!, { expected: 3 })),
  logFifo: await outcome(() => loadLog(fifoJsonl!)),
  delimitedZero: await outcome(() => readDelimited(zeroCsv!)),
  featuresZero: await outcome(() => readFeatures(zeroCsv!)),
  npyZero: await outcome(() => readNpy(zeroNpy!)),
  longLine: await outcome(() => readDelimited(longLine!)),
};
console.log(JSON.stringify(report));
