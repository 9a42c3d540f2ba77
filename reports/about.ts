/**
 * What was simulated, in the scenario's own words: its `description`, what
 * each stage does and what each variant changes. A reader of a report should
 * not need the YAML to know what the figures are about. Plain text; the HTML
 * and Markdown writers escape it like every other text (escape.ts).
 */
import type { ReportInput, ScenarioAbout } from './input.js';
import type { Table } from './tables.js';
import { arms } from './arms.js';

/** The words a report keeps from a validated scenario (no numbers: those are in the results). */
export function scenarioAbout(scenario: { description?: string; stages: readonly { id: string; pool: string; description?: string }[] }): ScenarioAbout {
  return {
    ...(scenario.description !== undefined ? { description: scenario.description } : {}),
    stages: scenario.stages.map((s) => ({ id: s.id, pool: s.pool, ...(s.description !== undefined ? { description: s.description } : {}) })),
  };
}

/**
 * The report's title: a comparison's, or – for a scenario without variants –
 * what a baseline alone can say (how requests end, where they leak, what to
 * fix first).
 */
export function reportTitle(input: ReportInput): string {
  const name = input.comparison.baseline.scenario;
  return input.comparison.variants.length > 0 ? `${name}: compute speedups vs coordination fixes` : `${name}: where reliability leaks, and what to fix first`;
}

/** The scenario's description, trimmed, or undefined when it has none. */
export function scenarioDescription(input: ReportInput): string | undefined {
  const text = input.scenario?.description?.trim();
  return text ? text : undefined;
}

/** The stages in path order with their pool and description (none without the scenario's words, e.g. a bare compare --json). */
export function stagesTable(input: ReportInput): Table | undefined {
  const stages = input.scenario?.stages ?? [];
  if (stages.length === 0) return undefined;
  return {
    caption: 'The stages of the request path, in order',
    columns: [{ label: 'stage' }, { label: 'pool' }, { label: 'what it does' }],
    rows: stages.map((s) => [s.id, s.pool, s.description?.trim() ?? '']),
  };
}

/** Every arm with its kind and what it changes; none when the scenario has no variants. */
export function armsTable(input: ReportInput): Table | undefined {
  const list = arms(input.comparison);
  if (list.length < 2) return undefined;
  return {
    caption: 'The arms: the scenario as written, and each variant',
    columns: [{ label: 'arm' }, { label: 'kind' }, { label: 'what it changes' }],
    rows: list.map((a) => [a.name, a.kind, a.kind === 'baseline' ? 'nothing: the scenario as written' : (a.description?.trim() ?? '')]),
  };
}
