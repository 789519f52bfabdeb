/**
 * SVG → PNG with @resvg/resvg-js. resvg draws text only with fonts it has
 * loaded: it gets the system fonts plus DejaVu/Liberation by path when they
 * exist (Debian: fonts-dejavu-core). Without any font, the PNG has the chart
 * but no text; `fontsAvailable()` tells.
 */
import { existsSync } from 'node:fs';

import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

const KNOWN_FONTS = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
];

let cached: ResvgRenderOptions['font'] | undefined;

function fontOptions(): NonNullable<ResvgRenderOptions['font']> {
  if (!cached) {
    const fontFiles = KNOWN_FONTS.filter((f) => existsSync(f));
    const dejavu = fontFiles.some((f) => f.includes('DejaVuSans'));
    cached = {
      loadSystemFonts: true,
      fontFiles,
      ...(dejavu ? { defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' } : {}),
    };
  }
  return cached!;
}

/** Font files found at known paths (resvg also loads the system's fonts). */
export function knownFontFiles(): string[] {
  return [...(fontOptions().fontFiles ?? [])];
}

export interface PngOptions {
  /** Pixel density: 2 (default) gives 1800 px wide charts. */
  scale?: number;
  background?: string;
}

/** Renders an SVG to RGBA pixels (for tests and checks). Throws on malformed SVG. */
export function rasterize(svg: string, options: PngOptions = {}): { width: number; height: number; pixels: Buffer; png: () => Buffer } {
  const img = new Resvg(svg, {
    font: fontOptions(),
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: options.background ?? '#ffffff',
    logLevel: 'off',
  }).render();
  return { width: img.width, height: img.height, pixels: img.pixels, png: () => img.asPng() };
}

/** PNG bytes of an SVG document. */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  return rasterize(svg, options).png();
}
