// The status page: polls api/status and redraws. Every string from the server goes into the DOM
// through textContent or setAttribute, never as markup: error details come from remote servers.
'use strict';

(() => {
  const REFRESH_MS = 2000;
  const FETCH_TIMEOUT_MS = 4000;
  const WINDOW_MINUTES = 60;
  const SVG_NS = 'http://www.w3.org/2000/svg';

  let lastOkAt = null;      // Date.now() of the last successful fetch
  let failure = null;       // why the last fetch failed, or null
  const openDetails = new Set(); // <details> the reader opened survive redraws

  // ---- DOM helpers: text only ----

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined && value !== false) {
        node.setAttribute(key, String(value));
      }
    }
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  // ---- formatting: a unit on every number ----

  function seconds(s) {
    if (s === null || s === undefined || !Number.isFinite(s)) return '–';
    // No-break spaces keep a number and its unit on one line.
    if (s < 1) return `${Math.round(s * 1000)}\u00a0ms`;
    if (s < 10) return `${s.toFixed(2)}\u00a0s`;
    if (s < 100) return `${s.toFixed(1)}\u00a0s`;
    if (s < 3600) return `${Math.floor(s / 60)}\u00a0min ${Math.round(s % 60)}\u00a0s`;
    return `${Math.floor(s / 3600)}\u00a0h ${Math.round((s % 3600) / 60)}\u00a0min`;
  }

  function ago(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return `${s}\u00a0s ago`;
    if (s < 3600) return `${Math.floor(s / 60)}\u00a0min ${s % 60}\u00a0s ago`;
    return `${Math.floor(s / 3600)}\u00a0h ${Math.floor((s % 3600) / 60)}\u00a0min ago`;
  }

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
  }

  // ---- fleet state ----

  // A fleet that keeps losing its connections is not "up", whatever this instant shows: with a
  // proxy cutting every connection after a few seconds, a glance finds every canary connected most
  // of the time. Flapping: at least FLAP_PER_CANARY lost connections per configured canary within
  // the last FLAP_MINUTES minutes (per-minute buckets), i.e. connections living under ~100 s on
  // average. Stated on the page (#flap-rule) so the reader knows what the word means here.
  const FLAP_MINUTES = 5;
  const FLAP_PER_CANARY = 3;

  function recentDisconnects(fleet, now) {
    const since = now - FLAP_MINUTES * 60000;
    let n = 0;
    for (const m of fleet.history.timeline) {
      if (Date.parse(m.start) > since) n += Object.values(m.disconnects || {}).reduce((a, b) => a + b, 0);
    }
    return n;
  }

  function isFlapping(fleet, now) {
    return fleet.clients > 0 && recentDisconnects(fleet, now) >= FLAP_PER_CANARY * fleet.clients;
  }

  function fleetState(fleet, now) {
    if (!fleet.up) return { key: 'down', label: 'DOWN', icon: '✕' };
    if (isFlapping(fleet, now)) return { key: 'flapping', label: 'FLAPPING', icon: '↯' };
    if (fleet.connected < fleet.clients) return { key: 'degraded', label: 'DEGRADED', icon: '!' };
    return { key: 'up', label: 'UP', icon: '✓' };
  }

  function sumCounts(timeline, field) {
    const totals = new Map();
    for (const minute of timeline) {
      for (const [reason, n] of Object.entries(minute[field] || {})) {
        totals.set(reason, (totals.get(reason) || 0) + n);
      }
    }
    return [...totals.entries()].sort((a, b) => b[1] - a[1]);
  }

  // ---- rendering ----

  function render(status) {
    const now = Date.parse(status.now);
    document.getElementById('version').textContent = `v${status.version}`;
    const fleets = status.targets.flatMap((t) => t.fleets.map((f) => ({ ...f, target: t.name })));
    renderOverall(fleets, status.ready, now);
    const main = document.getElementById('targets');
    rememberDetails(main);
    main.replaceChildren(...status.targets.map((t) => target(t, now)));
  }

  function renderOverall(fleets, ready, now) {
    const down = fleets.filter((f) => !f.up).length;
    const flapping = fleets.filter((f) => f.up && isFlapping(f, now)).length;
    const degraded = fleets.filter((f) => f.up && f.connected < f.clients).length;
    const connected = fleets.reduce((n, f) => n + f.connected, 0);
    const clients = fleets.reduce((n, f) => n + f.clients, 0);
    let key = 'up';
    let headline = fleets.length === 0 ? 'No fleets configured' : `All ${plural(fleets.length, 'fleet')} up`;
    if (down > 0) {
      key = 'down';
      headline = `${down} of ${plural(fleets.length, 'fleet')} DOWN`;
    } else if (flapping > 0) {
      key = 'flapping';
      headline = `${flapping} of ${plural(fleets.length, 'fleet')} flapping`;
    } else if (degraded > 0) {
      key = 'degraded';
      headline = `${degraded} of ${plural(fleets.length, 'fleet')} degraded`;
    }
    if (!ready) headline += ' (starting)';
    const overall = document.getElementById('overall');
    overall.className = `overall state-${key}`;
    overall.dataset.state = key;
    // Name the broken fleets up front: with many targets the reader should not have to scroll.
    const broken = fleets.filter((f) => f.connected < f.clients || isFlapping(f, now))
      .map((f) => `${f.target}/${f.transport} ${fleetState(f, now).label.toLowerCase().replace('down', 'DOWN')}`
        + ` (${f.connected}/${f.clients}, ${recentDisconnects(f, now)} lost in ${FLAP_MINUTES} min)`);
    overall.replaceChildren();
    append(overall, [
      el('span', { class: 'overall-headline' }, headline),
      el('span', { class: 'overall-count' }, `${connected}/${clients} canaries connected`),
      broken.length ? el('ul', { class: 'overall-broken' }, broken.slice(0, 8).map((b) => el('li', null, b)),
        broken.length > 8 ? el('li', null, `and ${broken.length - 8} more`) : null) : null,
      el('p', { id: 'flap-rule', class: 'flap-rule muted' },
        `flapping = ${FLAP_PER_CANARY} or more lost connections per canary in the last ${FLAP_MINUTES} min`)]);
  }

  function target(t, now) {
    const connected = t.fleets.reduce((n, f) => n + f.connected, 0);
    const clients = t.fleets.reduce((n, f) => n + f.clients, 0);
    return el('section', { class: 'target', 'data-target': t.name },
      el('div', { class: 'target-head' },
        el('h2', null, t.name),
        el('span', { class: 'target-count' }, `${connected}/${clients} connected`)),
      el('p', { class: 'target-url muted' }, `${t.url}${t.path} · namespace ${t.namespace}`),
      el('div', { class: 'fleets' }, t.fleets.map((f) => fleet(t.name, f, now))));
  }

  function fleet(targetName, f, now) {
    const state = fleetState(f, now);
    const h = f.history;
    return el('article', { class: `fleet state-${state.key}`, 'data-transport': f.transport, 'data-state': state.key },
      el('div', { class: 'fleet-head' },
        el('h3', null, f.transport),
        el('span', { class: 'badge' }, el('span', { 'aria-hidden': 'true' }, state.icon), ` ${state.label}`)),
      el('p', { class: 'count' },
        el('span', { class: 'count-num' }, `${f.connected}/${f.clients}`), ' connected',
        transportsInUse(f)),
      reasons(f, now),
      el('h4', null, 'Last hour, per minute'),
      timeline(h.timeline, now),
      el('h4', null, 'Reconnect duration'),
      percentiles(h.reconnect_seconds, 'reconnect', 'reconnects'),
      el('h4', null, 'Connection lifetime'),
      lifetimes(h.lifetime_seconds, sumCounts(h.timeline, 'disconnects'), f.suspected_idle_timeout_s),
      canaries(`${targetName}/${f.transport}/canaries`, f.canaries, f.canaries_total, now),
      recent(`${targetName}/${f.transport}/recent`, h.recent, now));
  }

  function transportsInUse(f) {
    const on = new Map(Object.entries(f.transports || {}));
    if (on.size === 0 || (on.size === 1 && on.has(f.transport))) return null;
    const parts = [...on.entries()].map(([name, n]) => `${name} ×${n}`);
    return el('span', { class: 'muted on' }, ` · on ${parts.join(', ')}`);
  }

  function reasons(f, now) {
    const box = el('div', { class: 'reasons' });
    const last = f.last_disconnect;
    if (last) {
      box.append(el('p', { class: 'last-disconnect' }, 'Last disconnect: ',
        el('code', { class: 'reason' }, last.reason),
        ` ${ago(now - Date.parse(last.at))} (canary #${last.canary})`));
    } else {
      box.append(el('p', { class: 'muted' }, 'No disconnect yet.'));
    }
    const disconnects = sumCounts(f.history.timeline, 'disconnects');
    if (disconnects.length) {
      box.append(el('p', { class: 'chips' }, el('span', { class: 'muted' }, 'Disconnects: '),
        disconnects.map(([reason, n]) => el('span', { class: 'chip chip-disconnect' }, `${reason} ×${n}`))));
    }
    const errors = sumCounts(f.history.timeline, 'connect_errors');
    if (errors.length) {
      box.append(el('p', { class: 'chips' }, el('span', { class: 'muted' }, 'Connect errors: '),
        errors.map(([reason, n]) => el('span', { class: 'chip chip-error' }, `${reason} ×${n}`))));
    }
    const lastError = f.last_error;
    if (lastError) {
      box.append(el('div', { class: 'last-error' },
        el('p', null, 'Last connect error: ', el('code', { class: 'reason' }, lastError.reason),
          ` ${ago(now - Date.parse(lastError.at))} (canary #${lastError.canary})`),
        lastError.detail ? el('pre', { class: 'detail' }, lastError.detail) : null));
    }
    return box;
  }

  // Minute bars over the last hour: disconnects and connect errors up, reconnects down.
  function timeline(minutes, now) {
    const W = 360, H = 120, left = 26, right = 4, mid = 56, half = 44;
    const slot = (W - left - right) / WINDOW_MINUTES;
    const nowMinute = Math.floor(now / 60000);
    const byMinute = new Map(minutes.map((m) => [Math.floor(Date.parse(m.start) / 60000), m]));
    const total = (o) => Object.values(o || {}).reduce((a, b) => a + b, 0);
    let max = 1;
    for (const m of minutes) max = Math.max(max, total(m.disconnects) + total(m.connect_errors), m.reconnects);
    const scale = half / max;
    const chart = svg('svg', { class: 'chart timeline', viewBox: `0 0 ${W} ${H}`, role: 'img',
      'aria-label': 'disconnects and reconnects per minute over the last hour' });
    chart.append(
      svg('line', { class: 'axis', x1: left, x2: W - right, y1: mid, y2: mid }),
      svg('text', { class: 'tick', x: left - 3, y: mid - half + 8, 'text-anchor': 'end' }, String(max)),
      svg('text', { class: 'tick', x: left - 3, y: mid + half, 'text-anchor': 'end' }, String(max)),
      svg('text', { class: 'tick', x: left - 3, y: mid + 4, 'text-anchor': 'end' }, '0'));
    for (let i = 0; i < WINDOW_MINUTES; i++) {
      const minute = nowMinute - (WINDOW_MINUTES - 1 - i);
      const m = byMinute.get(minute);
      if (!m) continue;
      const x = left + i * slot + 0.5;
      const w = Math.max(1, slot - 1);
      const down = total(m.disconnects);
      const errors = total(m.connect_errors);
      const g = svg('g', null, svg('title', null, minuteTitle(m)));
      if (down) g.append(svg('rect', { class: 'bar-disconnect', x, width: w, y: mid - down * scale, height: down * scale }));
      if (errors) {
        g.append(svg('rect', { class: 'bar-error', x, width: w,
          y: mid - (down + errors) * scale, height: errors * scale }));
      }
      if (m.reconnects) g.append(svg('rect', { class: 'bar-reconnect', x, width: w, y: mid, height: m.reconnects * scale }));
      chart.append(g);
    }
    for (const back of [60, 45, 30, 15, 0]) {
      const x = left + (WINDOW_MINUTES - back) * slot;
      chart.append(svg('text', { class: 'tick', x: Math.min(x, W - right), y: H - 4,
        'text-anchor': back === 60 ? 'start' : back === 0 ? 'end' : 'middle' }, back === 0 ? 'now' : `−${back} min`));
    }
    const legend = el('p', { class: 'legend' },
      el('span', { class: 'key key-disconnect' }, 'disconnects ▲'),
      el('span', { class: 'key key-error' }, 'connect errors ▲'),
      el('span', { class: 'key key-reconnect' }, 'reconnects ▼'),
      el('span', { class: 'muted' }, 'per minute'));
    return el('figure', { class: 'figure' }, chart, legend);
  }

  function minuteTitle(m) {
    const time = new Date(Date.parse(m.start)).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const parts = [`${time}: ${plural(m.reconnects, 'reconnect')}`];
    for (const [r, n] of Object.entries(m.disconnects || {})) parts.push(`${n}× disconnect ${r}`);
    for (const [r, n] of Object.entries(m.connect_errors || {})) parts.push(`${n}× connect error ${r}`);
    return parts.join(', ');
  }

  function percentiles(stats, kind, noun) {
    if (!stats || !stats.count) return el('p', { class: 'muted pct-empty' }, `No ${noun} in the last hour.`);
    return el('div', { class: 'pct', 'data-kind': kind },
      ['p50', 'p95', 'p99'].map((p) => el('div', { class: 'pct-tile' },
        el('span', { class: 'pct-label' }, p),
        el('span', { class: 'pct-value' }, seconds(stats[p])))),
      el('p', { class: 'pct-n muted' }, `over ${plural(stats.count, noun.replace(/s$/, ''))} in the last hour`));
  }

  // Bin width from a 1-2-5 ladder, at least 8 % of the median, edges shifted so the median sits
  // mid-bin: lifetimes cut by one idle timeout (within a few per cent of it, plus handshake and
  // upgrade time) land in one bar instead of straddling two.
  function lifetimes(stats, disconnects, suspectedTimeout) {
    const samples = (stats && stats.samples) || [];
    if (!samples.length) return el('p', { class: 'muted' }, 'No connection has ended in the last hour.');
    const sorted = [...samples].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const max = sorted[sorted.length - 1];
    const width = niceStep(Math.max(max / 40, median * 0.08, 0.01));
    const offset = (((median - width / 2) % width) + width) % width;
    const edges = [0];
    // Headroom past the longest lifetime, so a spike at the timeout does not sit on the edge.
    for (let e = offset > 1e-9 ? offset : width; edges[edges.length - 1] <= max * 1.15; e += width) edges.push(e);
    const bins = edges.slice(1).map((hi, i) => ({ lo: edges[i], hi, n: 0 }));
    for (const s of samples) {
      const bin = bins.find((b) => s >= b.lo && s < b.hi) || bins[bins.length - 1];
      bin.n++;
    }
    const W = 360, H = 130, left = 26, right = 8, top = 16, bottom = 22;
    const xMax = bins[bins.length - 1].hi;
    const x = (v) => left + (v / xMax) * (W - left - right);
    const peak = bins.reduce((a, b) => (b.n > a.n ? b : a));
    const y = (n) => top + (H - top - bottom) * (1 - n / peak.n);
    const chart = svg('svg', { class: 'chart histogram', viewBox: `0 0 ${W} ${H}`, role: 'img',
      'aria-label': 'histogram of connection lifetimes in seconds' });
    chart.append(svg('line', { class: 'axis', x1: left, x2: W - right, y1: H - bottom, y2: H - bottom }));
    for (const b of bins) {
      if (!b.n) continue;
      chart.append(svg('rect', { class: 'bar-lifetime', x: x(b.lo) + 0.5, width: Math.max(1.5, x(b.hi) - x(b.lo) - 1),
        y: y(b.n), height: H - bottom - y(b.n) }, svg('title', null, `${b.n} ended between ${seconds(b.lo)} and ${seconds(b.hi)}`)));
    }
    const peakMid = (peak.lo + peak.hi) / 2;
    chart.append(svg('text', { class: 'peak-label', x: Math.min(Math.max(x(peakMid), left + 30), W - right - 30),
      y: top - 4, 'text-anchor': 'middle' }, `${peak.n}× ≈ ${seconds(peakMid)}`));
    for (const v of ticks(xMax)) {
      chart.append(svg('text', { class: 'tick', x: x(v), y: H - 6, 'text-anchor': v === 0 ? 'start' : 'middle' }, `${fmtTick(v)}\u00a0s`));
    }
    chart.append(svg('text', { class: 'tick', x: left - 3, y: top + 8, 'text-anchor': 'end' }, String(peak.n)));
    const near = samples.filter((s) => Math.abs(s - median) <= median * 0.1).length;
    const caption = el('p', { class: 'legend lifetime-caption' },
      el('span', { class: 'muted' }, `${plural(samples.length, 'connection')} ended; p50 ${seconds(stats.p50)}, p95 ${seconds(stats.p95)}, p99 ${seconds(stats.p99)}`));
    const figure = el('figure', { class: 'figure' }, chart, caption);
    const cutByTransport = disconnects.length > 0 && ['transport_close', 'transport_error'].includes(disconnects[0][0]);
    if (samples.length >= 4 && near / samples.length >= 0.8 && cutByTransport) {
      // Name a proxy only on the agent's evidence: connections that started at different moments
      // dying at one age. Cuts at fixed moments (restarts, resets) to canaries that reconnect
      // together cluster the same way.
      figure.append(el('p', { class: 'hint' },
        `${near} of ${samples.length} connections died at ${seconds(median)}\u00a0±\u00a010\u00a0%, ` +
        `mostly ${disconnects[0][0]}` + (suspectedTimeout !== undefined
          ? `; connections that started at different moments die at ${seconds(suspectedTimeout)} too: ` +
            'something on the path cuts them at that age, usually a proxy or load-balancer idle timeout.'
          : ': a fixed age, or cuts at fixed moments (restarts, resets) to canaries that reconnect together;' +
            ' the agent names a timeout once their starts differ.')));
    }
    return figure;
  }

  function niceStep(raw) {
    const exp = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (raw <= m * exp) return m * exp;
    return 10 * exp;
  }

  function ticks(max) {
    const step = niceStep(max / 4);
    const out = [];
    for (let v = 0; v <= max + 1e-9; v += step) out.push(v);
    return out;
  }

  function fmtTick(v) {
    return Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1);
  }

  function canaries(key, list, total, now) {
    const rows = list.map((c) => {
      const up = c.state === 'connected';
      const detail = up
        ? `${c.transport || ''} · connected ${seconds(c.socket_id_age_seconds)}`
        : (c.last_disconnect ? `last ${c.last_disconnect.reason} ${ago(now - Date.parse(c.last_disconnect.at))}` : '');
      return el('li', { class: `canary ${up ? 'canary-up' : 'canary-down'}` },
        el('span', { class: 'canary-id' }, `#${c.index}`),
        el('span', { class: 'canary-state' }, c.state),
        el('span', { class: 'muted' }, detail));
    });
    const title = total > list.length ? `Canaries (${list.length} of ${total}: the ones down first)` : `Canaries (${total})`;
    return details(key, title, el('ul', { class: 'canaries' }, rows));
  }

  function recent(key, events, now) {
    const rows = [...events].reverse().slice(0, 20).map((e) => {
      let what = `${e.kind}`;
      if (e.reason) what += ` ${e.reason}`;
      if (e.seconds !== null && e.seconds !== undefined) {
        what += e.kind === 'disconnect' ? ` after ${seconds(e.seconds)} up` : ` after ${seconds(e.seconds)} down`;
      }
      return el('li', { class: `event event-${e.kind}` },
        el('span', { class: 'muted' }, ago(now - Date.parse(e.at))), ` #${e.canary} ${what}`);
    });
    if (!rows.length) return null;
    return details(key, `Recent events (${events.length})`, el('ul', { class: 'events' }, rows));
  }

  function details(key, summary, body) {
    const node = el('details', { 'data-key': key }, el('summary', null, summary), body);
    node.open = openDetails.has(key);
    return node;
  }

  function rememberDetails(root) {
    for (const d of root.querySelectorAll('details[data-key]')) {
      if (d.open) openDetails.add(d.dataset.key); else openDetails.delete(d.dataset.key);
    }
  }

  // ---- refresh loop ----

  function showFreshness() {
    const updated = document.getElementById('updated');
    const banner = document.getElementById('banner');
    updated.textContent = lastOkAt === null ? 'loading…' : `last updated ${ago(Date.now() - lastOkAt)}`;
    if (failure) {
      banner.textContent = lastOkAt === null
        ? `Cannot reach the agent: ${failure}`
        : `STALE: cannot reach the agent (${failure}); showing data from ${ago(Date.now() - lastOkAt)}`;
      banner.hidden = false;
      document.body.classList.add('stale');
    } else {
      banner.hidden = true;
      document.body.classList.remove('stale');
    }
  }

  async function refresh() {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
    try {
      const response = await fetch('api/status', { cache: 'no-store', signal: controller.signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const status = await response.json();
      render(status);
      lastOkAt = Date.now();
      failure = null;
    } catch (e) {
      failure = e.name === 'AbortError' ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : (e.message || String(e));
    } finally {
      clearTimeout(timer);
      showFreshness();
      setTimeout(refresh, REFRESH_MS);
    }
  }

  setInterval(showFreshness, 1000);
  refresh();
})();
