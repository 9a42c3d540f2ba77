/**
 * The look every chart shares: fonts that exist headless, a colour-blind-safe
 * palette and one Vega-Lite config, written into each spec so every
 * `charts/NAME.vl.json` renders the same on its own (vega editor, notebooks).
 *
 * Palette: Okabe & Ito (2008), "Color Universal Design",
 * https://jfly.uni-koeln.de/color/ – eight colours distinguishable under the
 * common colour-vision deficiencies; the grey is for the baseline.
 */
import type { Config } from 'vega-lite';
import type { Outcome } from '../sim/path/index.js';

/**
 * DejaVu Sans first: Debian's fonts-dejavu-core ships it, and resvg (PNG)
 * needs a real font file; browsers fall back along the list.
 */
export const FONT = 'DejaVu Sans, Verdana, Arial, sans-serif';

export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
  black: '#000000',
} as const;

export const GREY = '#8C8C8C';

/** Categorical order for series without a fixed meaning (latency per arm, kernels, reliabilities). */
export const SERIES: readonly string[] = [
  OKABE_ITO.black,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.vermillion,
  OKABE_ITO.yellow,
];

/** Variant kinds: coordination green, compute blue – the two the report keeps apart. */
export const KIND_COLORS = {
  domain: ['baseline', 'coordination', 'compute', 'mixed'],
  range: [GREY, OKABE_ITO.bluishGreen, OKABE_ITO.blue, OKABE_ITO.reddishPurple],
};

/**
 * A colour scale over the given kinds only (no legend entries for kinds a
 * chart does not show), each kind keeping its colour from `palette`.
 */
export function kindScale(kinds: readonly string[], palette: { domain: readonly string[]; range: readonly string[] } = KIND_COLORS) {
  const present = palette.domain.filter((k) => kinds.includes(k));
  return { domain: present, range: present.map((k) => palette.range[palette.domain.indexOf(k)]) };
}

/** Sensitivity interventions by kind. */
export const INTERVENTION_COLORS = {
  domain: ['fault-free hand-off', 'fault-free stage', 'coordination', 'compute', 'mixed'],
  range: [OKABE_ITO.orange, OKABE_ITO.skyBlue, OKABE_ITO.bluishGreen, OKABE_ITO.blue, OKABE_ITO.reddishPurple],
};

/**
 * How every outcome is named, in stack order: the good end first, the worst
 * (silent failure) last, where it stands out. The outcomes themselves are the
 * simulator's (sim/path/outcomes.ts); how they are shown is the report's, and
 * `Record<Outcome, …>` makes the compiler refuse a list that misses one – no
 * run-time copy of the simulator's list is needed to check it.
 */
export const OUTCOME_LABELS: Record<Outcome, string> = {
  success: 'success',
  escalated: 'escalated',
  failed: 'failed',
  timedOut: 'timed out',
  rejected: 'rejected',
  silentFailure: 'silent failure',
};

/** Stack order (OUTCOME_LABELS' order): every outcome once. */
export const OUTCOME_ORDER = Object.keys(OUTCOME_LABELS) as readonly Outcome[];

export const OUTCOME_COLORS = {
  domain: OUTCOME_ORDER.map((o) => OUTCOME_LABELS[o]),
  range: [OKABE_ITO.bluishGreen, OKABE_ITO.skyBlue, OKABE_ITO.orange, OKABE_ITO.yellow, GREY, OKABE_ITO.vermillion],
};

export const WIDTH = 560;

export const CONFIG: Config = {
  font: FONT,
  background: 'white',
  padding: 8,
  view: { stroke: null },
  title: { anchor: 'start', fontSize: 14, fontWeight: 'bold', subtitleFontSize: 11, subtitleColor: '#444444', offset: 12 },
  axis: { labelFontSize: 11, labelLimit: 300, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#e6e6e6', domainColor: '#888888', tickColor: '#888888' },
  legend: { labelFontSize: 11, labelLimit: 300, symbolLimit: 40, titleFontSize: 11, titleFontWeight: 'normal', orient: 'bottom', direction: 'horizontal' },
  point: { size: 70, filled: true },
  mark: { invalid: 'filter' },
};

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
