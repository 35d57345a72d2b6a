// Offline use: registers the service worker (sw.js) and makes sure the index this page uses is
// in its cache. On a first visit the page fetched the index before any service worker existed,
// so the page hands the bytes it already has to the worker instead of downloading them again.

/**
 * Calls onStatus with 'saving', then 'ready' (app and index available offline), 'failed' or
 * 'unsupported'.
 */
export async function keepOffline(indexUrl, bytes, onStatus) {
  if (!('serviceWorker' in navigator)) {
    onStatus('unsupported');
    return;
  }
  onStatus('saving');
  try {
    const reg = await navigator.serviceWorker.register(new URL('sw.js', import.meta.url));
    // `ready` never settles if the worker fails to install (a file of the shell is missing).
    const failed = new Promise((resolve) => {
      const w = reg.installing;
      w?.addEventListener('statechange', () => { if (w.state === 'redundant' && !reg.active) resolve(null); });
      setTimeout(() => resolve(null), 60000);
    });
    const ready = await Promise.race([navigator.serviceWorker.ready, failed]);
    const reply = ready && await ask(ready.active, { type: 'keep', url: indexUrl, bytes });
    onStatus(reply && reply.ok ? 'ready' : 'failed');
  } catch {
    onStatus('failed');
  }
}

function ask(worker, message) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => resolve(e.data);
    worker.postMessage(message, [channel.port2]);
    setTimeout(() => resolve(null), 30000);
  });
}
