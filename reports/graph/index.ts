/**
 * The pipeline drawn with its leaks (issue 14): a PipelineDrawing → a
 * standalone SVG (ELK layout, reports/graph/layout.ts; painting,
 * reports/graph/svg.ts) and a PNG of it through the charts' rasteriser
 * (reports/render.ts), so picture and charts share zoom, size limits,
 * fonts and the two-at-a-time bound.
 */
import type { PipelineDrawing } from './pipeline-drawing.js';
import { layoutPipeline } from './layout.js';
import { pipelineSvg } from './svg.js';
import { rasterizeAsync } from '../render.js';

export type { DrawingEdge, DrawingEdgeKind, DrawingGroup, DrawingGroupKind, DrawingNode, DrawingNodeKind, PipelineDrawing } from './pipeline-drawing.js';

/**
 * The picture as an SVG document. Same drawing, same bytes.
 * @throws Error naming the element when the drawing is malformed (an edge to a missing node, a share outside 0..1…).
 */
export async function drawPipelineSvg(drawing: PipelineDrawing): Promise<string> {
  return pipelineSvg(drawing, await layoutPipeline(drawing));
}

/** An SVG from drawPipelineSvg as PNG (twice its size, smaller past the rasteriser's bounds). */
export async function drawPipelinePng(svg: string): Promise<Buffer> {
  return rasterizeAsync(svg);
}
