/**
 * The report's reading order – headline first, hardware and provenance last –
 * as sections of charts and tables, shared by the Markdown and HTML writers
 * so the two always say the same thing.
 */
import type { ReportInput } from './input.js';
import type { Chart } from './charts/index.js';
import { armsTable, stagesTable } from './about.js';
import { thresholdsTable } from './thresholds.js';
import { perRequestTable, providersTable } from './llm.js';
import { readingLines, uncertaintyTable } from './uncertainty.js';
import { portfolioParts } from './portfolio-section.js';
import { rankingSampleSentence } from './summary.js';
import { costTable, hardwareTable, leaksTable, outcomesTable, provenanceTable, sensitivityTables, stepsTable, variantsTable, type Table } from './tables.js';

export interface Section {
  /** HTML id and Markdown anchor. */
  id: string;
  heading: string;
  charts: Chart[];
  /** Plain-words readings under the charts, one per line (a list in both writers). */
  lines?: string[];
  tables: Table[];
}

export function sections(input: ReportInput, charts: readonly Chart[]): Section[] {
  const byName = (...names: string[]) => charts.filter((c) => names.includes(c.name));
  const c = input.comparison;
  const f = input.figures;
  const list: Section[] = [
    { id: 'thresholds', heading: 'Thresholds', charts: [], tables: [thresholdsTable(input)].filter((t): t is Table => t !== undefined) },
    { id: 'compute-vs-coordination', heading: 'Compute speedups vs coordination fixes', charts: byName('compute-vs-coordination'), tables: c.variants.length > 0 ? [variantsTable(c, f.variantP95)] : [] },
    ...uncertaintySection(input, byName('uncertainty-intervals')),
    { id: 'outcomes', heading: 'How requests ended', charts: byName('outcomes'), tables: [outcomesTable(c)] },
    { id: 'latency', heading: 'Latency', charts: byName('latency'), tables: [] },
    { id: 'where-it-leaks', heading: 'Where it leaks', charts: byName('where-it-leaks'), tables: [leaksTable(f.leaks)] },
    {
      id: 'what-to-fix-first',
      heading: 'What to fix first',
      charts: byName('what-to-fix-first'),
      ...rankingLines(input),
      tables: input.sensitivity && f.sensitivityP95 ? sensitivityTables(input.sensitivity, f.sensitivityP95) : [],
    },
    // With --budget: what the options buy together, right after what each buys alone.
    ...portfolioSection(input, byName('portfolio-frontier')),
    { id: 'cost', heading: 'Reliability per dollar', charts: byName('cost-vs-success'), tables: [costTable(c)].filter((t): t is Table => t !== undefined) },
    { id: 'llm', heading: llmHeading(c), charts: [], tables: [providersTable(c), perRequestTable(c)].filter((t): t is Table => t !== undefined) },
    { id: 'reliability-vs-steps', heading: 'Reliability vs number of steps', charts: byName('reliability-vs-steps'), tables: input.sweep ? [stepsTable(input.sweep)].filter((t): t is Table => t !== undefined) : [] },
    {
      id: 'hardware',
      heading: 'Hardware',
      charts: byName('hardware-scaling', 'hardware-server', 'hardware-kernels'),
      tables: input.profiles && input.profiles.length > 0 ? [hardwareTable(input.profiles, f.hardware)].filter((t): t is Table => t !== undefined) : [],
    },
    { id: 'scenario', heading: 'What was simulated', charts: [], tables: [stagesTable(input), armsTable(input)].filter((t): t is Table => t !== undefined) },
    { id: 'provenance', heading: 'Provenance', charts: [], tables: [provenanceTable(c)] },
  ];
  // A section of lines alone (a portfolio not run, saying why) is shown too.
  return list.filter((s) => s.charts.length + s.tables.length + (s.lines?.length ?? 0) > 0);
}

/** With `--uncertainty`: both intervals per variant and metric, and per variant which dominates – right after the comparison it qualifies. */
function uncertaintySection(input: ReportInput, charts: Chart[]): Section[] {
  const u = input.uncertainty;
  const readings = input.figures.uncertainty;
  if (!u || !readings) return [];
  return [{ id: 'parameter-uncertainty', heading: 'Parameter uncertainty', charts, lines: readingLines(u, readings), tables: [uncertaintyTable(u)] }];
}

/** The ranking's own sample, when it is not the comparison's (summary.ts rankingSampleSentence). */
function rankingLines(input: ReportInput): Pick<Section, 'lines'> {
  const sentence = rankingSampleSentence(input);
  return sentence === null ? {} : { lines: [sentence] };
}

/** With `--budget`: what the options buy together (portfolio-section.ts), the frontier chart when a portfolio was run. */
function portfolioSection(input: ReportInput, charts: Chart[]): Section[] {
  const parts = portfolioParts(input);
  return parts === undefined ? [] : [{ id: 'portfolio', heading: 'Portfolio: what to buy with the budget', charts, ...parts }];
}

/** "LLM providers and goodput", or the half the arms have (the section is left out when they have neither). */
function llmHeading(c: ReportInput['comparison']): string {
  const all = [c.baseline, ...c.variants.map((v) => v.result)];
  const llm = all.some((r) => r.llm !== undefined);
  const goodput = all.some((r) => r.goodput !== undefined);
  return llm && goodput ? 'LLM providers and goodput' : llm ? 'LLM providers' : 'Goodput';
}
