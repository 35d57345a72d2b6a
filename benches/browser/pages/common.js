// What every peer's page shares: the query from the URL (?q=), a search box, and a results list
// whose rows carry data-code (the harness's "first answer" is the first such row). An engine's
// page calls start(load): load() resolves to search(q) → hits [{ name, code }], where a hit may
// be a promise (Pagefind loads each result's data separately); rows are filled in order.
const $ = (id) => document.getElementById(id);

function row(hit) {
  const li = document.createElement('li');
  li.dataset.code = hit.code;
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = hit.name;
  const code = document.createElement('span');
  code.className = 'code';
  code.textContent = hit.code;
  li.append(name, code);
  return li;
}

async function show(hits, isCurrent) {
  const list = $('results');
  const slots = hits.map(() => document.createElement('li'));
  list.replaceChildren(...slots);
  for (let i = 0; i < hits.length; i++) {
    const hit = await hits[i];
    if (!isCurrent()) return;
    slots[i].replaceWith(row(hit));
  }
}

export async function start(load) {
  const input = $('q');
  const status = $('status');
  const q = new URLSearchParams(location.search).get('q') || '';
  input.value = q;
  let search;
  try {
    search = await load();
  } catch (err) {
    status.textContent = `加载失败：${err.message}`;
    throw err;
  }
  let latest = 0;
  const run = async (query) => {
    const mine = ++latest;
    const hits = query.trim() ? await search(query.trim()) : [];
    if (mine !== latest) return;
    status.textContent = query.trim() ? (hits.length ? `前 ${Math.min(hits.length, 20)} 项` : '没有找到') : '';
    await show(hits.slice(0, 20), () => mine === latest);
  };
  input.addEventListener('input', () => run(input.value));
  await run(q);
}
