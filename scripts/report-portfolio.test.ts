/**
 * `report --budget USD` through the CLI: the "Portfolio" section and
 * charts/portfolio-frontier.* appear with the flag and not without it, in the
 * terminal's own words (`coordgap portfolio` with the same budget), `--from`
 * re-renders them from results.json byte for byte, a scenario with one option
 * gets a section saying why there is no portfolio, and a results.json whose
 * portfolio names a set it did not simulate is refused naming the field.
 * A tiny scenario (1,000 requests, two priced options) keeps it quick.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './test-support.js';

const SCENARIO = `name: port
seed: 5
requests: 1000
arrivals: { kind: poisson, rate: 50/s }
pools: { cpu: { servers: 8 } }
costs: { requestsPerMonth: 100000, silentFailureUsd: 2 }
stages:
  - { id: a, pool: cpu, latency: 10ms, faults: { error: 0.2 } }
  - { id: b, pool: cpu, latency: 10ms, faults: { error: 0.2 } }
variants:
  - name: fix-a
    kind: coordination
    patch: { stages: { a: { faults: { error: 0 } } } }
    price: { monthlyUsd: 100 }
  - name: fix-b
    kind: coordination
    patch: { stages: { b: { faults: { error: 0 } } } }
    price: { monthlyUsd: 100 }
`;

const FAST = ['--replications', '2', '--threads', '1', '--no-sensitivity', '--no-study'];

describe('report --budget', () => {
  it('adds the portfolio section and chart in the terminal\'s words; --from re-renders them as they were; without the flag there is neither', async () => {
    const dir = tempDir('coordgap-report-port-');
    const file = join(dir, 'port.yaml');
    writeFileSync(file, SCENARIO);
    const out = join(dir, 'with');
    const r = await runCli(['report', file, '--budget', '150', ...FAST, '--out', out], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('\n## Portfolio: what to buy with the budget\n');
    expect(md).toContain('](charts/portfolio-frontier.svg)');
    // Each fix removes a 20 % error at its own stage, so either alone lifts success from 0.64 to 0.8;
    // both cost $200 a month, over the $150 budget: one of the two is recommended, and the pair is named above the budget.
    expect(md).toMatch(/\n- Budget: \$150\.00 a month of extra cost\.\n- Recommended: fix-[ab] – task success /);
    expect(md).toMatch(/\n- Above the budget, the cheapest set with more task success is fix-a \+ fix-b: /);
    expect(md).toMatch(/\n\| fix-a \+ fix-b \(over budget\) \| \+\$200\.00 \|/);
    // The same sentences as `coordgap portfolio` with the same budget (reports/portfolio.ts, one wording).
    const terminal = await runCli(['portfolio', file, '--budget', '150', '--replications', '2', '--threads', '1'], dir);
    expect(terminal.code, terminal.stderr).toBe(0);
    const sentences = terminal.stdout.split('\n').filter((l) => /^ {2}(Budget|Recommended|Above the budget|Best first step|Within the noise): /.test(l)).map((l) => l.trim());
    expect(sentences.length).toBeGreaterThanOrEqual(3);
    for (const s of sentences) expect(md).toContain(`\n- ${s.replace(/([\\`*_[\]<>|#])/g, '\\$1')}\n`);
    for (const ext of ['vl.json', 'svg']) expect(existsSync(join(out, 'charts', `portfolio-frontier.${ext}`))).toBe(true);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<section id="portfolio">');
    expect(html).toContain('id="chart-portfolio-frontier"');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.portfolio.budgetMonthlyUsd).toBe(150);
    expect(results.portfolio.search).toMatchObject({ method: 'exhaustive', simulated: 3, combinations: 3 });

    const again = join(dir, 'again');
    const from = await runCli(['report', '--from', join(out, 'results.json'), '--out', again], dir);
    expect(from.code, from.stderr).toBe(0);
    for (const f of ['report.md', 'index.html', 'results.csv', 'charts/portfolio-frontier.vl.json', 'charts/portfolio-frontier.svg'])
      expect(readFileSync(join(again, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
    const json = (d: string) => JSON.parse(readFileSync(join(d, 'results.json'), 'utf8'));
    expect(json(again)).toEqual(json(out));

    // A portfolio naming a set it did not simulate is not one the tool wrote: refused, naming the field.
    const bad = json(out);
    bad.portfolio.recommended = 'fix-c';
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    const refused = await runCli(['report', '--from', join(dir, 'bad.json'), '--out', join(dir, 'bad')], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/field portfolio\.recommended: "fix-c" is not one of the simulated combinations/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);

    const plain = join(dir, 'plain');
    const p = await runCli(['report', file, ...FAST, '--out', plain], dir);
    expect(p.code, p.stderr).toBe(0);
    expect(readFileSync(join(plain, 'report.md'), 'utf8')).not.toContain('## Portfolio');
    expect(readFileSync(join(plain, 'index.html'), 'utf8')).not.toContain('<section id="portfolio">');
    expect(existsSync(join(plain, 'charts', 'portfolio-frontier.svg'))).toBe(false);
    expect(json(plain).portfolio).toBeUndefined();
  }, 180_000);

  it('says so in the section for a scenario with one option, and refuses --budget with --from', async () => {
    const dir = tempDir('coordgap-report-port-one-');
    const file = join(dir, 'one.yaml');
    writeFileSync(file, SCENARIO.replace(/ {2}- name: fix-b[\s\S]*$/, ''));
    const out = join(dir, 'one');
    const r = await runCli(['report', file, '--budget', '150', ...FAST, '--out', out], dir);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('\n## Portfolio: what to buy with the budget\n\n- Budget: $150.00 a month of extra cost.\n- No portfolio: the scenario has one option (variants), and a portfolio combines two or more');
    expect(existsSync(join(out, 'charts', 'portfolio-frontier.svg'))).toBe(false);
    const again = join(dir, 'again');
    expect((await runCli(['report', '--from', join(out, 'results.json'), '--out', again], dir)).code).toBe(0);
    expect(readFileSync(join(again, 'report.md'), 'utf8')).toBe(md);
    const from = await runCli(['report', '--from', join(out, 'results.json'), '--budget', '150'], dir);
    expect(from.code).toBe(2);
    expect(from.stderr).toMatch(/--budget simulates combinations of the options, and --from runs nothing/);
  }, 120_000);
});
