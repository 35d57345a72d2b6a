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
 * - 'ready', { repeat } once the app and its index are available offline (repeat: this page was
 *   served from the copy),
 * - 'updating' when a newer build starts to be copied in the background (once),
 * - 'updated' when it is complete (the next visit uses it), 'update-failed' when it could not be
 *   had whole (the copy in use stays; the next visit tries again),
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
  let updating = false;
  sw.addEventListener('message', ({ data }) => {
    if (!data) return;
    if (data.type === 'progress' && !data.update && !ready && !failed) onStatus('saving', data);
    else if (data.type === 'progress' && data.update && ready && !updating) {
      updating = true;
      onStatus('updating', data);
    } else if (data.type === 'ready' && data.updated && ready) onStatus('updated');
    // On a repeat visit a failure is an update's, whichever message arrives first: the
    // broadcast can overtake the answer to our check, which says the copy is complete.
    else if (data.type === 'failed' && (ready || repeat)) {
      updating = false;
      onStatus('update-failed');
    } else if (data.type === 'failed' && !ready) {
      failed = true;
      onStatus('failed');
    }
  });
  sw.startMessages();
  if (!repeat) onStatus('saving', null);
  const settle = (reply) => {
    if (ready) return;
    ready = Boolean(reply && reply.ready);
    onStatus(ready ? 'ready' : 'failed', ready ? { repeat } : undefined);
  };
  try {
    const reg = await sw.register(new URL('sw.js', import.meta.url));
    // A worker that arrives later (a new sw.js, found by the browser's own check) answers
    // once it is active: until then the one before it may not know these messages.
    reg.addEventListener('updatefound', () => {
      const w = reg.installing;
      w?.addEventListener('statechange', async () => {
        if (w.state === 'activated') settle(await ask(w, { type: 'check', update: false }));
      });
    });
    // The first copy can use what this page already has. (Repeat visits were served from it.)
    const coming = reg.installing || reg.waiting;
    if (coming && bytes) coming.postMessage({ type: 'offer', url: indexUrl, bytes });
    if (coming) await activated(coming);
    // No active worker: it failed to install (files.json or a file missing, or a hash mismatch).
    settle(reg.active && await ask(reg.active, { type: 'check', update: repeat }));
  } catch {
    settle(null);
  }
}

/** Resolves when the worker is active or has failed to install. */
function activated(worker) {
  return new Promise((resolve) => {
    const done = () => { if (worker.state === 'activated' || worker.state === 'redundant') resolve(); };
    worker.addEventListener('statechange', done);
    done();
  });
}

function ask(worker, message) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => resolve(e.data);
    worker.postMessage(message, [channel.port2]);
    setTimeout(() => resolve(null), 30000);
  });
}
