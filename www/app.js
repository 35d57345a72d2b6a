// Minimal search page: loads the wasm module and the index, searches as you type.
// Every catalog string is inserted with textContent, never as HTML.
import init, { PowerIndex, version } from './pkg/powerlist.js';

const params = new URLSearchParams(location.search);
const INDEX_URL = params.get('index') || 'catalog.idx';
const $ = (id) => document.getElementById(id);
const q = $('q');
const regionSel = $('region');
const status = $('status');
const results = $('results');
const citation = $('citation');
let index = null;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

// The name with its highlight ranges (in characters) wrapped in <mark>.
function highlighted(name, ranges) {
  const chars = Array.from(name);
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const [s, e] of ranges) {
    if (s > at) frag.append(chars.slice(at, s).join(''));
    frag.append(el('mark', {}, chars.slice(s, e).join('')));
    at = e;
  }
  if (at < chars.length) frag.append(chars.slice(at).join(''));
  return frag;
}

const KIND = { code: '编码', citation: '法律条文', keyword: '关键词', browse: '浏览' };

function render() {
  if (!index) return;
  const query = q.value;
  const region = regionSel.value || undefined;
  let r;
  try {
    r = index.search(query, { region, limit: 30 });
  } catch (err) {
    status.textContent = err.message;
    status.className = 'error';
    return;
  }
  status.className = '';
  const how = r.relaxed ? '，没有完全匹配的事项，显示最接近的' : '';
  status.textContent = query.trim()
    ? `找到 ${r.total} 项（按${KIND[r.kind]}检索${how}）`
    : `共 ${r.total} 项事项，输入关键词开始检索`;
  if (r.total === 0 && r.suggestions.length) {
    status.textContent += '。您是不是要找：' + r.suggestions.map((s) => `${s.code} ${s.name}`).join('；');
  }
  citation.hidden = !(r.citation && r.citation.text);
  if (r.citation && r.citation.text) citation.textContent = `《${r.citation.law}》\n${r.citation.text}`;
  results.replaceChildren(...r.hits.map(renderHit));
}

function renderHit(h) {
  const li = el('li', { 'data-code': h.code });
  li.append(el('div', { class: 'name' }, el('span', { class: 'code' }, h.code), highlighted(h.name, h.highlights)));
  li.append(el('div', { class: 'meta' }, `${h.type} · ${h.field} · ${h.level.join('、')}`));
  const handler = el('div', { class: 'handler' }, '办理：', el('strong', {}, h.handled_by));
  if (h.handled_mode) handler.append(`（${h.handled_mode}）`);
  li.append(handler);
  const d = el('details', {}, el('summary', {}, `法律依据（${h.bases.length}）`));
  for (const b of h.bases) {
    d.append(el('p', {}, el('strong', {}, b.citation), '\n', b.cited_text || b.text));
  }
  li.append(d);
  return li;
}

async function main() {
  try {
    await init();
    const resp = await fetch(INDEX_URL);
    if (!resp.ok) throw new Error(`无法加载索引 ${INDEX_URL}（HTTP ${resp.status}）`);
    index = new PowerIndex(new Uint8Array(await resp.arrayBuffer()));
  } catch (err) {
    status.textContent = `索引加载失败：${err.message}`;
    status.className = 'error';
    return;
  }
  const regions = index.regions();
  const byCode = new Map(regions.map((r) => [r.code, r]));
  for (const r of regions) {
    const depth = r.code.length <= 2 ? 0 : r.code.length <= 4 ? 1 : r.code.length <= 6 ? 2 : 3;
    const label = '\u3000'.repeat(depth) + r.name;
    regionSel.append(el('option', { value: r.code }, label));
  }
  const saved = localStorage.getItem('powerlist.region');
  if (saved && byCode.has(saved)) regionSel.value = saved;
  const s = index.stats();
  $('footer').textContent = `共 ${s.items} 项事项 · ${s.laws} 部法律法规 · 索引 ${(s.bytes / 1024).toFixed(0)} KB · powerlist ${version()}`;
  q.disabled = false;
  regionSel.disabled = false;
  q.value = params.get('q') || '';
  q.addEventListener('input', render);
  regionSel.addEventListener('change', () => {
    localStorage.setItem('powerlist.region', regionSel.value);
    render();
  });
  q.focus();
  render();
}

main();
