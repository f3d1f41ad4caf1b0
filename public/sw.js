// Jiayuan kiosk service worker: the app shell starts with the network down.
//
// `cargo xtask post-build` (Trunk's post_build hook) replaces the two placeholders below with
// this build's exact files and a version taken from their contents, so every new build is a
// new worker with a cache of its own.
const VERSION = "__JIAYUAN_BUILD_VERSION__";
const PRECACHE = __JIAYUAN_PRECACHE_FILES__;
const CACHE = `jiayuan-shell-${VERSION}`;
// The page sends this only from the home screen, so a resident is never cut off mid-flow.
const TAKE_OVER = "jiayuan-take-over";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // "reload" skips the HTTP cache: the shell must be this build's bytes.
      cache.addAll(PRECACHE.map((path) => new Request(path, { cache: "reload" }))),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const stale = (await caches.keys()).filter(
        (key) => key.startsWith("jiayuan-shell-") && key !== CACHE,
      );
      await Promise.all(stale.map((key) => caches.delete(key)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === TAKE_OVER) self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Only the kiosk's own shell: the sync API and the staff console always go to the network.
  if (
    request.method !== "GET" ||
    url.origin !== self.location.origin ||
    url.pathname.startsWith("/api/") ||
    url.pathname.startsWith("/staff")
  ) {
    return;
  }
  const cached =
    request.mode === "navigate"
      ? caches.match("/", { cacheName: CACHE })
      : caches.match(request, { cacheName: CACHE, ignoreSearch: true });
  event.respondWith(cached.then((response) => response || fetch(request)));
});
