import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POLICIES, POLICY_COUNTERS, STAGE_RECOVERY_KEYS } from './registry.js';
import { POLICY_SCENARIO_FIELDS, POLICY_STAGE_FIELDS } from './schemas.js';
import { simulateModel } from '../path/index.js';
import { modelOf } from '../test-support.js';
import { RunCollector } from '../metrics/index.js';

/** The README's table of policies, as the registry says it must read. */
function policyTable(): string {
  const rows = POLICIES.map((p) => {
    const written = [p.stageKey && `\`${p.stageKey}\` on a stage`, p.scenarioKey && `\`${p.scenarioKey}\` at the top`].filter(Boolean).join(', ') || '`faults.transientShare`';
    const defaults = p.defaults.map((d) => `${d.field} ${d.value} (${d.source})`).join('; ') || '–';
    const columns = p.counters.map((c) => (c.column === null ? c.doc : `\`${c.column}\``)).join(', ') || '–';
    return `| ${p.name} | ${p.kind} | ${written} | ${defaults} | ${columns} |`;
  });
  return ['| policy | kind | written as | defaults (source) | stage result columns |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

describe('the policy registry', () => {
  it('names each policy once, and each counter, column and compiled field is owned by one policy', () => {
    const names = POLICIES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    const counters = POLICY_COUNTERS.map((c) => c.counter);
    expect(new Set(counters).size).toBe(counters.length);
    const stageFields = POLICIES.flatMap((p) => Object.keys(p.stageCoverage));
    expect(new Set(stageFields).size).toBe(stageFields.length);
    const modelFields = POLICIES.flatMap((p) => Object.keys(p.modelCoverage));
    expect(new Set(modelFields).size).toBe(modelFields.length);
  });

  it('every key a policy declares is a field of the scenario language, and every policy field there belongs to a policy', () => {
    const stageKeys = POLICIES.flatMap((p) => (p.stageKey === null ? [] : [p.stageKey]));
    expect(Object.keys(POLICY_STAGE_FIELDS).sort()).toEqual([...stageKeys].sort());
    const scenarioKeys = POLICIES.flatMap((p) => (p.scenarioKey === null ? [] : [p.scenarioKey]));
    expect(Object.keys(POLICY_SCENARIO_FIELDS).sort()).toEqual([...scenarioKeys].sort());
  });

  it('lists the recovery policies in the documented nesting order, outermost first, then the stage features', () => {
    expect(POLICIES.map((p) => p.name)).toEqual([
      'escalation', 'fallback', 'hedge', 'deadline', 'retry', 'retry-budget', 'breaker', 'bulkhead', 'timeout', 'validation',
      'incidents', 'difficulty', 'persistent-faults', 'llm',
    ]);
    expect(STAGE_RECOVERY_KEYS).toEqual(['escalate', 'fallback', 'hedge', 'retry', 'retryBudget', 'breaker', 'bulkhead', 'timeout', 'validate']);
  });

  it("gives the collector each policy's counter and the stage result each policy's column", () => {
    const collector = new RunCollector(3, 1, 2, 4);
    for (const { counter } of POLICY_COUNTERS) expect(collector[counter]).toBeInstanceOf(Float64Array);
    const json = collector.toJSON();
    for (const { counter } of POLICY_COUNTERS) expect(json.arrays[counter]).toHaveLength(3);
    const result = simulateModel(
      modelOf({ name: 'one', requests: 200, arrivals: { kind: 'poisson', rate: 10 }, pools: { cpu: { servers: 2 } }, stages: [{ id: 'a', pool: 'cpu', latency: 10 }] }),
    );
    for (const { column } of POLICY_COUNTERS) if (column !== null) expect(result.stages[0][column]).toBe(0);
  });

  it("is the README's table of policies, word for word", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme, `README.md must hold this table:\n${policyTable()}`).toContain(policyTable());
  });
});
