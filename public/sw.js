// Service worker: keeps the app shell, its hashed assets and the measures catalogues so that
// "Validate a file" works offline after the first visit. API calls are never cached.
// The build (Trunk.toml hook) replaces BUILD_ID with a hash of index.html: each deployment
// installs a new worker, which caches the new assets and drops the old cache.
'use strict';
const CACHE = 'mips-elections-BUILD_ID';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const res = await fetch('/', { cache: 'no-cache' });
    const html = await res.clone().text();
    await cache.put('/', res);
    // Every same-origin asset the shell names: stylesheets, icon, the wasm and its glue.
    const urls = new Set(['/config.json', '/qpp-worker.js']);
    for (const m of html.matchAll(/(?:href|src)="(\/[^"]+)"|'(\/[^']+\.(?:js|wasm))'/g)) urls.add(m[1] || m[2]);
    await cache.addAll([...urls]);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

const immutable = (path) => path.startsWith('/qpp-catalogue/') || /-[0-9a-f]{12,}(_bg)?\.[a-z0-9]+$/.test(path) || path.startsWith('/fonts/');

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    // Network first, so a deployment shows at once; the cached shell when offline.
    event.respondWith(fetch(req).then((res) => {
      if (res.ok) caches.open(CACHE).then((c) => c.put('/', res.clone()));
      return res;
    }).catch(() => caches.match('/')));
    return;
  }
  if (immutable(url.pathname)) {
    // Content-hashed: the cached copy is always right.
    event.respondWith(caches.match(req).then((hit) => hit || fetch(req).then((res) => {
      if (res.ok) { const copy = res.clone(); caches.open(CACHE).then((c) => c.put(req, copy)); }
      return res;
    })));
    return;
  }
  event.respondWith(fetch(req).then((res) => {
    if (res.ok) { const copy = res.clone(); caches.open(CACHE).then((c) => c.put(req, copy)); }
    return res;
  }).catch(() => caches.match(req)));
});
