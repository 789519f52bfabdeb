/**
 * Small helpers for hand-written SVG: escaping, elements from attribute
 * objects, compact coordinates, and text-width estimates for layout.
 */

/** The only URI a report contains: the SVG namespace, which is a name, never fetched. */
export const SVG_NS = 'http://www.w3.org/2000/svg';

/** System fonts only: nothing is downloaded. DejaVu/Liberation come last for resvg on Linux. */
export const FONT_STACK =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";

// Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF).
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML/HTML content and attribute values, dropping characters XML cannot hold. */
export function esc(value: unknown): string {
  return String(value)
    .replace(XML_INVALID, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A coordinate or length with at most 2 decimals and no trailing zeros. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return '0';
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

export type Attrs = Record<string, string | number | boolean | null | undefined>;

/** ` a="1" b="x"`: numbers go through `num`, null/undefined/false are left out, true gives a bare name="name". */
export function attrs(a: Attrs): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined || v === null || v === false) continue;
    const value = v === true ? k : typeof v === 'number' ? num(v) : v;
    out += ` ${k}="${esc(value)}"`;
  }
  return out;
}

/** An element; children are already-serialised markup (escape text with `esc`). No children → self-closing. */
export function el(tag: string, a: Attrs = {}, ...children: Array<string | false | null | undefined>): string {
  const body = children.filter((c): c is string => typeof c === 'string' && c !== '').join('');
  return body === '' ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${body}</${tag}>`;
}

/** A `<text>` element with escaped content. */
export function text(x: number, y: number, content: string, a: Attrs = {}): string {
  return el('text', { x, y, ...a }, esc(content));
}

/** A `<title>` child: the browser shows it as a tooltip on hover. */
export function tooltip(content: string): string {
  return el('title', {}, esc(content));
}

/** The `points` attribute of a polyline. */
export function points(xs: ArrayLike<number>, ys: ArrayLike<number>): string {
  const parts: string[] = [];
  for (let i = 0; i < xs.length; i++) parts.push(`${num(xs[i]!)},${num(ys[i]!)}`);
  return parts.join(' ');
}

/** A standalone SVG document: namespace, size, viewBox, white background, system fonts. */
export function svgDocument(width: number, height: number, title: string, body: string, extra: Attrs = {}): string {
  return el(
    'svg',
    {
      xmlns: SVG_NS,
      width,
      height,
      viewBox: `0 0 ${num(width)} ${num(height)}`,
      role: 'img',
      'font-family': FONT_STACK,
      'font-size': 12,
      ...extra,
    },
    tooltip(title),
    el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }),
    body,
  );
}

/** Rough width of a label in px (DejaVu Sans is about 0.6 em per character, system UI fonts less). */
export function textWidth(s: string, fontSize = 12): number {
  return [...s].length * fontSize * 0.6;
}
