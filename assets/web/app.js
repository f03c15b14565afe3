// vpctwin web page: the estate as nested containers (Cytoscape compound nodes, positions from the server's
// layout), traces, exposure and flow logs over the JSON API. No build step: plain ES module.
/* global cytoscape */

const $ = (sel) => document.querySelector(sel);
// expand: 'all' or the set of VPCs drawn with their insides; collapse: accounts drawn as one node (null: the
// server's default, until the first picture says which).
const state = { expand: null, collapse: null, graph: null, cy: null, lastHighlight: null, exposure: [] };
window.vpctwin = { ready: false, firstRenderMs: undefined, traceDone: 0 };

async function api(path, init) {
  const res = await fetch(path, init);
  const body = await res.json();
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

// ---------- diagram ----------

const TYPE_STYLE = {
  account: ['#f7f7f9', '#8a8f98'],
  region: ['#eef3fb', '#7d9cc9'],
  vpc: ['#eef8f0', '#3f9b55'],
  'availability-zone': ['#fbfcfd', '#b8c2cc'],
  subnet: ['#ffffff', '#6a9fd8'],
  'on-premises': ['#f6f1fb', '#8a63b8'],
  internet: ['#fff6e5', '#d89b2b'],
  instance: ['#fff2e6', '#e0802e'],
  'nat-gateway': ['#e9f7ef', '#2e9e5b'],
  'vpc-endpoint': ['#f1e9fb', '#8c4fd1'],
  'load-balancer': ['#e8f1fc', '#2f6fcf'],
  'transit-gateway': ['#fde9ef', '#cf2f64'],
  'internet-gateway': ['#fff6e5', '#d89b2b'],
};

function styles() {
  const s = [
    { selector: 'node', style: { 'min-zoomed-font-size': 7, shape: 'round-rectangle', label: 'data(label)', 'text-wrap': 'wrap', 'text-max-width': 170, 'font-size': 10, 'text-valign': 'center', 'text-halign': 'center', width: 'data(w)', height: 'data(h)', 'background-color': '#f4f4f4', 'border-width': 1.2, 'border-color': '#777' } },
    // Containers are plain nodes sized and placed by the server's layout, drawn beneath what they hold
    // (Cytoscape compound nodes cost seconds to draw at a thousand VPCs).
    { selector: 'node[?container]', style: { label: 'data(title)', 'text-valign': 'top', 'text-halign': 'center', 'text-margin-y': 18, 'text-wrap': 'none', 'font-weight': 'bold', 'font-size': 10, 'background-opacity': 0.9 } },
    { selector: 'node', style: { 'z-index-compare': 'manual', 'z-index': 'data(z)' } },
    { selector: 'edge', style: { 'z-index-compare': 'manual', 'z-index': 60 } },
    { selector: 'node[?collapsed]', style: { 'border-style': 'dashed', 'border-width': 2 } },
    { selector: 'edge', style: { width: 1.4, 'line-color': '#8c99a5', 'curve-style': 'straight' } },
    { selector: 'edge[label != ""]', style: { label: 'data(label)', 'min-zoomed-font-size': 7, 'font-size': 8, color: '#66737f', 'text-rotation': 'autorotate' } },
    { selector: 'edge[type = "peering"]', style: { 'line-style': 'dashed' } },
    { selector: 'edge[type = "privatelink"]', style: { 'line-style': 'dotted', 'line-color': '#8c4fd1' } },
    { selector: '.dim', style: { opacity: 0.35 } },
    { selector: 'node:selected', style: { 'overlay-color': '#2f6fcf', 'overlay-opacity': 0.15 } },
  ];
  for (const [type, [fill, stroke]] of Object.entries(TYPE_STYLE)) s.push({ selector: `node[type = "${type}"]`, style: { 'background-color': fill, 'border-color': stroke } });
  // Highlights last: they win over the type colours.
  s.push(
    { selector: 'node.fwd', style: { 'border-color': '#1565c0', 'border-width': 4 } },
    { selector: 'node.ret', style: { 'border-color': '#2e7d32', 'border-width': 4 } },
    { selector: 'node.fwd.ret', style: { 'border-color': '#1565c0', 'border-style': 'double', 'border-width': 6 } },
    { selector: 'edge.fwd', style: { 'line-color': '#1565c0', width: 4, 'z-index': 70 } },
    { selector: 'edge.ret', style: { 'line-color': '#2e7d32', width: 3 } },
    { selector: 'node.blocked', style: { 'border-color': '#c62828', 'border-width': 6, 'border-style': 'solid', 'background-color': '#fdecec' } },
    { selector: 'node.found', style: { 'border-color': '#f9a825', 'border-width': 5 } }
  );
  return s;
}

function elements(graph) {
  const parents = new Set(graph.nodes.map((n) => n.parent).filter(Boolean));
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const depth = (n) => {
    let d = 0;
    for (let p = n.parent; p; p = byId.get(p)?.parent) d++;
    return d;
  };
  const nodes = graph.nodes.map((n) => {
    const container = parents.has(n.id);
    const b = n.box ?? { x: 0, y: 0, w: 180, h: 52 };
    // Leaves above edges (60), containers below, deeper containers above their parents.
    const z = container ? depth(n) : 100 + depth(n);
    return { group: 'nodes', data: { id: n.id, label: n.label, title: n.label.replace(/\n/g, '  '), type: n.type, container, within: n.parent, collapsed: !!n.collapsed, w: b.w, h: b.h, z, refs: n.refs }, position: { x: b.x + b.w / 2, y: b.y + b.h / 2 } };
  });
  const edges = graph.edges.map((e) => ({ group: 'edges', data: { id: `edge:${e.id}`, edgeId: e.id, source: e.source, target: e.target, label: e.label ?? '', type: e.type } }));
  return [...nodes, ...edges];
}

async function loadGraph(expand) {
  const params = new URLSearchParams();
  if (expand !== null) params.set('expand', expand === 'all' || expand === 'none' ? expand : [...expand].join(','));
  if (state.collapse !== null) params.set('collapse', state.collapse.size ? [...state.collapse].join(',') : 'none');
  const q = params.size ? `?${params}` : '';
  const t0 = performance.now();
  const graph = await api(`/api/graph${q}`);
  const t1 = performance.now();
  state.graph = graph;
  state.expand = expand === null ? (graph.collapsed.length ? new Set() : 'all') : expand;
  state.collapse = new Set(graph.collapsedAccounts);
  const cy = state.cy;
  cy.startBatch();
  cy.elements().remove();
  cy.add(elements(graph));
  cy.endBatch();
  fitAll();
  window.vpctwin.timings = { fetchMs: t1 - t0, drawMs: performance.now() - t1, nodes: graph.nodes.length };
  return graph;
}

/**
 * Fits the viewport to the whole picture from the server's layout extent (Cytoscape's own fit measures every
 * label's box: seconds on thousands of nodes).
 */
function fitAll() {
  const cy = state.cy;
  let W = 0;
  let H = 0;
  for (const n of state.graph.nodes) if (n.box) ((W = Math.max(W, n.box.x + n.box.w)), (H = Math.max(H, n.box.y + n.box.h)));
  const pad = 30;
  const zoom = Math.max(cy.minZoom(), Math.min(1.5, (cy.width() - 2 * pad) / (W || 1), (cy.height() - 2 * pad) / (H || 1)));
  cy.viewport({ zoom, pan: { x: (cy.width() - W * zoom) / 2, y: (cy.height() - H * zoom) / 2 } });
}

function expandedSet() {
  return state.expand === 'all' ? 'all' : new Set(state.expand ?? []);
}

/** Makes sure these VPCs (and the accounts holding them) are drawn open; reloads only when something changes. */
async function ensureExpanded(vpcs, accounts = []) {
  const cur = expandedSet();
  const folded = accounts.filter((a) => state.collapse?.has(a));
  const missing = cur === 'all' ? [] : vpcs.filter((v) => !cur.has(v));
  if (!missing.length && !folded.length) return;
  for (const a of folded) state.collapse.delete(a);
  if (cur !== 'all') for (const v of missing) cur.add(v);
  await loadGraph(cur);
}

function clearHighlight() {
  state.cy.elements().removeClass('fwd ret blocked found dim');
}

function applyHighlight(h) {
  const cy = state.cy;
  clearHighlight();
  state.lastHighlight = h;
  const mark = (ids, cls) => {
    const present = ids.map((id) => cy.getElementById(id)).filter((e) => e.nonempty());
    present.forEach((e) => e.addClass(cls));
    // Edges between consecutive nodes of the path, and the path's own edges (peering, attachments).
    for (let i = 1; i < present.length; i++) {
      const a = present[i - 1];
      const b = present[i];
      a.edgesWith(b).addClass(cls);
    }
    return present;
  };
  const f = mark(h.forward, 'fwd');
  mark(h.return, 'ret');
  for (const e of h.edges) cy.getElementById(`edge:${e}`).addClass('fwd');
  for (const b of h.blockers) for (const id of b.nodes) cy.getElementById(id).addClass('blocked');
  const lit = cy.elements('.fwd, .ret, .blocked');
  if (lit.nonempty()) cy.animate({ fit: { eles: lit, padding: 60 }, duration: 250 });
  // The highlighted path in words, for the reader and for tests.
  const names = f.map((n) => n.data('label').split('\n')[0]);
  const list = $('#path-nodes');
  if (list) list.replaceChildren(...names.map((n) => el('li', {}, n)));
}

// ---------- trace ----------

const BAD = new Set(['deny', 'drop', 'no-route', 'blackhole']);

function hopItem(h) {
  const c = h.component;
  const name = c.id.startsWith('arn:') && c.name ? c.name : c.name && c.name !== c.id ? `${c.id} (${c.name})` : c.id;
  const li = el('li', { class: BAD.has(h.action) ? 'bad' : '', title: h.note ?? '' }, el('span', { class: 'what' }, `${c.type} ${name}`), ` ${h.action}`, h.rule ? el('span', { class: 'rule' }, h.rule) : null);
  li.addEventListener('click', () => {
    const id = h.networkInterfaceId ?? h.subnetId ?? c.id;
    const n = state.cy.getElementById(id);
    if (n.nonempty()) {
      state.cy.$(':selected').unselect();
      n.select();
      state.cy.animate({ center: { eles: n }, duration: 200 });
    }
    showDetails(id);
  });
  return li;
}

/** Draws a trace (from the form, a shared link or an exposure witness): verdict, blockers, hops, highlight. */
async function showTrace({ result, highlight }) {
  await ensureExpanded(highlight.vpcs, highlight.accounts);
  $('#trace-verdict').textContent = result.reachable ? 'REACHABLE' : 'NOT REACHABLE';
  $('#trace-verdict').className = result.reachable ? 'ok' : 'blocked';
  $('#trace-blockers').replaceChildren(
    ...result.explanations.map((x) => el('div', { class: 'blocker' }, el('code', {}, x.code), ` [${x.direction}] ${x.component.type} ${x.component.id}: ${x.message}`)),
    el('div', { class: 'muted' }, 'On the diagram: ', el('ol', { id: 'path-nodes' })),
  );
  applyHighlight(highlight);
  $('#hops-forward').replaceChildren(...result.forwardPath.map(hopItem));
  $('#hops-return').replaceChildren(...result.returnPath.map(hopItem));
  $('#trace-notes').replaceChildren(...result.notes.map((n) => el('div', {}, `note: ${n}`)));
}

async function runTrace(params, { pushUrl = true } = {}) {
  const q = new URLSearchParams();
  for (const k of ['from', 'to', 'protocol', 'port']) if (params[k]) q.set(k, params[k]);
  if (pushUrl) history.replaceState(null, '', `?${q}`);
  $('#trace-verdict').textContent = 'tracing…';
  $('#trace-verdict').className = '';
  try {
    await showTrace(await api(`/api/trace?${q}`));
  } catch (e) {
    $('#trace-verdict').textContent = e.message;
    $('#trace-verdict').className = 'blocked';
    $('#trace-blockers').replaceChildren();
    $('#hops-forward').replaceChildren();
    $('#hops-return').replaceChildren();
  }
  window.vpctwin.traceDone++;
}

// ---------- details ----------

function dl(obj) {
  const rows = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    rows.push(el('dt', {}, k), el('dd', {}, typeof v === 'object' ? JSON.stringify(v) : String(v)));
  }
  return el('dl', {}, ...rows);
}

async function showDetails(id) {
  selectTab('details');
  const box = $('#tab-details');
  const node = state.cy.getElementById(id);
  const extra = [];
  if (node.nonempty() && node.data('type') === 'account') {
    const account = node.data('refs')[0];
    const folded = state.collapse?.has(account);
    extra.push(el('button', { type: 'button', onclick: async () => {
      if (folded) state.collapse.delete(account);
      else state.collapse.add(account);
      await loadGraph(expandedSet());
      if (state.lastHighlight) applyHighlight(state.lastHighlight);
    } }, folded ? 'Expand this account' : 'Collapse this account'));
  }
  if (node.nonempty() && node.data('type') === 'vpc') {
    const collapsed = node.data('collapsed');
    extra.push(el('button', { type: 'button', onclick: async () => {
      const cur = expandedSet();
      const all = state.graph.nodes.filter((n) => n.type === 'vpc').map((n) => n.id);
      const set = cur === 'all' ? new Set(all) : cur;
      if (collapsed) set.add(id);
      else set.delete(id);
      await loadGraph(set.size === 0 ? 'none' : set);
      if (state.lastHighlight) applyHighlight(state.lastHighlight);
    } }, collapsed ? 'Expand this VPC' : 'Collapse this VPC'));
  }
  try {
    const d = await api(`/api/resource?id=${encodeURIComponent(id)}`);
    const parts = [el('h3', {}, `${d.kind} ${d.id}${d.name ? ` (${d.name})` : ''}`), ...extra, dl({ account: d.account, region: d.region, source: `${d.source.file} ${d.source.path}` }), el('h3', {}, 'Attributes'), dl(d.attributes)];
    for (const g of d.securityGroups) {
      parts.push(el('h3', {}, `Security group ${g.id} (${g.name})`), el('div', {}, 'inbound:'), el('pre', {}, g.inbound.map((r) => r.rule).join('\n') || '(no rules: nothing is admitted)'), el('div', {}, 'outbound:'), el('pre', {}, g.outbound.map((r) => r.rule).join('\n') || '(no rules)'));
    }
    if (d.networkAcl) {
      const a = d.networkAcl;
      parts.push(el('h3', {}, `Network ACL ${a.id}`), el('div', {}, 'inbound:'), el('pre', {}, a.inbound.map((r) => `${r.ruleNumber}  ${r.rule}`).join('\n')), el('div', {}, 'outbound:'), el('pre', {}, a.outbound.map((r) => `${r.ruleNumber}  ${r.rule}`).join('\n')));
    }
    if (d.routes.length) parts.push(el('h3', {}, `Routes (${d.routeTableId})`), el('pre', {}, d.routes.map((r) => `${r.destination.padEnd(20)} ${r.target.padEnd(24)} ${r.status}${r.reason ? ` (${r.reason})` : ''}`).join('\n')));
    box.replaceChildren(el('div', { class: 'details' }, ...parts));
  } catch {
    const label = node.nonempty() ? node.data('label') : id;
    box.replaceChildren(el('div', { class: 'details' }, el('h3', {}, label.split('\n')[0]), ...extra, el('pre', {}, label)));
  }
}

// ---------- exposure and flow logs ----------

async function runExposure() {
  $('#exposure-status').textContent = 'analysing…';
  const rows = await api('/api/exposure');
  state.exposure = rows;
  $('#exposure-status').textContent = rows.length ? `${rows.length} finding${rows.length === 1 ? '' : 's'}: click one to see its path` : 'nothing is reachable from the internet';
  $('#exposure-table tbody').replaceChildren(
    ...rows.map((f) => {
      const tr = el('tr', {}, el('td', {}, f.owner), el('td', {}, f.address), el('td', {}, f.protocol), el('td', {}, f.fromPort === f.toPort ? f.fromPort : `${f.fromPort}-${f.toPort}`), el('td', {}, f.sources.join(' ')));
      tr.addEventListener('click', async () => {
        document.querySelectorAll('#exposure-table tr.selected').forEach((r) => r.classList.remove('selected'));
        tr.classList.add('selected');
        // The finding's witness: one concrete packet from the internet, traced; its hops go in the Trace tab.
        await showTrace(await api(`/api/exposure/witness?i=${f.index}`));
        $('#exposure-status').textContent = `witness of ${f.owner} ${f.protocol} ${f.fromPort}: see the Trace tab for its hops`;
      });
      return tr;
    }),
  );
}

function showFlows(r) {
  const parts = Object.entries(r.summary).map(([k, v]) => `${k}: ${v.flows} flows / ${v.records} records`);
  $('#flowlogs-status').textContent = `${r.records} records${r.problems.length ? `, ${r.problems.length} problems (first: line ${r.problems[0].line}: ${r.problems[0].message})` : ''}. ${parts.join('; ')}`;
  $('#flowlogs-table tbody').replaceChildren(
    ...r.flows.map((f) => {
      const flow = `${f.pktSrcaddr ?? f.srcaddr} → ${f.pktDstaddr ?? f.dstaddr}${f.dstport !== undefined ? `:${f.dstport}` : ''} ${f.protocol ?? ''}`;
      const tr = el('tr', {}, el('td', {}, f.interfaceId), el('td', {}, f.direction), el('td', {}, flow), el('td', {}, f.action ?? f.logStatus), el('td', {}, f.count), el('td', { class: `verdict-${f.verdict}` }, f.verdict), el('td', {}, f.reason));
      tr.addEventListener('click', async () => {
        const found = await api(`/api/find?q=${encodeURIComponent(f.interfaceId)}`).catch(() => null);
        if (found) await focusNodes(found.nodes, found.vpcs, found.accounts);
      });
      return tr;
    }),
  );
}

async function runFlowLogs() {
  const files = $('#flowlogs-file').files;
  let text = $('#flowlogs-text').value;
  for (const f of files) text += `\n${await f.text()}`;
  if (!text.trim()) {
    $('#flowlogs-status').textContent = 'paste records or choose files first';
    return;
  }
  $('#flowlogs-status').textContent = 'explaining…';
  try {
    showFlows(await api('/api/flowlogs/explain', { method: 'POST', body: text, headers: { 'content-type': 'text/plain' } }));
  } catch (e) {
    $('#flowlogs-status').textContent = e.message;
  }
}

// ---------- search ----------

async function focusNodes(nodes, vpcs, accounts = []) {
  await ensureExpanded(vpcs, accounts);
  const cy = state.cy;
  cy.elements().removeClass('found');
  const found = cy.collection(nodes.map((id) => cy.getElementById(id)).filter((e) => e.nonempty()));
  found.addClass('found');
  if (found.nonempty()) cy.animate({ fit: { eles: found, padding: 120 }, duration: 250 });
  return found;
}

async function search(q) {
  if (!q.trim()) return;
  try {
    const r = await api(`/api/find?q=${encodeURIComponent(q)}`);
    const found = await focusNodes(r.nodes, r.vpcs, r.accounts);
    const first = r.result.interfaces[0]?.networkInterface.id ?? r.result.resources[0]?.resource.id;
    if (first) showDetails(first);
    const dns = r.resolved.map((x) => `${x.addresses.join(', ')}${x.vpcId ? ` (in ${x.vpcId})` : ''}`).join('; ');
    $('#summary').textContent = found.nonempty() ? `${q}${dns ? ` → ${dns}` : ''}: ${found.length} on the diagram` : `${q}: nothing found`;
  } catch (e) {
    $('#summary').textContent = e.message;
  }
}

// ---------- page ----------

function selectTab(name) {
  document.querySelectorAll('nav button').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.tab === name)));
  document.querySelectorAll('.tab').forEach((t) => (t.hidden = t.id !== `tab-${name}`));
}

async function main() {
  // Large pictures: draw a bitmap while panning and zooming, skip edges meanwhile.
  const cy = cytoscape({ container: $('#graph'), style: styles(), wheelSensitivity: 0.3, minZoom: 0.02, maxZoom: 4, boxSelectionEnabled: false, autoungrabify: true, textureOnViewport: true, hideEdgesOnViewport: true, pixelRatio: 1 });
  state.cy = cy;
  window.vpctwin.cy = cy;
  const t0 = performance.now();
  const [summary] = await Promise.all([api('/api/summary'), loadGraph(null)]);
  cy.one('render', () => {
    window.vpctwin.firstRenderMs = performance.now();
    window.vpctwin.graphMs = performance.now() - t0;
    window.vpctwin.ready = true;
  });
  cy.resize();
  const c = summary.counts;
  $('#summary').textContent = `${summary.snapshot}: ${summary.accounts.length} accounts, ${summary.regions.length} regions, ${summary.vpcs} VPCs, ${c['network-interface'] ?? 0} interfaces${state.graph.collapsed.length ? ` (${state.graph.collapsed.length} VPCs collapsed: double-click to expand)` : ''}`;
  if (summary.flowLogFiles.length) $('#flowlogs-given').hidden = false;

  cy.on('tap', 'node', (e) => showDetails(e.target.id()));
  cy.on('dbltap', 'node[type = "account"]', async (e) => {
    if (!e.target.data('collapsed')) return;
    await ensureExpanded([], [e.target.data('refs')[0]]);
    if (state.lastHighlight) applyHighlight(state.lastHighlight);
  });
  cy.on('dbltap', 'node[type = "vpc"]', async (e) => {
    const id = e.target.id();
    if (!e.target.data('collapsed')) return;
    await ensureExpanded([id]);
    if (state.lastHighlight) applyHighlight(state.lastHighlight);
  });
  document.querySelectorAll('nav button').forEach((b) => b.addEventListener('click', () => selectTab(b.dataset.tab)));
  $('#search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    search($('#search').value);
  });
  $('#expand-all').addEventListener('click', async () => {
    await loadGraph('all');
    if (state.lastHighlight) applyHighlight(state.lastHighlight);
  });
  $('#collapse-all').addEventListener('click', async () => {
    await loadGraph('none');
    if (state.lastHighlight) applyHighlight(state.lastHighlight);
  });
  $('#fit').addEventListener('click', fitAll);
  $('#trace-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    selectTab('trace');
    runTrace(Object.fromEntries(f.entries()));
  });
  $('#exposure-run').addEventListener('click', runExposure);
  $('#flowlogs-run').addEventListener('click', runFlowLogs);
  $('#flowlogs-given').addEventListener('click', async () => {
    $('#flowlogs-status').textContent = 'explaining…';
    showFlows(await api('/api/flowlogs'));
  });

  // A shared link: ?from=…&to=…&protocol=…&port=… runs that trace.
  const params = new URLSearchParams(location.search);
  if (params.get('from') && params.get('to')) {
    const form = $('#trace-form');
    for (const k of ['from', 'to', 'protocol', 'port']) if (params.get(k)) form.elements[k].value = params.get(k);
    await runTrace(Object.fromEntries(['from', 'to', 'protocol', 'port'].map((k) => [k, params.get(k) ?? ''])), { pushUrl: false });
  }
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  $('#summary').textContent = `failed to load: ${e.message}`;
  document.body.dataset.ready = 'error';
});
