/** Every chart a report input has data for, in reading order. */
import type { ReportInput } from '../input.js';
import type { Chart } from './chart.js';
import { deltaChart } from './delta.js';
import { outcomesChart } from './outcomes.js';
import { latencyChart } from './latency.js';
import { attributionChart } from './attribution.js';
import { stepsChart } from './steps.js';
import { tornadoChart } from './tornado.js';
import { costChart } from './cost.js';
import { hardwareCharts } from './hardware.js';
import { uncertaintyChart } from './uncertainty-intervals.js';
import { portfolioFrontierChart } from './portfolio-frontier.js';

export type { Chart } from './chart.js';
/** The portfolio's chart: drawn by `coordgap portfolio --out` (reports/portfolio.ts) and, with `report --budget`, in the report. */
export { portfolioFrontierChart } from './portfolio-frontier.js';

export function reportCharts(input: ReportInput): Chart[] {
  const c = input.comparison;
  const f = input.figures;
  const charts: (Chart | undefined)[] = [
    deltaChart(c, f.variantP95),
    input.uncertainty && f.uncertainty ? uncertaintyChart(input.uncertainty, f.uncertainty) : undefined,
    outcomesChart(c),
    latencyChart(c),
    attributionChart(c, f.leaks),
    input.sweep ? stepsChart(input.sweep) : undefined,
    input.sensitivity ? tornadoChart(input.sensitivity) : undefined,
    input.portfolio && !('notRun' in input.portfolio) ? portfolioFrontierChart(input.portfolio) : undefined,
    costChart(c),
    ...hardwareCharts(input.profiles ?? [], f.hardware),
  ];
  return charts.filter((x): x is Chart => x !== undefined);
}
