/** Child of report-ticks.test.ts: renders one report from argv[2] (a JSON record list) and prints its size and tick labels. */
import { renderReport } from '../../../src/report/index.js';

const records = JSON.parse(process.argv[2]!);
const html = renderReport(records);
const texts = [...html.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
console.log(JSON.stringify({ bytes: html.length, texts: texts.length, hasNaN: /NaN|Infinity/.test(html.replace(/<script[\s\S]*?<\/script>/g, '')) }));
