// The step-through viewer: polls /api/state for the selected replica and draws it; the buttons post to the API.
"use strict";

const $ = id => document.getElementById(id);
// horizonS: the latest simulated time seen, so the time axes keep their span when going back and the marker moves left.
const view = { replica: 0, followed: -1, playing: false, state: null, busy: false, horizonS: 0 };

async function post(path) {
  const response = await fetch(path, { method: "POST" });
  if (!response.ok) throw new Error(path + ": " + response.status);
}

async function refresh() {
  const response = await fetch(`/api/state?replica=${view.replica}&follow=${view.followed}`);
  if (!response.ok) return;
  view.state = await response.json();
  draw(view.state);
}

// One action at a time: a click while another runs is dropped, so the page never races itself.
async function act(path) {
  if (view.busy) return;
  view.busy = true;
  try { await post(path); await refresh(); } finally { view.busy = false; }
}

// Neighbouring ids differ in hue by the golden angle and also step through three lightnesses and saturations,
// so consecutive requests' pages never share a colour family.
function hue(id) { return (id * 0.6180339887498949) % 1; }
function colourOf(id) { return `hsl(${Math.round(hue(id) * 360)}, ${[80, 55, 95][Math.floor(id / 3) % 3]}%, ${[52, 70, 38][id % 3]}%)`; }

function draw(s) {
  $("scene").textContent = s.scene;
  $("now").textContent = s.now_s.toFixed(4);
  $("steps").textContent = s.steps;
  $("progress").textContent = `${s.completed} completed, ${s.rejected} rejected` + (s.done ? " · done" : "");
  const select = $("replica");
  if (select.options.length !== s.replicas) {
    select.innerHTML = "";
    for (let r = 0; r < s.replicas; r++) select.add(new Option(`replica ${r}`, r));
    select.value = view.replica;
  }
  drawBatch(s);
  drawQueues(s);
  drawPages(s);
  drawExperts(s.experts);
  drawSeries(s);
  const finished = s.latencies.map(p => p[0]);
  chart($("chart-ttft"), { title: "TTFT of finished requests", xLabel: "finish time (s)", yLabel: "TTFT (s)", xMax: view.horizonS, now: s.now_s,
    series: [{ name: "TTFT", colour: "#4fc3f7", kind: "dots", xs: finished, ys: s.latencies.map(p => p[1]) }] });
  chart($("chart-tbt"), { title: "Longest gap between tokens of finished requests", xLabel: "finish time (s)", yLabel: "max TBT (s)", xMax: view.horizonS, now: s.now_s,
    series: [{ name: "max TBT", colour: "#ba68c8", kind: "dots", xs: finished, ys: s.latencies.map(p => p[2]) }] });
  // The jump box shows where the run is, unless the user is typing in it.
  if (document.activeElement !== $("jump-time")) $("jump-time").value = s.now_s.toFixed(3);
}

function drawSeries(s) {
  view.horizonS = Math.max(view.horizonS, s.now_s);
  const t = s.series.end_s, common = { xLabel: "simulated time (s)", xMax: view.horizonS, now: s.now_s };
  chart($("chart-batch"), { ...common, title: "Batch size per iteration", yLabel: "sequences",
    series: [{ name: "sequences", colour: "#4fc3f7", xs: t, ys: s.series.sequences }] });
  chart($("chart-tokens"), { ...common, title: `Tokens per iteration (budget ${s.max_batch_tokens})`, yLabel: "tokens",
    series: [{ name: "prefill", colour: "#ffa726", xs: t, ys: s.series.prefill_tokens }, { name: "decode", colour: "#66bb6a", xs: t, ys: s.series.decode_tokens }] });
  chart($("chart-queues"), { ...common, title: "Queue lengths after each iteration", yLabel: "requests",
    series: [{ name: "waiting", colour: "#ef5350", xs: t, ys: s.series.waiting }, { name: "running", colour: "#42a5f5", xs: t, ys: s.series.running }] });
  const preempted = s.series.preempted.reduce((a, b) => a + b, 0);
  chart($("chart-kv"), { ...common, title: `KV utilisation and preemptions (${preempted} so far)`, yLabel: "% of pages held", yMax: 100,
    series: [{ name: "KV held", colour: "#26c6da", xs: t, ys: s.series.kv_utilization.map(u => 100 * u) },
             { name: "preemptions", colour: "#ff5252", kind: "marks", xs: t, ys: s.series.preempted }] });
}

const SVG = "http://www.w3.org/2000/svg";
function node(parent, name, attributes, text) {
  const e = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) e.setAttribute(key, value);
  if (text !== undefined) e.textContent = text;
  parent.appendChild(e);
  return e;
}

// The step between ticks: 1, 2, 2.5 or 5 times a power of ten, giving about `count` intervals over [0, max].
function tickStep(max, count) {
  const raw = max / count, power = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * power;
}
function tickText(v) { return Number(v.toPrecision(6)).toString(); }

// A chart in an SVG: both axes from zero with ticks and labelled units, one path per series (a line, dots, or
// marks along the bottom for counts), and the current step as a vertical line. Ticks carry their value in
// data-value so a reader (or a test) can map values to pixels.
function chart(svg, spec) {
  const width = svg.clientWidth || 600, height = svg.clientHeight || 150;
  const left = 52, right = 12, top = 20, bottom = 32;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const plotted = spec.series.filter(series => series.kind !== "marks");
  const dataMax = Math.max(0, ...plotted.flatMap(series => series.ys));
  const xMax = Math.max(spec.xMax, spec.now, ...spec.series.flatMap(series => series.xs), 1e-6);
  const yStep = tickStep(spec.yMax || dataMax || 1, 4), yMax = spec.yMax || Math.max(yStep, Math.ceil(dataMax / yStep) * yStep);
  const px = x => left + x / xMax * (width - left - right), py = y => height - bottom - y / yMax * (height - top - bottom);
  const xAxis = node(svg, "g", { class: "x-axis" }), yAxis = node(svg, "g", { class: "y-axis" });
  const xStep = tickStep(xMax, 6);
  for (let k = 0, v = 0; v <= xMax * (1 + 1e-9); v = ++k * xStep) {
    node(xAxis, "line", { class: "grid", x1: px(v), x2: px(v), y1: top, y2: height - bottom });
    node(xAxis, "text", { class: "tick", "data-value": v, x: px(v), y: height - bottom + 13, "text-anchor": "middle" }, tickText(v));
  }
  for (let k = 0, v = 0; v <= yMax * (1 + 1e-9); v = ++k * yStep) {
    node(yAxis, "line", { class: "grid", x1: left, x2: width - right, y1: py(v), y2: py(v) });
    node(yAxis, "text", { class: "tick", "data-value": v, x: left - 4, y: py(v) + 4, "text-anchor": "end" }, tickText(v));
  }
  node(xAxis, "line", { class: "axis", x1: left, x2: width - right, y1: height - bottom, y2: height - bottom });
  node(yAxis, "line", { class: "axis", x1: left, x2: left, y1: top, y2: height - bottom });
  node(xAxis, "text", { class: "axis-label", x: (left + width - right) / 2, y: height - 3, "text-anchor": "middle" }, spec.xLabel);
  node(yAxis, "text", { class: "axis-label", x: -(top + height - bottom) / 2, y: 11, "text-anchor": "middle", transform: "rotate(-90)" }, spec.yLabel);
  node(svg, "text", { class: "title", x: left, y: 13 }, spec.title);
  let legendX = width - right;
  for (const series of [...spec.series].reverse()) {
    const label = node(svg, "text", { class: "legend", x: legendX, y: 13, "text-anchor": "end", style: `fill: ${series.colour}` }, series.name);
    legendX -= label.getComputedTextLength() + 12;
    let d = "";
    if (series.kind === "marks") {
      for (let i = 0; i < series.xs.length; i++) if (series.ys[i] > 0) d += `M${px(series.xs[i])},${height - bottom}l-3,6h6z`;
      node(svg, "path", { class: "marks", "data-name": series.name, d, fill: series.colour });
    } else if (series.kind === "dots") {
      for (let i = 0; i < series.xs.length; i++) d += `M${px(series.xs[i]) - 1.5},${py(series.ys[i]) - 1.5}h3v3h-3z`;
      node(svg, "path", { class: "dots", "data-name": series.name, d, fill: series.colour });
    } else {
      for (let i = 0; i < series.xs.length; i++) d += `${i ? "L" : "M"}${px(series.xs[i])},${py(series.ys[i])}`;
      node(svg, "path", { class: "series", "data-name": series.name, d, stroke: series.colour });
    }
  }
  node(svg, "line", { class: "now-marker", "data-value": spec.now, x1: px(spec.now), x2: px(spec.now), y1: top, y2: height - bottom });
}

function drawBatch(s) {
  const body = $("batch").tBodies[0];
  body.innerHTML = "";
  if (!s.batch) { $("batch-summary").textContent = "no iteration yet"; $("budget-bar").style.width = "0"; return; }
  const b = s.batch;
  $("batch-summary").textContent = `iteration ${b.iteration} at ${b.start_s.toFixed(4)} s for ${(b.duration_s * 1000).toFixed(2)} ms: ` +
    `${b.sequences.length} sequences, ${b.prefill_tokens} prefill + ${b.decode_tokens} decode = ${b.batch_tokens} of ${s.max_batch_tokens} tokens` +
    (b.preempted.length ? `, preempted ${b.preempted.join(" ")}` : "");
  $("budget-bar").style.width = Math.min(100, 100 * b.batch_tokens / s.max_batch_tokens) + "%";
  for (const q of b.sequences) {
    const row = body.insertRow();
    row.dataset.id = q.id;
    if (q.id === view.followed) row.className = "followed";
    for (const value of [q.id, q.kind, q.new_tokens, q.context_tokens]) row.insertCell().textContent = value;
    row.onclick = () => follow(q.id);
  }
}

function drawQueues(s) {
  for (const name of ["running", "waiting"]) {
    const list = $(name);
    list.innerHTML = "";
    $(name + "-count").textContent = s[name].length;
    for (const r of s[name]) {
      const item = document.createElement("span");
      item.textContent = r.id;
      item.dataset.id = r.id;
      if (r.id === view.followed) item.className = "followed";
      item.onclick = () => follow(r.id);
      list.appendChild(item);
    }
  }
  $("swapped-count").textContent = s.waiting.filter(r => r.swapped).length;
  $("followed").textContent = followedText(s.followed);
}

function followedText(f) {
  if (view.followed < 0 || !f) return "click a request id (or a page) to follow it";
  if (f.request) return `request ${f.request.id} on replica ${f.replica}: ${f.request.phase}, ${f.request.computed_tokens} tokens computed (prompt ${f.request.prompt_tokens}), ` +
    `${f.request.generated_tokens}/${f.request.output_tokens} generated, ${f.request.pages} pages, ${f.request.preemptions} preemptions` +
    (f.request.resident_tokens >= 0 ? `, ${f.request.resident_tokens} resident token entities, ${f.request.evicted_tokens} tokens evicted` : "");
  if (!f.arrived) return `request ${f.id} has not arrived yet`;
  const e = f.finished;
  if (!e) return `request ${f.id} has arrived and is between replicas`;
  if (e.status === "rejected") return `request ${f.id} was rejected at ${e.finish_s.toFixed(4)} s (too long for the model or the replica's KV)`;
  return `request ${f.id} finished on replica ${f.replica} at ${e.finish_s.toFixed(4)} s: TTFT ${e.ttft_s.toFixed(4)} s, ` +
    `end to end ${e.e2e_s.toFixed(4)} s, ${e.output_tokens} tokens, ${e.preemptions} preemptions`;
}

function drawPages(s) {
  const p = s.pages;
  $("pages-summary").textContent = `${p.total} pages: ${p.owned} held, ${p.cached} cached, ${p.free} free` +
    (p.host_blocks || p.ssd_blocks ? ` · lower tiers: ${p.host_blocks} blocks in host DRAM, ${p.ssd_blocks} on SSD` : "");
  const canvas = $("pages"), g = canvas.getContext("2d");
  // One canvas pixel per CSS pixel, so a pointer position maps straight to a page.
  if (canvas.clientWidth && canvas.width !== canvas.clientWidth) canvas.width = canvas.clientWidth;
  const cell = Math.max(2, Math.floor(Math.sqrt(canvas.width * 400 / Math.max(1, p.total))));
  const perRow = Math.floor(canvas.width / cell);
  canvas.dataset.cell = cell;
  canvas.dataset.perRow = perRow;
  canvas.height = Math.max(20, Math.ceil(p.total / perRow) * cell);
  g.fillStyle = "#101215"; g.fillRect(0, 0, canvas.width, canvas.height);
  for (let i = 0; i < p.total; i++) {
    const use = p.uses[i], owner = p.owners[i];
    g.fillStyle = use === "f" ? "#282828" : use === "c" ? "#8c8c8c" : colourOf(owner);
    const x = (i % perRow) * cell, y = Math.floor(i / perRow) * cell;
    g.fillRect(x, y, cell - 1, cell - 1);
    if (use === "o" && owner === view.followed) { g.strokeStyle = "#ffd54f"; g.strokeRect(x + 0.5, y + 0.5, cell - 2, cell - 2); }
  }
}

function drawExperts(e) {
  $("experts-panel").hidden = !e;
  if (!e) return;
  const total = e.hits + e.misses;
  $("experts-summary").textContent = `${e.layers} layers × ${e.per_layer} experts · in HBM ${[...e.tiers].filter(t => t === "h").length}` +
    ` · hit rate ${total ? (100 * e.hits / total).toFixed(1) : "-"}%`;
  const canvas = $("experts"), g = canvas.getContext("2d");
  const w = canvas.width / e.per_layer, h = Math.max(2, canvas.height / e.layers);
  for (let i = 0; i < e.tiers.length; i++) {
    g.fillStyle = e.tiers[i] === "h" ? "#66bb6a" : e.tiers[i] === "d" ? "#ffa726" : "#ef5350";
    g.fillRect((i % e.per_layer) * w, Math.floor(i / e.per_layer) * h, w - 1, h - 1);
  }
}

// The page under the pointer: its index, or -1 off the grid.
function pageAt(event) {
  const canvas = $("pages"), p = view.state && view.state.pages;
  if (!p) return -1;
  const cell = Number(canvas.dataset.cell), perRow = Number(canvas.dataset.perRow);
  const column = Math.floor(event.offsetX / cell), row = Math.floor(event.offsetY / cell), i = row * perRow + column;
  return column < perRow && i >= 0 && i < p.total ? i : -1;
}

function describePage(i) {
  const p = view.state.pages, use = p.uses[i];
  return use === "o" ? `page ${i}: request ${p.owners[i]}, block ${p.blocks[i]}` : use === "c" ? `page ${i}: cached prefix block, held by no request` : `page ${i}: free`;
}

$("pages").onmousemove = e => { const i = pageAt(e); $("page-tip").textContent = i < 0 ? "" : describePage(i); };
$("pages").onclick = e => { const i = pageAt(e); if (i >= 0 && view.state.pages.uses[i] === "o") follow(view.state.pages.owners[i]); };

function follow(id) { view.followed = view.followed === id ? -1 : id; refresh(); }

function frame() {
  if (!view.playing) return;
  if (view.state && view.state.done) { togglePlay(); return; }
  act(`/api/step?n=${$("speed").value}`).finally(() => requestAnimationFrame(frame));
}

function togglePlay() {
  view.playing = !view.playing;
  $("play").textContent = view.playing ? "pause" : "play";
  if (view.playing) requestAnimationFrame(frame);
}

$("step").onclick = () => act("/api/step?n=1");
$("step-n").onclick = () => act(`/api/step?n=${Math.max(1, Math.min(100000, $("n").value | 0))}`);
$("step-iteration").onclick = () => act(`/api/step-iteration?replica=${view.replica}`);
$("back").onclick = () => act("/api/back?n=1");
$("jump").onclick = () => act(`/api/jump?t=${Math.max(0, Number($("jump-time").value) || 0)}`);
$("play").onclick = togglePlay;
$("replica").onchange = e => { view.replica = Number(e.target.value); refresh(); };
refresh();
