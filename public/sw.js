// Siteline service worker: caches the app shell so the app opens with no connection.
// Navigations: network first, cached index.html when offline. Hashed assets: cache first.
// API calls are never cached: the app keeps its data (outbox, photos) in IndexedDB, which this
// worker never touches.
//
// Updates: bump VERSION whenever this file or the shell's caching changes. The first install
// takes over at once (the app works offline right after the first visit); a later version waits
// until the app asks for it (the user taps 更新 when nothing typed is unsaved), via SKIP_WAITING.
const VERSION = '2026-12-03.1';
const CACHE = 'siteline-shell-' + VERSION;
const SHELL = ['/', '/index.html', '/manifest.webmanifest', '/icon.svg', '/icon-192.png', '/icon-512.png',
  '/icon-maskable-512.png'];

// Asset URLs index.html needs: what it links (hashed js, wasm and css) and the
// `siteline-precache` list the build writes (the split loader and every page module, so a page
// never opened online still opens offline).
function assetsOf(html) {
  const urls = new Set();
  const abs = (u) => new URL(u, self.location.origin).pathname;
  const re = /(?:href|src)=["']([^"']+\.(?:js|wasm|css|svg|webmanifest))["']/g;
  let m;
  while ((m = re.exec(html))) urls.add(abs(m[1]));
  const meta = /<meta name="siteline-precache" content="([^"]*)">/.exec(html);
  if (meta) for (const u of meta[1].split(/\s+/)) if (u) urls.add(abs(u));
  return [...urls];
}

// Fetches index.html and everything it needs into the cache, then drops what the new shell no
// longer uses (older hashed assets).
async function cacheShell() {
  const cache = await caches.open(CACHE);
  const res = await fetch('/index.html', { cache: 'no-store' });
  if (!res.ok) throw new Error('index.html: ' + res.status);
  const html = await res.clone().text();
  const wanted = assetsOf(html).concat(SHELL.filter((u) => u !== '/' && u !== '/index.html'));
  await Promise.all(wanted.map(async (u) => {
    if (await cache.match(u)) return; // hashed names: same name, same bytes
    const r = await fetch(u, { cache: 'no-store' });
    // A missing piece fails the install (it is tried again on the next visit) rather than
    // leaving a shell that breaks offline.
    if (!r.ok) throw new Error(u + ': ' + r.status);
    await cache.put(u, r);
  }));
  await cache.put('/index.html', res.clone());
  await cache.put('/', res);
  const keep = new Set(wanted.concat(['/', '/index.html']));
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname;
    if (!keep.has(path)) await cache.delete(req);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    await cacheShell();
    // No worker active yet: this is the first install, take over now. Otherwise wait for the app.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'SKIP_WAITING') self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('siteline-shell-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  // Shared report pages (/r/…) are the server's own documents: never the app shell.
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/r/')) return;
  if (req.mode === 'navigate') {
    // Fresh app when online (and refresh the cached shell); cached shell when offline.
    event.respondWith((async () => {
      try {
        const res = await fetch(req);
        if (res.ok) cacheShell().catch(() => {});
        return res;
      } catch (e) {
        const cached = await caches.match('/index.html', { cacheName: CACHE }) || await caches.match('/index.html');
        return cached || Response.error();
      }
    })());
    return;
  }
  event.respondWith((async () => {
    const cached = await caches.match(req, { ignoreSearch: true });
    if (cached) return cached;
    const res = await fetch(req);
    if (res.ok && url.pathname !== '/sw.js') {
      const cache = await caches.open(CACHE);
      await cache.put(req, res.clone());
    }
    return res;
  })());
});
