import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';
import type { PortfolioResult } from '../sim/experiment/index.js';

/** Two priced options that interact (experiments/portfolio.test.ts derives their figures). */
const FIXTURE = join(PACKAGE_ROOT, 'experiments', 'test-fixtures', 'interacting-fixes.yaml');
const REACT = join(PACKAGE_ROOT, 'scenarios', 'react-agent.yaml');

describe('coordgap portfolio', () => {
  it('gives the same JSON for the same seed whatever the thread count', async () => {
    const args = ['portfolio', REACT, '--requests', '300', '--replications', '2', '--seed', '5', '--json'];
    const [one, two] = await Promise.all([1, 2].map((t) => runCli([...args, '--threads', String(t)], tempDir('coordgap-portfolio-'))));
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const p = JSON.parse(one.stdout) as PortfolioResult;
    // limit-25 and limit-10 set the same step limit: the 5 sets holding both are not built, 11 of 15 are.
    expect(p.conflicts.map((c) => [c.a, c.b])).toEqual([['limit-25', 'limit-10']]);
    expect(p.search).toEqual({ method: 'exhaustive', simulated: 11, combinations: 11, limit: null });
    expect(p.combinations.some((c) => c.options.includes('limit-25') && c.options.includes('limit-10'))).toBe(false);
  }, 180_000);

  it('recommends the set with the most task success within the budget, says what a bigger one buys, and writes its files', async () => {
    const dir = tempDir('coordgap-portfolio-');
    // validate: $1,600 over 12 months = $133.33; retry: $800 / 12 + $50 = $116.67; both $250 – the spend is 0 (nothing is priced per call).
    const at = async (budget: string) => {
      const r = await runCli(['portfolio', FIXTURE, '--requests', '3000', '--budget', budget, '--json'], dir);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as PortfolioResult;
    };
    const [low, mid, high] = await Promise.all([at('100'), at('200'), at('300')]);
    expect(low.recommended).toBe('keep as is');
    expect(mid.recommended).toBe('retry');
    expect(high.recommended).toBe('validate + retry');
    for (const p of [low, mid, high])
      for (const c of p.combinations) {
        expect(c.withinBudget).toBe(c.extraCostMonthlyUsd <= p.budgetMonthlyUsd!);
        if (c.withinBudget && !c.worse && c.name !== p.recommended) expect(c.successDelta.estimate).toBeLessThanOrEqual(p.combinations.find((x) => x.name === p.recommended)?.successDelta.estimate ?? 0);
      }

    const text = await runCli(['portfolio', FIXTURE, '--requests', '3000', '--budget', '$200', '--out', 'out'], dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^ {2}Recommended: retry – task success .* extra cost \+\$116\.67 a month \(spend \+\$0, prices \$116\.67\)\.$/m);
    expect(text.stdout).toMatch(/^ {2}Above the budget, the cheapest set with more task success is validate \+ retry: \+\d+\.\d pp ± \d\.\d for \+\$250\.00 a month\.$/m);
    expect(text.stdout).toMatch(/^simulated 3 of 3 combinations in \d+\.\d s$/m);
    for (const f of ['results.json', 'portfolio.md', 'charts/portfolio-frontier.vl.json', 'charts/portfolio-frontier.svg']) expect(existsSync(join(dir, 'out', f)), f).toBe(true);
    expect(readFileSync(join(dir, 'out', 'portfolio.md'), 'utf8')).toContain('](charts/portfolio-frontier.svg)');
    const spec = JSON.parse(readFileSync(join(dir, 'out', 'charts', 'portfolio-frontier.vl.json'), 'utf8'));
    expect(spec.title.text.join(' ')).toMatch(/^Within \$200\.00 a month, retry gives the most task success/);

    const none = await runCli(['portfolio', FIXTURE, '--requests', '3000'], dir);
    expect(none.stdout).toMatch(/No budget given \(--budget USD\): the recommended set is the one with the most task success, at whatever it costs\./);
    expect(none.stdout).toMatch(/Recommended: validate \+ retry/);
  }, 180_000);

  it('searches at most --max-combinations and says how many it tried out of how many', async () => {
    const r = await runCli(['portfolio', REACT, '--requests', '300', '--replications', '2', '--max-combinations', '6', '--json'], tempDir('coordgap-portfolio-'));
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout) as PortfolioResult;
    expect(p.search.method).toBe('bounded');
    expect(p.search.combinations).toBe(11);
    expect(p.search.simulated).toBeLessThanOrEqual(6);
    expect(p.combinations).toHaveLength(p.search.simulated);
  }, 180_000);

  it('refuses a budget that is not dollars, a bound below the options, and a scenario without options', async () => {
    const dir = tempDir('coordgap-portfolio-');
    const bad = await runCli(['portfolio', FIXTURE, '--budget', 'lots'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--budget must be US dollars a month, a number of at least 0 such as 1500; got "lots"/);
    const few = await runCli(['portfolio', REACT, '--max-combinations', '2'], dir);
    expect(few.code).toBe(2);
    expect(few.stderr).toMatch(/--max-combinations 2 is fewer than the 4 options/);
    const bare = await runCli(['portfolio', join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml')], dir);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/has no variants to combine/);
  }, 60_000);
});
