/**
 * Vega-Lite → SVG → PNG without a browser or a native canvas: compile with
 * vega-lite, run the dataflow in a headless vega View (renderer "none", then
 * `toSVG()`), rasterise with resvg. Without node-canvas, vega sizes text by
 * its built-in width estimate rather than a font, which is what makes the
 * SVG bytes the same on every machine; resvg then draws the text with a real
 * font (fonts-dejavu-core on Debian).
 */
import { createRequire } from 'node:module';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type * as Resvg from '@resvg/resvg-js';

/**
 * resvg (a native addon) is loaded by the first PNG drawn, not with this module:
 * PNGs are made only when asked for (`report --png`), and a report without them
 * need not load it. It is CommonJS, so `require` loads it synchronously for
 * `rasterize`.
 */
let resvgModule: typeof Resvg | undefined;
function resvg(): typeof Resvg {
  return (resvgModule ??= createRequire(import.meta.url)('@resvg/resvg-js') as typeof Resvg);
}

/**
 * A vega/vega-lite logger that collects warnings instead of printing them and
 * throws on errors. Closures, not methods: vega's dataflow calls the logger's
 * functions with itself as `this` (vega-dataflow `logMethod`).
 */
function collectingLogger() {
  const warnings: string[] = [];
  let level = 2;
  const text = (args: readonly unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  const logger = {
    warnings,
    level(next?: number): never {
      if (next !== undefined) level = next;
      return (next === undefined ? level : logger) as never;
    },
    error(...args: readonly unknown[]): never {
      throw new Error(text(args));
    },
    warn(...args: readonly unknown[]): never {
      warnings.push(text(args));
      return logger as never;
    },
    info: (): never => logger as never,
    debug: (): never => logger as never,
  };
  return logger;
}

export interface RenderedSvg {
  svg: string;
  /** What vega-lite and vega warned about while compiling and running the spec. */
  warnings: string[];
}

/** The last renderSvg begun: each waits for the one before (see renderSvg). */
let rendering: Promise<unknown> = Promise.resolve();

/**
 * Renders a Vega-Lite spec to an SVG string. Clip-path and gradient ids are
 * numbered from 1 for every chart (vega keeps a process-wide counter
 * otherwise), so the bytes depend on the spec alone. That counter is why
 * renders run one at a time, in the order asked: two interleaved at their
 * `await` would number each other's ids.
 */
export function renderSvg(spec: TopLevelSpec): Promise<RenderedSvg> {
  const next = rendering.then(() => renderAlone(spec));
  rendering = next.catch(() => {});
  return next;
}

async function renderAlone(spec: TopLevelSpec): Promise<RenderedSvg> {
  const logger = collectingLogger();
  const { spec: vgSpec } = compile(spec, { logger });
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', logger });
  try {
    const svg = xmlSafe(await view.toSVG());
    return { svg, warnings: logger.warnings };
  } finally {
    view.finalize();
  }
}

/**
 * Characters XML 1.0 does not allow (§2.2 Char: C0 controls but tab, LF, CR;
 * U+FFFE, U+FFFF; lone surrogates): vega writes a label's text as it is, and
 * one such character made the SVG unparseable for resvg and for browsers. They
 * are shown as a visible `\uXXXX`, as on the terminal (scripts/terminal-text.ts).
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `svg` with every character XML cannot hold written as visible text. */
export function xmlSafe(svg: string): string {
  return svg.replace(NOT_XML, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Twice the SVG's pixel size: sharp on high-density screens and in slides. */
const PNG_ZOOM = 2;

/**
 * The largest PNG drawn: 8,192 px a side and 32 megapixels (128 MB of RGBA).
 * A chart widened by a 12,000-character label took 41.6 s and 3.25 GB to
 * rasterise, and an absurd figure made resvg panic natively (exit 134); a
 * larger chart is drawn at a lower zoom – smaller, never refused, so a report
 * is not lost to one chart after the simulation (the SVG keeps full size).
 */
export const MAX_PNG_SIDE_PX = 8192;
export const MAX_PNG_PIXELS = 32e6;

/** The SVG's own width and height in px (vega writes both on the root element). */
function svgSizePx(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const attr = (name: string) => Number(new RegExp(`\\s${name}="([0-9.eE+-]+)"`).exec(root)?.[1]);
  return { width: attr('width'), height: attr('height') };
}

/** Zoom for rasterising an SVG of this size: PNG_ZOOM, lowered to fit the bounds above. */
export function pngZoom(width: number, height: number): number {
  if (!(width > 0 && height > 0 && Number.isFinite(width) && Number.isFinite(height)))
    throw new Error(`chart has no drawable size (width ${width}, height ${height} px)`);
  return Math.min(PNG_ZOOM, MAX_PNG_SIDE_PX / width, MAX_PNG_SIDE_PX / height, Math.sqrt(MAX_PNG_PIXELS / (width * height)));
}

/**
 * Rasterises an SVG to PNG with resvg. Fonts come from the system (resvg needs
 * font files; DejaVu Sans is the one every chart asks for first); without any,
 * the PNG still renders, without text.
 */
export function rasterize(svg: string): Buffer {
  return new (resvg().Resvg)(svg, pngOptions(svg)).render().asPng();
}

function pngOptions(svg: string): Resvg.ResvgRenderOptions {
  const { width, height } = svgSizePx(svg);
  return {
    fitTo: { mode: 'zoom', value: pngZoom(width, height) },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    logLevel: 'off',
  };
}

/**
 * PNGs rasterised at once, at most: one per core of a small machine. Each
 * may hold up to MAX_PNG_PIXELS × 4 bytes while it draws.
 */
const PNG_AT_ONCE = 2;
let drawing = 0;
const waiting: (() => void)[] = [];

/**
 * rasterize, off this thread: resvg draws on libuv's thread pool (its
 * renderAsync) while this thread goes on – rendering the next chart's SVG,
 * writing the HTML. Same options, same bytes. The rasterisation was 8.5 % of
 * `coordgap demo`, all of it on the critical path after the simulation; it is
 * now done only when asked for (`--png`).
 */
export async function rasterizeAsync(svg: string): Promise<Buffer> {
  const options = pngOptions(svg);
  if (drawing >= PNG_AT_ONCE) await new Promise<void>((go) => waiting.push(go));
  drawing++;
  try {
    return (await resvg().renderAsync(svg, options)).asPng();
  } finally {
    drawing--;
    waiting.shift()?.();
  }
}
