// Runs one measurement in its own Node process, with limits: wall time, V8 heap, and resident
// memory (polled from /proc, since WebAssembly and Buffer memory live outside the V8 heap).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HERE } from './catalog.mjs';

const rssOf = (pid) => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};

/**
 * Resolves to { ok: true, result } or { ok: false, error } — never rejects, so one engine that
 * cannot load a size does not stop the harness.
 */
export function runTask(args, { timeoutS = 600, heapMb = 4096, rssLimit = 8 * 2 ** 30 } = {}) {
  const out = path.join(os.tmpdir(), `powerlist-bench-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const child = spawn(process.execPath, ['--expose-gc', `--max-old-space-size=${heapMb}`, path.join(HERE, 'worker.mjs'), ...args, '--out', out], {
    stdio: ['ignore', 'inherit', 'pipe'],
    env: process.env,
  });
  let stderr = '';
  let killed = null;
  let peakRss = 0;
  child.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.length > 20000) stderr = stderr.slice(-10000);
    process.stderr.write(d);
  });
  const poll = setInterval(() => {
    const rss = rssOf(child.pid);
    peakRss = Math.max(peakRss, rss);
    if (rss > rssLimit && !killed) {
      killed = `resident memory above ${(rssLimit / 2 ** 30).toFixed(0)} GiB`;
      child.kill('SIGKILL');
    }
  }, 200);
  const timer = setTimeout(() => {
    killed = `no answer within ${timeoutS} s`;
    child.kill('SIGKILL');
  }, timeoutS * 1000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      const peak = { peakRssBytes: peakRss };
      if (code === 0 && fs.existsSync(out)) {
        const result = JSON.parse(fs.readFileSync(out, 'utf8'));
        fs.rmSync(out, { force: true });
        return resolve({ ok: true, result, ...peak });
      }
      fs.rmSync(out, { force: true });
      let error = killed;
      if (!error && /heap out of memory|Reached heap limit/.test(stderr)) error = `JavaScript heap above ${heapMb} MB (out of memory)`;
      if (!error && /Invalid string length|Cannot create a string longer/.test(stderr)) error = 'data larger than the longest JavaScript string (V8 limit, ~512 M characters)';
      if (!error) {
        const lines = stderr.trim().split('\n').filter((l) => /Error|error:/.test(l));
        error = `exit ${code ?? signal}: ${(lines[0] || stderr.trim().split('\n').pop() || '').slice(0, 300)}`;
      }
      resolve({ ok: false, error, ...peak });
    });
  });
}
