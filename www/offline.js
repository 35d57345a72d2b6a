// Offline use and updates, through the service worker (sw.js). Called once the page has shown
// its first answer, so the offline copy never competes with it for the network.
//
// First visit: registering the worker starts the copy of every file files.json lists; the page
// hands the worker the index bytes it already downloaded (so they are not fetched twice) and
// shows the worker's progress. Repeat visit: the page was served from the copy; it asks the worker
// to look for a new build in the background, and says so quietly when one is ready for the next
// visit.

/**
 * Calls onStatus(status, detail) with:
 * - 'saving', { files, filesTotal, bytes, bytesTotal } while the first copy is made (repeatedly),
 * - 'ready' once the app and its index are available offline,
 * - 'updated' when a newer build was copied in the background (the next visit uses it),
 * - 'failed' or 'unsupported'.
 */
export async function keepOffline(indexUrl, bytes, onStatus) {
  if (!('serviceWorker' in navigator)) {
    onStatus('unsupported');
    return;
  }
  const sw = navigator.serviceWorker;
  // Served from a copy: this is a repeat visit, and the copy's progress is no news.
  const repeat = Boolean(sw.controller);
  let ready = false;
  let failed = false; // the first copy failed: later progress of its other files is no news
  sw.addEventListener('message', ({ data }) => {
    if (!data) return;
    if (data.type === 'progress' && !data.update && !ready && !failed) onStatus('saving', data);
    else if (data.type === 'ready' && data.updated && ready) onStatus('updated');
    else if (data.type === 'failed' && !ready) {
      failed = true;
      onStatus('failed');
    }
  });
  sw.startMessages();
  if (!repeat) onStatus('saving', null);
  try {
    const reg = await sw.register(new URL('sw.js', import.meta.url));
    // The first copy can use what this page already has. (Repeat visits were served from it.)
    const installing = reg.installing || reg.waiting;
    if (installing && bytes) installing.postMessage({ type: 'offer', url: indexUrl, bytes });
    // `ready` never settles if the worker fails to install (files.json or a file is missing).
    const broken = new Promise((resolve) => {
      installing?.addEventListener('statechange', () => { if (installing.state === 'redundant' && !reg.active) resolve(null); });
    });
    const active = await Promise.race([sw.ready, broken]);
    const reply = active && await ask(active.active, { type: 'check', update: repeat });
    ready = Boolean(reply && reply.ready);
    onStatus(ready ? 'ready' : 'failed');
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
