/**
 * The page `effrank watch` serves: the report page of `effrank report`, plus
 * a status line (record count, last arrival) and one inline script that
 * listens to /events (Server-Sent Events) and swaps `<main>` for each new
 * version, so the page never reloads and fetches nothing but that stream.
 */
import { chartsOf } from '../../report/charts.js';
import { type LivePart, mainOf, pageAround } from '../../report/html.js';
import { buildReportData } from '../../report/model.js';
import { esc } from '../../report/svg.js';
import type { RankRecord } from '../../tfjs/options.js';

/** Runs in the browser. Kept tiny and dependency-free; its SHA-256 goes into the page's CSP. */
const CLIENT = `(() => {
  const $ = (id) => document.getElementById(id);
  const show = (u) => {
    if (typeof u.main === 'string') document.querySelector('main').outerHTML = u.main;
    $('live-count').textContent = String(u.records);
    $('live-last').textContent = u.lastArrival === null ? 'none yet' : new Date(u.lastArrival).toLocaleTimeString();
    $('live-error').textContent = u.error || '';
  };
  const events = new EventSource('events');
  events.addEventListener('update', (m) => show(JSON.parse(m.data)));
  events.onopen = () => { $('live-state').textContent = 'live'; $('live-state').className = ''; };
  events.onerror = () => { $('live-state').textContent = 'disconnected, retrying'; $('live-state').className = 'dead'; };
})();`;

export interface LiveState {
  records: number;
  lastArrival: number | null;
  error: string | null;
  main: string;
}

export function liveState(records: readonly RankRecord[], lastArrival: number | null, error: string | null, o: { title: string; source: string }): LiveState {
  const main = records.length === 0
    ? `<main data-records="0"><header><h1>${esc(o.title)}</h1><p class="meta">Waiting for the first record in <code>${esc(o.source)}</code>…</p></header></main>`
    : (() => {
        const data = buildReportData(records, { title: o.title, source: o.source });
        return mainOf(data, chartsOf(data));
      })();
  return { records: records.length, lastArrival, error, main };
}

function when(t: number | null): string {
  return t === null ? 'none yet' : new Date(t).toISOString().slice(11, 19);
}

export function livePage(state: LiveState, title: string): string {
  const live: LivePart = {
    status:
      `<p class="live" id="live-status"><span id="live-state">connecting</span> · ` +
      `<span id="live-count">${state.records}</span> records · last arrived <span id="live-last">${when(state.lastArrival)}</span> ` +
      `<span id="live-error" class="dead">${esc(state.error ?? '')}</span></p>`,
    script: CLIENT,
    footer: 'Served live by <code>effrank watch</code> on 127.0.0.1: the page updates itself as records are appended to the log.',
  };
  return pageAround(title, state.main, live);
}
