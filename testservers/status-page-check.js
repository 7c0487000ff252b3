#!/usr/bin/env node
// Drives the agent's status page in Debian's Chromium (never a downloaded browser) and prints one
// JSON line per step with what the page showed. The caller (StatusPageIT) decides what is right;
// this script only waits for a condition, observes the DOM and reports.
//
//   node status-page-check.js --url http://127.0.0.1:PORT/ --steps connected,disconnect,reconnect
//        [--timeout-ms 20000] [--screenshot PATH]... [--dark-screenshot PATH] [--failure-screenshot PATH]
//        [--escape-payload STRING] [--chromium /usr/bin/chromium] [--width 390 --height 844]
//
// Steps, in the order given:
//   connected   wait until every fleet shows n/n connected
//   disconnect  wait until some fleet shows a last disconnect reason
//   reconnect   wait until every fleet is n/n again and shows reconnect percentiles
//   flapping    wait until every fleet, and the headline, say flapping
//   stale       make api/status fail, wait for the stale banner, then let it through again
//   overflow    measure horizontal overflow at the viewport width
//   screenshot  full-page screenshot to every --screenshot path (and --dark-screenshot)
//   escape      open a second page whose api/status is the real one with --escape-payload put
//               into every server-provided string a reader sees; report what the DOM holds
// Exit code: 0 when every step's wait was satisfied, 1 otherwise (the failing step is printed).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

function parseArgs(argv) {
  const opts = { steps: [], screenshot: [], timeoutMs: 20000, chromium: '/usr/bin/chromium', width: 390, height: 844 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--url': opts.url = value; break;
      case '--steps': opts.steps = value.split(',').filter(Boolean); break;
      case '--timeout-ms': opts.timeoutMs = Number(value); break;
      case '--screenshot': opts.screenshot.push(value); break;
      case '--dark-screenshot': opts.darkScreenshot = value; break;
      case '--failure-screenshot': opts.failureScreenshot = value; break;
      case '--escape-payload': opts.escapePayload = value; break;
      case '--chromium': opts.chromium = value; break;
      case '--width': opts.width = Number(value); break;
      case '--height': opts.height = Number(value); break;
      default: throw new Error(`unknown flag ${flag}`);
    }
  }
  if (!opts.url) throw new Error('--url is required');
  return opts;
}

const started = Date.now();
function report(step, ok, fields) {
  process.stdout.write(JSON.stringify({ step, ok, elapsed_ms: Date.now() - started, ...fields }) + '\n');
}

// What a reader sees, read from the DOM (runs in the page).
function observe() {
  const text = (root, sel) => {
    const node = root.querySelector(sel);
    return node ? node.textContent.replace(/\s+/g, ' ').trim() : null;
  };
  const banner = document.getElementById('banner');
  return {
    overall: text(document, '#overall'),
    overall_state: document.getElementById('overall').dataset.state || null,
    overall_headline: text(document, '.overall-headline'),
    flap_rule: text(document, '#flap-rule'),
    updated: text(document, '#updated'),
    banner: banner && !banner.hidden ? banner.textContent : null,
    // A value the page forgot to format shows up as one of these words.
    unformatted: document.body.innerText.match(/\b(null|undefined|NaN|Infinity)\b|\[object /g),
    fleets: [...document.querySelectorAll('.fleet')].map((f) => ({
      target: f.closest('.target').dataset.target,
      transport: f.dataset.transport,
      state: f.dataset.state,
      badge: text(f, '.badge'),
      count: text(f, '.count-num'),
      last_disconnect: text(f, '.last-disconnect'),
      disconnect_chips: [...f.querySelectorAll('.chip-disconnect')].map((c) => c.textContent),
      reconnect_percentiles: [...f.querySelectorAll('.pct[data-kind=reconnect] .pct-tile')]
        .map((t) => [...t.children].map((c) => c.textContent.replace(/\s+/g, ' ').trim()).join(' ')),
      timeline_bars: f.querySelectorAll('.timeline rect').length,
      lifetime_bars: f.querySelectorAll('.bar-lifetime').length,
      lifetime_peak: text(f, '.peak-label'),
      lifetime_caption: text(f, '.lifetime-caption'),
      hint: text(f, '.hint'),
    })),
  };
}

const allConnected = (o) => o.fleets.length > 0 && o.fleets.every((f) => /^(\d+)\/\1$/.test(f.count || '') && f.count !== '0/0');
const predicates = {
  connected: allConnected,
  disconnect: (o) => o.fleets.some((f) => f.last_disconnect),
  reconnect: (o) => allConnected(o) && o.fleets.every((f) => f.reconnect_percentiles.length === 3),
  flapping: (o) => o.overall_state === 'flapping' && o.fleets.every((f) => f.state === 'flapping'),
};

async function waitFor(page, step, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let observed;
  while (true) {
    observed = await page.evaluate(observe);
    if (predicate(observed)) return { ok: true, observed };
    if (Date.now() > deadline) return { ok: false, observed };
    await page.waitForTimeout(250);
  }
}

async function stale(page, timeoutMs) {
  await page.route('**/api/status', (route) => route.abort('connectionrefused'));
  const down = await waitFor(page, 'stale', (o) => o.banner !== null, timeoutMs);
  await page.unroute('**/api/status');
  if (!down.ok) return { ok: false, observed: down.observed };
  const back = await waitFor(page, 'stale', (o) => o.banner === null, timeoutMs);
  return { ok: back.ok, observed: { while_failing: down.observed, after_recovery: back.observed } };
}

async function overflow(page) {
  const observed = await page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .slice(0, 10)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className.baseVal ?? e.className} right=${Math.round(e.getBoundingClientRect().right)}`);
    return { scroll_width: root.scrollWidth, client_width: width, overflowing: wide };
  });
  return { ok: observed.scroll_width <= observed.client_width, observed };
}

async function screenshot(page, opts) {
  for (const file of opts.screenshot) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    await page.screenshot({ path: file, fullPage: true });
  }
  if (opts.darkScreenshot) {
    await page.emulateMedia({ colorScheme: 'dark' });
    fs.mkdirSync(path.dirname(path.resolve(opts.darkScreenshot)), { recursive: true });
    await page.screenshot({ path: opts.darkScreenshot, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
  }
  return { ok: true, observed: { files: [...opts.screenshot, opts.darkScreenshot].filter(Boolean) } };
}

// The real api/status with the payload in the strings a remote server or a config controls.
function poison(status, payload) {
  const at = status.now;
  const target = status.targets[0];
  target.name = `${target.name} ${payload}`;
  for (const fleet of target.fleets) {
    const c = fleet.canaries[0];
    c.last_error = { reason: payload, detail: `server said: ${payload}`, at };
    // An unbroken 300-character token (a JWT, a URL) must wrap, not widen the page.
    if (fleet !== target.fleets[0]) c.last_error.detail = `token ${'x'.repeat(300)} expired`;
    c.last_disconnect = { reason: payload, at };
    // The page shows the fleet's summaries (the latest error and disconnect of any canary).
    fleet.last_error = { ...c.last_error, canary: 0 };
    fleet.last_disconnect = { reason: payload, at, canary: 0 };
    fleet.history.timeline.push({ start: at, disconnects: { [payload]: 1 }, reconnects: 0, connect_errors: { [payload]: 1 } });
    fleet.history.recent.push({ at, canary: 0, kind: 'disconnect', reason: payload, seconds: 1 });
  }
  return status;
}

async function escape(context, opts, timeoutMs) {
  if (!opts.escapePayload) throw new Error('the escape step needs --escape-payload');
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.route('**/api/status', async (route) => {
    const real = await route.fetch();
    const status = poison(await real.json(), opts.escapePayload);
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(status) });
  });
  await page.goto(opts.url);
  const shown = await waitFor(page, 'escape', (o) => o.fleets.some((f) => f.last_disconnect), timeoutMs);
  const observed = await page.evaluate((payload) => ({
    img_elements: document.querySelectorAll('img').length,
    script_elements: document.querySelectorAll('script').length,
    xss_flag: window.__xss === undefined ? null : String(window.__xss),
    payload_text_nodes: [...document.querySelectorAll('body *')]
      .filter((e) => [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.includes(payload))).length,
    detail_text: (document.querySelector('.detail') || {}).textContent || null,
    target_heading: (document.querySelector('.target h2') || {}).textContent || null,
    scroll_width: document.documentElement.scrollWidth,
    client_width: document.documentElement.clientWidth,
  }), opts.escapePayload);
  observed.dialogs = dialogs;
  await page.close();
  return { ok: shown.ok, observed };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'status-page-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: opts.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: opts.width, height: opts.height },
    colorScheme: 'light',
  });
  const pageErrors = [];
  const console_ = [];
  context.on('weberror', (e) => pageErrors.push(String(e.error())));
  context.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console_.push(`${m.type()}: ${m.text()}`); });
  let failed = false;
  try {
    const page = context.pages()[0] || await context.newPage();
    const response = await page.goto(opts.url);
    report('open', response.ok(), {
      status: response.status(),
      cache_control: response.headers()['cache-control'] || null,
      csp: response.headers()['content-security-policy'] || null,
      browser: context.browser() ? context.browser().version() : null,
    });
    for (const step of opts.steps) {
      let result;
      if (predicates[step]) result = await waitFor(page, step, predicates[step], opts.timeoutMs);
      else if (step === 'stale') result = await stale(page, opts.timeoutMs);
      else if (step === 'overflow') result = await overflow(page);
      else if (step === 'screenshot') result = await screenshot(page, opts);
      else if (step === 'escape') result = await escape(context, opts, opts.timeoutMs);
      else throw new Error(`unknown step ${step}`);
      report(step, result.ok, { observed: result.observed });
      if (!result.ok) {
        failed = true;
        if (opts.failureScreenshot) await page.screenshot({ path: opts.failureScreenshot, fullPage: true });
        break;
      }
    }
  } finally {
    report('errors', pageErrors.length === 0, { page_errors: pageErrors, console: console_ });
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  process.exitCode = failed || pageErrors.length ? 1 : 0;
}

main().catch((e) => {
  report('crash', false, { error: String(e && e.stack || e) });
  process.exitCode = 2;
});
