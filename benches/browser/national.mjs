// The national catalog's first answer in the real page: www/ as built (scripts/build.sh) with
// its chunked index replaced by the national one, served by `powerlist serve` (precompressed
// files), behind the bench's counting proxy, in Chromium at a phone viewport (lib/measure.mjs).
//
//   node benches/browser/national.mjs WEB_DIR TOWNSHIP… [--slow N]
//
// WEB_DIR: `powerlist build CATALOG --web WEB_DIR` of `powerlist synth --national` (compressed
// here when it has no .br files). For each township, a first visit from an empty cache to
// `/?region=TOWNSHIP&q=占道经营`: the bytes and requests before the first result row is painted
// (every byte the proxy wrote: headers, bodies, the service worker's), and with `--slow N`, N
// visits on the slow line (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProxy } from './lib/proxy.mjs';
import { launch, firstAndRepeat, slowVisit } from './lib/measure.mjs';

/** run.mjs's slow line (importing run.mjs would start its run). */
const SLOW_LINE = { downKbps: 1600, upKbps: 750, rttMs: 150 };
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'target/release/powerlist');
const args = process.argv.slice(2);
const slowAt = args.indexOf('--slow');
const slow = slowAt >= 0 ? Number(args.splice(slowAt, 2)[1]) : 0;
const [web, ...townships] = args;
if (!web || !townships.length) throw new Error('usage: node benches/browser/national.mjs WEB_DIR TOWNSHIP… [--slow N]');

// The site: www/ without its own indexes, the national index as catalog/.
const site = path.join(ROOT, 'target/bench/national-site');
fs.rmSync(site, { recursive: true, force: true });
fs.cpSync(path.join(ROOT, 'www'), site, {
  recursive: true,
  preserveTimestamps: true,
  filter: (src) => !/\/www\/(catalog|catalog\.idx|previous\.idx|test-tmp)(\.br|\.gz)?$/.test(src),
});
if (!fs.readdirSync(web).some((f) => f.endsWith('.br'))) execFileSync(CLI, ['compress', web], { stdio: 'inherit' });
// A copy: `powerlist serve` follows no link out of its folder.
fs.cpSync(path.resolve(web), path.join(site, 'catalog'), { recursive: true, preserveTimestamps: true });
// As scripts/build.sh does: the manifest, then every file worth it precompressed.
execFileSync(CLI, ['manifest', site], { stdio: 'inherit' });
execFileSync(CLI, ['compress', site], { stdio: 'inherit' });

const proc = (await import('node:child_process')).spawn(CLI, ['serve', '--dir', site, '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const origin = await new Promise((resolve, reject) => {
  let out = '';
  proc.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/http:\/\/([^/\s]+)\//);
    if (m) resolve(new URL(m[0]));
  });
  proc.on('exit', (code) => reject(new Error(`powerlist serve exited ${code}`)));
});
const proxy = await startProxy({ host: origin.hostname, port: Number(origin.port) });
const browser = await launch();
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
try {
  for (const township of townships) {
    const url = `http://127.0.0.1:${proxy.port}/?${new URLSearchParams({ region: township, q: '占道经营' })}`;
    const r = await firstAndRepeat(browser, url, proxy, path.join(ROOT, `target/bench/national-${township}.png`));
    if (r.error) throw new Error(`${township}: ${r.error}`);
    const { first } = r;
    const groups = {};
    for (const q of first.list) {
      const kind = /\/catalog\/core\.bin/.test(q.url) ? 'core' : /\/catalog\//.test(q.url) ? 'chunks' : /\.wasm/.test(q.url) ? 'module' : 'page';
      groups[kind] = groups[kind] ?? { bytes: 0, requests: 0 };
      groups[kind].bytes += q.bytes;
      groups[kind].requests += 1;
    }
    const parts = Object.entries(groups).map(([k, g]) => `${k} ${kib(g.bytes)} (${g.requests})`).join(', ');
    console.log(`${township}: first answer "${first.answer.text}" after ${kib(first.bytes)} in ${first.requests} requests: ${parts}; ${first.ms.toFixed(0)} ms unthrottled`);
    const chunks = first.list.filter((q) => /\/catalog\/[0-9a-f]{16}\.bin/.test(q.url)).map((q) => q.bytes).sort((a, b) => b - a);
    console.log(`  chunks, largest first: ${chunks.join(' ')}`);
    if (process.env.LIST) for (const q of first.list) console.log(`    ${q.bytes} ${q.encoding ?? ''} ${q.url}`);
    const times = [];
    for (let i = 0; i < slow; i++) {
      const s = await slowVisit(browser, url, proxy, SLOW_LINE);
      if (s.error) throw new Error(`${township} slow: ${s.error}`);
      times.push(s.ms / 1000);
    }
    if (times.length) console.log(`  slow line: ${times.map((t) => t.toFixed(2)).join(', ')} s`);
  }
} finally {
  await browser.close();
  await proxy.close?.();
  proc.kill();
}
