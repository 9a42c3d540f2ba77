/**
 * The what-if section's script, as page text (the project compiles without
 * the DOM library, as html.ts's MAIN does). It reads the section's data
 * (`#coordgap-what-if`) and the simulator's browser bundle
 * (`#coordgap-what-if-worker`, built by scripts/build-browser.ts), starts the
 * bundle as a Web Worker from a Blob URL – the page's CSP allows workers
 * from blob: and nothing else – and:
 *
 * - runs the scenario as written once on opening, then again whenever a
 *   control moves: debounced (DEBOUNCE_MS after the last move), and a run
 *   still in flight is cancelled by ending its worker and starting a new one
 *   (a worker cannot be interrupted from outside, only terminated);
 * - sends the overrides in the CLI's order (every --set, then seed=, then
 *   requests=: scripts/command-options.ts `overrides`), so the figures are
 *   those of the command line it prints under the controls;
 * - keeps the run of the scenario as written for each sample size, to show
 *   each figure's change from it (same seed, same sample: common random
 *   numbers, no interval from one run).
 *
 * Numbers are formatted as reports/format.ts does (pct, ms, usd, int, pp);
 * what-if.browser.test.ts checks the page's text against those functions.
 * The section's `data-state` (running, done, error), `data-runs` (runs
 * shown), `data-sets` (their overrides), `data-running-sets` (those of the
 * run in flight), `data-cancelled` (runs ended unfinished), `data-elapsed-ms` (the last run's
 * time in the worker), its `coordgapResult` property (the whole result) and
 * each figure's `data-value` let tests and scripts read it.
 */
export const WHAT_IF_SCRIPT = `(function () {
  'use strict';
  var DEBOUNCE_MS = 250;
  var MINUS = '\\u2212';
  var root = document.getElementById('what-if');
  var page = JSON.parse(document.getElementById('coordgap-what-if').textContent);
  var chartStyle = JSON.parse(document.getElementById('coordgap-what-if-chart').textContent);
  var charts = 0;
  var workerSource = document.getElementById('coordgap-what-if-worker').textContent;
  var workerUrl = null;
  var worker = null;
  var inFlight = null;
  var timer = null;
  var nextId = 0;
  var runs = 0;
  var cancelled = 0;
  var requests = page.requestChoices[0];
  var values = {};
  var asWritten = {};
  var inputs = {};
  page.controls.forEach(function (c) { values[c.path] = c.value; });

  function $(selector) { return root.querySelector(selector); }
  function pct(x) { return isFinite(x) ? (x * 100).toFixed(1) + ' %' : 'n/a'; }
  function signed(x, text) { return x < 0 && Number(text) !== 0 ? MINUS + text.replace(/^-/, '') : '+' + text.replace(/^-/, ''); }
  function pp(x) { return isFinite(x) ? signed(x, (x * 100).toFixed(1)) + ' pp' : 'n/a'; }
  function int(x) { return Math.round(x).toLocaleString('en-US'); }
  function ms(x) {
    if (!isFinite(x)) return 'n/a';
    var a = Math.abs(x);
    if (a === 0) return '0 ms';
    var text = a >= 10000 ? (a / 1000).toFixed(1) + ' s' : a >= 10 ? Math.round(a).toLocaleString('en-US') + ' ms' : a.toPrecision(3) + ' ms';
    return x < 0 ? MINUS + text : text;
  }
  function deltaMs(x) { return isFinite(x) ? (x < 0 ? MINUS : '+') + ms(Math.abs(x)) : 'n/a'; }
  function usd(x) {
    if (x === null || !isFinite(x)) return 'n/a';
    var a = Math.abs(x);
    if (a === 0) return '$0';
    var text = a >= 1 ? '$' + a.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : a >= 1e-6 ? '$' + a.toPrecision(3) : '$' + a.toFixed(6);
    return x < 0 ? MINUS + text : text;
  }
  function deltaUsd(x) {
    if (x === null || !isFinite(x)) return 'n/a';
    return (x < 0 ? MINUS : '+') + usd(Math.abs(x));
  }
  /** An argument as a POSIX shell reads it back: bare when it is only safe characters, else in single quotes. */
  function shellWord(s) { return /^[A-Za-z0-9_.\\/=:,+@%-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\\\''") + "'"; }
  /** Decimals of a slider's step (0.005 → 3, 1e-7 → 7): its values are rounded to them, so a --set never carries binary noise. */
  function decimals(step) { return Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)); }

  /** The --set arguments of the controls that differ from the scenario as written. */
  function changed() {
    return page.controls.filter(function (c) { return values[c.path] !== c.value; }).map(function (c) { return c.path + '=' + String(values[c.path]); });
  }
  function overrides(sets) { return page.reportSets.concat(sets, ['seed=' + page.seed, 'requests=' + requests]); }
  function commandLine(sets) {
    var words = ['coordgap', 'run', page.scenario.file, '--seed', String(page.seed), '--requests', String(requests)];
    page.reportSets.concat(sets).forEach(function (s) { words.push('--set', s); });
    return words.map(shellWord).join(' ');
  }

  function setText(selector, text) { var el = $(selector); if (el) el.textContent = text; }
  function figure(name, value, text, note, delta) {
    var el = $('[data-figure="' + name + '"]');
    el.setAttribute('data-value', JSON.stringify(value));
    el.querySelector('.wi-value').textContent = text;
    el.querySelector('.wi-note').textContent = note;
    el.querySelector('.wi-delta').textContent = delta;
  }

  function show(result, sets, elapsedMs) {
    var base = asWritten[requests];
    var written = sets.length === 0;
    function vs(text) { return written || !base ? '' : text + ' vs as written'; }
    var s = result.successRate, f = result.silentFailureRate, l = result.latencyMs, c = result.costUsd;
    figure('successRate', s, pct(s.estimate), '95 % interval ' + pct(s.ci95[0]) + ' – ' + pct(s.ci95[1]), base ? vs(pp(s.estimate - base.successRate.estimate)) : '');
    figure('silentFailureRate', f, pct(f.estimate), '95 % interval ' + pct(f.ci95[0]) + ' – ' + pct(f.ci95[1]) + ' · ' + int(result.outcomes.silentFailure) + ' requests', base ? vs(pp(f.estimate - base.silentFailureRate.estimate)) : '');
    figure('latencyMs', { p50: l.p50, p95: l.p95, p99: l.p99 }, ms(l.p50) + ' / ' + ms(l.p95) + ' / ' + ms(l.p99), 'p50 / p95 / p99 of ' + int(l.count) + ' successful requests', base ? vs('p95 ' + deltaMs(l.p95 - base.latencyMs.p95)) : '');
    figure('spendUsd', { perRequest: c.spend.perRequest, perSuccess: c.spend.perSuccess }, usd(c.spend.perRequest) + ' / ' + usd(c.spend.perSuccess), 'per request / per success: tokens, compute, human time', base ? vs(deltaUsd(c.spend.perRequest - base.costUsd.spend.perRequest) + ' per request') : '');
    figure('totalCostUsd', { perRequest: c.perRequest, perSuccess: c.perSuccess, perSilentFailure: c.assumedPenalty.perSilentFailure }, usd(c.perRequest) + ' / ' + usd(c.perSuccess),
      'per request / per success, with the assumed ' + usd(c.assumedPenalty.perSilentFailure) + ' per silent failure (an assumption: costs.silentFailureUsd)', base ? vs(deltaUsd(c.perRequest - base.costUsd.perRequest) + ' per request') : '');
    figure('requests', { requests: result.requests, replications: result.replications, seed: result.seed }, int(result.requests),
      'requests, seed ' + result.seed + ', ' + result.replications + ' replication; simulated in this browser in ' + (elapsedMs / 1000).toFixed(2) + ' s', '');
    drawOutcomes(result, written ? null : base);
    root.coordgapResult = result;
    root.setAttribute('data-elapsed-ms', String(Math.round(elapsedMs)));
    root.setAttribute('data-sets', JSON.stringify(overrides(sets)));
    root.setAttribute('data-runs', String(++runs));
    setText('.wi-status', written ? 'The scenario as written.' : 'With ' + sets.length + ' change' + (sets.length === 1 ? '' : 's') + ' from the scenario as written.');
    $('.wi-error').hidden = true;
    root.setAttribute('data-state', 'done');
  }

  /**
   * How requests end, as written and with these settings, as the report's
   * outcomes chart draws it (stacked shares, the same colours), redrawn by
   * vega-embed – inlined in the page – on every run.
   */
  function drawOutcomes(result, base) {
    var view = $('.wi-chart-view');
    if (typeof vegaEmbed !== 'function' || !view) return;
    var rows = [];
    function add(arm, r) {
      chartStyle.order.forEach(function (o, k) {
        rows.push({ arm: arm, outcome: chartStyle.labels[k], order: k, count: r.outcomes[o], share: r.requests > 0 ? r.outcomes[o] / r.requests : 0 });
      });
    }
    if (base && base !== result) add('as written', base);
    add(base && base !== result ? 'with these settings' : 'as written', result);
    var spec = {
      $schema: chartStyle.schema,
      width: 'container',
      // A fixed height (28 px a bar), not a step: with width 'container' vega-lite fits, and drops (with a warning) a fit on a stepped axis.
      height: 28 * (rows.length / chartStyle.order.length),
      autosize: { type: 'fit-x', contains: 'padding' },
      data: { values: rows },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'arm', type: 'nominal', title: null, sort: ['as written', 'with these settings'] },
        x: { field: 'share', type: 'quantitative', stack: 'zero', title: 'share of requests', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
        color: { field: 'outcome', type: 'nominal', title: 'outcome', scale: chartStyle.colors, sort: chartStyle.colors.domain, legend: { orient: 'bottom', columns: 2 } },
        order: { field: 'order', type: 'quantitative' },
        tooltip: [{ field: 'arm' }, { field: 'outcome' }, { field: 'share', format: '.1%' }, { field: 'count', format: ',' }],
      },
      config: chartStyle.config,
    };
    var n = ++charts;
    vegaEmbed(view, spec, { actions: false, renderer: 'svg', ast: true, tooltip: true }).then(function () {
      if (n === charts) root.setAttribute('data-chart-runs', String(n));
    }, function (error) { console.error(error); });
  }

  function fail(message) {
    var box = $('.wi-error');
    box.textContent = message;
    box.hidden = false;
    setText('.wi-status', 'No figures for these settings: the figures shown are for the last settings that ran.');
    root.setAttribute('data-state', 'error');
  }

  function startWorker() {
    if (workerUrl === null) workerUrl = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
    var w = new Worker(workerUrl);
    w.onmessage = function (event) {
      var reply = event.data;
      if (reply.violation !== undefined) { console.error('what-if worker, refused by the Content-Security-Policy: ' + reply.violation); return; }
      var run = inFlight;
      if (run === null) return;
      if (reply.id === run.baselineId) {
        if (reply.ok) asWritten[run.requests] = reply.result;
        run.startedMs = performance.now(); // the time shown is the run's own
        return;
      }
      if (reply.id !== run.id) return;
      inFlight = null;
      if (!reply.ok) { fail(reply.error); if (/^internal error/.test(reply.error)) console.error(reply.error); return; }
      if (run.sets.length === 0) asWritten[run.requests] = reply.result;
      show(reply.result, run.sets, performance.now() - run.startedMs);
    };
    w.onerror = function (event) {
      event.preventDefault();
      inFlight = null;
      worker = null;
      w.terminate();
      console.error('what-if worker: ' + event.message);
      fail('The simulator could not run in this browser: ' + event.message);
    };
    return w;
  }

  function run() {
    timer = null;
    // A worker cannot be interrupted: one still busy with settings nobody wants any more is ended, and a new one starts.
    if (inFlight !== null && worker !== null) {
      worker.terminate();
      worker = null;
      root.setAttribute('data-cancelled', String(++cancelled));
    }
    if (worker === null) worker = startWorker();
    var sets = changed();
    var current = { id: 0, baselineId: -1, sets: sets, requests: requests, startedMs: performance.now() };
    // The scenario as written at this sample size, first, when a change needs it to be compared with.
    if (sets.length > 0 && !asWritten[requests]) {
      current.baselineId = ++nextId;
      worker.postMessage({ id: current.baselineId, scenario: page.scenario, sets: overrides([]) });
    }
    current.id = ++nextId;
    worker.postMessage({ id: current.id, scenario: page.scenario, sets: overrides(sets) });
    inFlight = current;
    root.setAttribute('data-running-sets', JSON.stringify(overrides(sets)));
    root.setAttribute('data-state', 'running');
    setText('.wi-status', 'Simulating ' + int(requests) + ' requests…');
    setText('.wi-cli code', commandLine(sets));
  }

  function schedule(delayMs) {
    if (timer !== null) clearTimeout(timer);
    setText('.wi-cli code', commandLine(changed()));
    timer = setTimeout(run, delayMs);
  }

  page.controls.forEach(function (c, i) {
    var range = root.querySelector('[data-control="' + i + '"][type="range"]');
    var number = root.querySelector('[data-control="' + i + '"][type="number"]');
    inputs[c.path] = { range: range, number: number };
    range.addEventListener('input', function () {
      var v = Number(Number(range.value).toFixed(decimals(c.step)));
      values[c.path] = v;
      number.value = String(v);
      number.removeAttribute('aria-invalid');
      schedule(DEBOUNCE_MS);
    });
    number.addEventListener('input', function () {
      var v = number.value.trim() === '' ? NaN : Number(number.value);
      if (!isFinite(v)) { number.setAttribute('aria-invalid', 'true'); return; }
      number.removeAttribute('aria-invalid');
      values[c.path] = v;
      range.value = String(v);
      schedule(DEBOUNCE_MS);
    });
  });
  root.querySelectorAll('input[name="wi-requests"]').forEach(function (radio) {
    radio.addEventListener('change', function () {
      if (!radio.checked) return;
      requests = Number(radio.value);
      schedule(0);
    });
  });
  $('.wi-reset').addEventListener('click', function () {
    page.controls.forEach(function (c) {
      values[c.path] = c.value;
      inputs[c.path].range.value = String(c.value);
      inputs[c.path].number.value = String(c.value);
      inputs[c.path].number.removeAttribute('aria-invalid');
    });
    schedule(0);
  });
  $('.wi-nojs').hidden = true;
  $('.wi-body').hidden = false;
  run();
})();`;
