// The step-through viewer: polls /api/state for the selected replica and draws it; the buttons post to the API.
"use strict";

const $ = id => document.getElementById(id);
const view = { replica: 0, followed: -1, playing: false, state: null, busy: false };

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

function hue(id) { return (id * 0.6180339887498949) % 1; }
function colourOf(id) { return `hsl(${Math.round(hue(id) * 360)}, 70%, 55%)`; }

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
  drawChart($("ttft"), s.latencies, 1);
  drawChart($("tbt"), s.latencies, 2);
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
  const f = s.followed;
  $("followed").textContent = view.followed < 0 ? "click a request id to follow it"
    : f ? `request ${f.request.id} on replica ${f.replica}: ${f.request.phase}, ${f.request.computed_tokens} tokens computed (prompt ${f.request.prompt_tokens}), ` +
          `${f.request.generated_tokens}/${f.request.output_tokens} generated, ${f.request.pages} pages, ${f.request.preemptions} preemptions` +
          (f.request.resident_tokens >= 0 ? `, ${f.request.resident_tokens} resident token entities, ${f.request.evicted_tokens} tokens evicted` : "")
        : `request ${view.followed} is not queued or running (finished, or not arrived yet)`;
}

function drawPages(s) {
  const p = s.pages;
  $("pages-summary").textContent = `${p.total} pages: ${p.owned} held, ${p.cached} cached, ${p.free} free` +
    (p.host_blocks || p.ssd_blocks ? ` · lower tiers: ${p.host_blocks} blocks in host DRAM, ${p.ssd_blocks} on SSD` : "");
  const canvas = $("pages"), g = canvas.getContext("2d");
  const cell = Math.max(2, Math.floor(Math.sqrt(canvas.width * 400 / Math.max(1, p.total))));
  const perRow = Math.floor(canvas.width / cell);
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

function drawChart(canvas, points, column) {
  const g = canvas.getContext("2d");
  g.fillStyle = "#101215"; g.fillRect(0, 0, canvas.width, canvas.height);
  if (!points.length) return;
  const t0 = points[0][0], t1 = Math.max(points[points.length - 1][0], t0 + 1e-9);
  const top = Math.max(...points.map(p => p[column])) || 1;
  g.fillStyle = "#4fc3f7";
  for (const p of points) g.fillRect((p[0] - t0) / (t1 - t0) * (canvas.width - 3), canvas.height - 3 - p[column] / top * (canvas.height - 6), 3, 3);
  g.fillStyle = "#9fb3c8"; g.fillText(top.toPrecision(3) + " s", 4, 12);
}

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
