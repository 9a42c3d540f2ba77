/** Drawings the pipeline-picture tests share: the demo fixture and a large generated graph. */
import { readFileSync } from 'node:fs';
import type { DrawingEdge, DrawingGroup, DrawingNode, PipelineDrawing } from './pipeline-drawing.js';

/** The demo fixture: router → RAG (a map over documents) | tool agent (a ReAct loop), a reviewer, escalation to a human. */
export function reactRag(): PipelineDrawing {
  return JSON.parse(readFileSync(new URL('./fixtures/react-rag.json', import.meta.url), 'utf8')) as PipelineDrawing;
}

/**
 * A graph of 8 × `teams` + 5 nodes (61 for 7 teams): a router fans out to
 * `teams` specialist teams, each a subgraph whose first four stages form a
 * loop body (with a back-edge) and whose last has a failure path to a
 * human; all meet at a reviewer. Shares fall with the team's number, so the
 * picture has a gradient to paint.
 */
export function largeDrawing(teams = 7): PipelineDrawing {
  const nodes: DrawingNode[] = [
    { id: 'start', label: 'start', kind: 'start' },
    { id: 'router', label: 'router', kind: 'stage', faultShare: 0.02 },
  ];
  const edges: DrawingEdge[] = [{ id: 'start→router', from: 'start', to: 'router', kind: 'next' }];
  const groups: DrawingGroup[] = [];
  for (let t = 0; t < teams; t++) {
    const team = `team-${t}`;
    const body = `${team}-body`;
    groups.push({ id: team, label: `subgraph ${team}`, kind: 'subgraph' }, { id: body, label: `loop ${team}`, kind: 'loop', parent: team });
    const ids = Array.from({ length: 8 }, (_, i) => `${team}-s${i}`);
    ids.forEach((id, i) =>
      nodes.push({ id, label: `${team} step ${i}`, kind: i === 0 ? 'loop' : 'stage', group: i < 4 ? body : team, faultShare: (0.1 * (teams - t)) / (teams * 8), detail: `p95 ${100 * (i + 1)} ms` }),
    );
    edges.push({ id: `router→${ids[0]}`, from: 'router', to: ids[0], kind: 'route', probability: 1 / teams });
    for (let i = 1; i < 8; i++) edges.push({ id: `${ids[i - 1]}→${ids[i]}`, from: ids[i - 1], to: ids[i], kind: i === 1 ? 'branch' : 'next', faultShare: i === 5 ? 0.01 : undefined });
    edges.push({ id: `${ids[3]}↻${ids[0]}`, from: ids[3], to: ids[0], kind: 'loop', label: 'again', probability: 0.6 });
    edges.push({ id: `${ids[7]}→reviewer`, from: ids[7], to: 'reviewer', kind: 'next' });
    edges.push({ id: `${ids[7]}⇢human`, from: ids[7], to: 'human', kind: 'onFailure' });
  }
  nodes.push({ id: 'reviewer', label: 'reviewer', kind: 'stage', faultShare: 0.04, recommended: true }, { id: 'human', label: 'human', kind: 'human' }, { id: 'end', label: 'end', kind: 'end' });
  edges.push({ id: 'reviewer→end', from: 'reviewer', to: 'end', kind: 'next' }, { id: 'human→end', from: 'human', to: 'end', kind: 'next' });
  return { title: `${nodes.length} nodes`, nodes, edges, groups };
}
