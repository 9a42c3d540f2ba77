/**
 * The what-if section's HTML without a browser: its script parses, its data
 * reads back as given whatever the names in it, and its controls are the
 * data's. reports/what-if.browser.test.ts runs it in Chromium.
 */
import { describe, expect, it } from 'vitest';
import { WHAT_IF_SCRIPT } from './what-if-script.js';
import { whatIfSection, type WhatIfPage } from './what-if.js';
import { fullInput } from './fixtures/load.js';
import { CONTENT_SECURITY_POLICY } from './html.js';

const HOSTILE = `</script><script>window.pwned=1</script><!--`;

const page = (): WhatIfPage => ({
  scenario: { file: `scenarios/${HOSTILE}.yaml`, data: { name: 'x', description: HOSTILE }, version: '0.0.0' },
  reportSets: [`stages.a.description=${HOSTILE}`],
  seed: 'seed with spaces',
  requestChoices: [10_000, 100_000],
  controls: [
    { path: 'stages.a.faults.error', group: 'a', label: 'error rate per attempt (loud)', unit: 'probability', value: 0.02, min: 0, max: 0.1, step: 0.001 },
    { path: 'costs.silentFailureUsd', group: 'Traffic and costs', label: `cost ${HOSTILE}`, unit: 'usd', value: 150, min: 0, max: 600, step: 1 },
  ],
});

describe('whatIfSection', () => {
  it('carries a script that parses', () => {
    // Page code is text to tsc; a syntax error there would only show in a browser.
    expect(() => new Function(WHAT_IF_SCRIPT)).not.toThrow();
  });

  it('keeps every name as data: the page reads back what it was given, and no element is closed early', () => {
    const html = whatIfSection(fullInput(), page(), 'self.onmessage = null; /* </script> */');
    // The page's data, the outcome chart's style, the worker's code and the section's script.
    expect(html.match(/<\/script>/g)).toHaveLength(4);
    expect(html).not.toContain('<script>window.pwned');
    const data = /<script type="application\/json" id="coordgap-what-if">(.*?)<\/script>/s.exec(html)![1];
    expect(JSON.parse(data)).toEqual(page());
    const worker = /<script type="text\/x-coordgap-worker" id="coordgap-what-if-worker">(.*?)<\/script>/s.exec(html)![1];
    expect(worker).toBe('self.onmessage = null; /* <\\/script> */');
  });

  it('has a slider and a number field per control, with its value, range and step, and both sample sizes', () => {
    const html = whatIfSection(fullInput(), page(), '');
    expect(html).toContain('<input type="range" data-control="0" min="0" max="0.1" step="0.001" value="0.02"');
    expect(html).toContain('<input type="number" id="wi-0" data-control="0" min="0" max="1" step="any" value="0.02"');
    expect(html).toContain('<input type="range" data-control="1" min="0" max="600" step="1" value="150"');
    expect(html).toContain('<label><input type="radio" name="wi-requests" value="10000" checked> 10,000 requests</label>');
    expect(html).toContain('<label><input type="radio" name="wi-requests" value="100000"> 100,000 requests</label>');
    expect(html).toContain('<legend>Traffic and costs</legend>');
  });

  it('needs workers from blob: URLs and nothing more from the page policy', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("worker-src blob:;");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|worker-src[^;]*(\*|data:|'self')/);
  });
});
