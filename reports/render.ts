/**
 * Vega-Lite → SVG → PNG without a browser or a native canvas: compile with
 * vega-lite, run the dataflow in a headless vega View (renderer "none", then
 * `toSVG()`), rasterise with resvg. Without node-canvas, vega sizes text by
 * its built-in width estimate rather than a font, which is what makes the
 * SVG bytes the same on every machine; resvg then draws the text with a real
 * font (fonts-dejavu-core on Debian).
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';

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

/**
 * Renders a Vega-Lite spec to an SVG string. Clip-path and gradient ids are
 * numbered from 1 for every chart (vega keeps a process-wide counter
 * otherwise), so the bytes depend on the spec alone.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<RenderedSvg> {
  const logger = collectingLogger();
  const { spec: vgSpec } = compile(spec, { logger });
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', logger });
  try {
    const svg = await view.toSVG();
    return { svg, warnings: logger.warnings };
  } finally {
    view.finalize();
  }
}

/** Twice the SVG's pixel size: sharp on high-density screens and in slides. */
const PNG_ZOOM = 2;

/**
 * Rasterises an SVG to PNG with resvg. Fonts come from the system (resvg needs
 * font files; DejaVu Sans is the one every chart asks for first); without any,
 * the PNG still renders, without text.
 */
export function rasterize(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_ZOOM },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
