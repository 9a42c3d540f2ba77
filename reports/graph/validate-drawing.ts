/**
 * Checks a PipelineDrawing before it is laid out. The drawing comes from an
 * adapter in this program, not from a user's file, so a mistake here is a
 * bug – but one that ELK would report as an opaque Java exception, or not at
 * all (an edge to a missing node vanishes), so each is named here instead.
 */
import type { PipelineDrawing } from './pipeline-drawing.js';

const NODE_KINDS = new Set(['stage', 'loop', 'map', 'parallel', 'subgraph', 'join', 'start', 'end', 'human']);
const EDGE_KINDS = new Set(['next', 'route', 'onFailure', 'branch', 'loop', 'return']);
const GROUP_KINDS = new Set(['subgraph', 'loop', 'map', 'parallel', 'branch']);

function share(where: string, field: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0 && value <= 1))
    throw new Error(`pipeline drawing: ${where}.${field} is ${value}; it must be a share between 0 and 1`);
}

/**
 * @throws Error naming the element (by index and id) and the rule it breaks:
 * duplicate or empty ids, unknown kinds, a group, parent, from or to that
 * does not exist, a group inside itself, a share or probability outside 0..1.
 */
export function validateDrawing(drawing: PipelineDrawing): void {
  const groupIds = new Set<string>();
  drawing.groups.forEach((g, i) => {
    const where = `groups[${i}] "${g.id}"`;
    if (g.id === '') throw new Error(`pipeline drawing: groups[${i}].id is empty`);
    if (groupIds.has(g.id)) throw new Error(`pipeline drawing: ${where}: the id is used by an earlier group`);
    if (g.kind !== undefined && !GROUP_KINDS.has(g.kind)) throw new Error(`pipeline drawing: ${where}.kind "${g.kind}" is not one of ${[...GROUP_KINDS].join(', ')}`);
    groupIds.add(g.id);
  });
  const parentOf = new Map<string, string | undefined>(drawing.groups.map((g) => [g.id, g.parent]));
  drawing.groups.forEach((g, i) => {
    if (g.parent !== undefined && !groupIds.has(g.parent)) throw new Error(`pipeline drawing: groups[${i}] "${g.id}".parent "${g.parent}" is not a group`);
    const seen = new Set([g.id]);
    for (let p = g.parent; p !== undefined; p = parentOf.get(p)) {
      if (seen.has(p)) throw new Error(`pipeline drawing: groups[${i}] "${g.id}" sits inside itself (through "${p}")`);
      seen.add(p);
    }
  });
  const nodeIds = new Set<string>();
  drawing.nodes.forEach((n, i) => {
    const where = `nodes[${i}] "${n.id}"`;
    if (n.id === '') throw new Error(`pipeline drawing: nodes[${i}].id is empty`);
    if (nodeIds.has(n.id)) throw new Error(`pipeline drawing: ${where}: the id is used by an earlier node`);
    if (!NODE_KINDS.has(n.kind)) throw new Error(`pipeline drawing: ${where}.kind "${n.kind}" is not one of ${[...NODE_KINDS].join(', ')}`);
    if (n.group !== undefined && !groupIds.has(n.group)) throw new Error(`pipeline drawing: ${where}.group "${n.group}" is not a group`);
    share(where, 'faultShare', n.faultShare);
    nodeIds.add(n.id);
  });
  const edgeIds = new Set<string>();
  drawing.edges.forEach((e, i) => {
    const where = `edges[${i}] "${e.id}"`;
    if (e.id === '') throw new Error(`pipeline drawing: edges[${i}].id is empty`);
    if (edgeIds.has(e.id)) throw new Error(`pipeline drawing: ${where}: the id is used by an earlier edge`);
    if (!EDGE_KINDS.has(e.kind)) throw new Error(`pipeline drawing: ${where}.kind "${e.kind}" is not one of ${[...EDGE_KINDS].join(', ')}`);
    for (const end of ['from', 'to'] as const)
      if (!nodeIds.has(e[end])) throw new Error(`pipeline drawing: ${where}.${end} "${e[end]}" is not a node`);
    share(where, 'faultShare', e.faultShare);
    share(where, 'probability', e.probability);
    edgeIds.add(e.id);
  });
}
