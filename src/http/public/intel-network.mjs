// Progressive enhancement for /staff/intel/network: an interactive sigma.js view of the same
// network the tables show. Loaded only on that page; the vendored UMD bundles define the
// globals `graphology` and `Sigma` (src/http/public/vendor, served from this origin).
const root = document.getElementById('intel-network');
const G = globalThis.graphology;
const SigmaCtor = globalThis.Sigma;

// Colour-blind-safe palette (Okabe-Ito plus GOV.UK colours) for communities.
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#56b4e9', '#f0e442', '#1d70b8', '#912b88', '#00703c', '#b58840', '#505a5f'];
const TYPE_LABELS = { phone: 'Phone number', vehicle: 'Vehicle', postcode: 'Postcode', handle: 'Handle', line_name: 'Line name', place: 'Place' };

function text(tag, value, cls) {
  const el = document.createElement(tag);
  el.textContent = value;
  if (cls) el.className = cls;
  return el;
}

async function load(url) {
  const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`network data: ${res.status}`);
  return res.json();
}

/** Adds compact nodes [id,label,type,x,y,community,degree,pagerank] and edges [i,j,w] to the graph. */
function merge(graph, data, offset) {
  const ids = data.nodes.map((n) => n[0]);
  data.nodes.forEach(([id, label, type, x, y, community, degree]) => {
    if (graph.hasNode(id)) return;
    graph.addNode(id, {
      label,
      type: 'circle',
      entityType: type,
      x: x + (offset ? offset.x : 0),
      y: y + (offset ? offset.y : 0),
      size: 3 + Math.min(12, Math.sqrt(degree) * 1.5),
      color: PALETTE[community % PALETTE.length],
    });
  });
  for (const [i, j, w] of data.edges) {
    const s = ids[i];
    const t = ids[j];
    if (s === undefined || t === undefined || s === t || graph.hasEdge(s, t)) continue;
    graph.addEdge(s, t, { size: Math.min(6, 0.5 + Math.log2(1 + w)), color: '#b1b4b6' });
  }
}

async function start() {
  if (!root || !G || !SigmaCtor) return;
  const url = root.dataset.jsonUrl;
  const data = await load(url);
  const graph = G.UndirectedGraph ? new G.UndirectedGraph() : new G({ type: 'undirected' });
  merge(graph, data);
  root.hidden = false;
  const container = document.getElementById('intel-network-canvas');
  const panel = document.getElementById('intel-network-panel');
  const renderer = new SigmaCtor(graph, container, { renderEdgeLabels: false, labelRenderedSizeThreshold: 8, zIndex: true });
  const hops = new globalThis.URLSearchParams(url.split('?')[1] || '').get('hops') || '2';
  let selected = null;

  renderer.setSetting('nodeReducer', (node, attrs) => {
    if (!selected) return attrs;
    if (node === selected || graph.areNeighbors(node, selected)) return { ...attrs, highlighted: node === selected, zIndex: 1 };
    return { ...attrs, color: '#dddddd', label: '', zIndex: 0 };
  });
  renderer.setSetting('edgeReducer', (edge, attrs) => {
    if (!selected) return attrs;
    return graph.hasExtremity(edge, selected) ? { ...attrs, color: '#505a5f' } : { ...attrs, hidden: true };
  });

  function showPanel(node) {
    panel.replaceChildren();
    if (!node) return;
    const a = graph.getNodeAttributes(node);
    const entityId = node.replace(/^e/, '');
    panel.append(text('h3', a.label, 'govuk-heading-s govuk-!-margin-bottom-1 intel-break'));
    panel.append(text('p', `${TYPE_LABELS[a.entityType] || a.entityType}, ${graph.degree(node)} links shown`, 'govuk-body-s govuk-!-margin-bottom-1'));
    const links = document.createElement('p');
    links.className = 'govuk-body-s';
    const page = document.createElement('a');
    page.className = 'govuk-link';
    page.href = `/staff/intel/entities/${entityId}`;
    page.textContent = 'Open entity page';
    const centre = document.createElement('a');
    centre.className = 'govuk-link';
    centre.href = `/staff/intel/network?focus=entity:${entityId}&hops=${hops}`;
    centre.textContent = 'Centre the network here';
    const expand = document.createElement('button');
    expand.type = 'button';
    expand.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0';
    expand.textContent = 'Expand neighbours';
    expand.addEventListener('click', async () => {
      expand.disabled = true;
      try {
        const more = await load(`/staff/intel/network.json?focus=entity:${entityId}&hops=1`);
        const before = graph.order;
        merge(graph, more, { x: a.x, y: a.y });
        panel.append(text('p', `${graph.order - before} entities added.`, 'govuk-body-s'));
        renderer.refresh();
      } catch {
        panel.append(text('p', 'Could not load the neighbours. Try again.', 'govuk-error-message'));
      } finally {
        expand.disabled = false;
      }
    });
    links.append(page, document.createTextNode(' · '), centre);
    panel.append(links, expand);
  }

  renderer.on('clickNode', ({ node }) => {
    selected = node;
    showPanel(node);
    renderer.refresh();
  });
  renderer.on('clickStage', () => {
    selected = null;
    showPanel(null);
    renderer.refresh();
  });
  if (data.truncated) panel.append(text('p', 'Only the most strongly linked entities are shown.', 'govuk-body-s'));
}

start().catch(() => {
  // The tables below already show everything: the interactive view is an extra.
  if (root) root.hidden = true;
});
