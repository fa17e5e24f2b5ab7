/*! haven.js: Haven's browser snippet. AGPL-3.0-only. No dependencies, cookies or fingerprinting.
 * Guide: docs/api.md ("The browser snippet"). Served minified; this readable source is tracker/haven.js
 * in Haven's repository.
 *   <script src="https://HAVEN/t.js" data-write-key="hv_wk_..." defer></script>
 * Options, as data- attributes or on window.haven before the tag: write-key / writeKey (required),
 * host, respect-gpc="false" (default: with Global Privacy Control or Do Not Track, nothing is sent
 * or stored), auto-page="false", keep-query="a,b" or "*" (query parameters kept besides utm_*).
 * Stub for calls made before it loads (they wait in haven.q, each with its time, address and title):
 *   window.haven=window.haven||{};haven.q=haven.q||[];['page','track','identify','reset'].forEach(function(m){
 *   haven[m]=haven[m]||function(){var c=[m].concat([].slice.call(arguments));c.t=Date.now();c.u=location.href;
 *   c.n=document.title;haven.q.push(c)}})
 * API: track(name, props), page(props), identify(userId, traits), reset(), flush(), anonymousId(), userId().
 * Sent: the page's URL (no #fragment unless a route like #/cart; only kept query parameters),
 * path, referrer, title, what the page passes, and a random anonymous id kept in localStorage.
 */
(function () {
  'use strict';

  var VERSION = '0.1.0';
  var FLUSH_MS = 2000; // send at most every 2 s...
  var MAX_QUEUE = 20; // ...or as soon as 20 events wait...
  var FLUSH_BYTES = 32 * 1024; // ...or 32 KiB: at most one beacon's worth waits when the page goes
  // Browsers refuse a beacon or keepalive body over 64 KiB, and share 64 KiB among all of a page's
  // keepalive requests in flight; Haven refuses an event over 32 KiB.
  var MAX_BATCH_BYTES = 60000;
  var LEAVING_BYTES = 64000;
  var MAX_EVENT_BYTES = 32 * 1024 - 256; // Haven measures an event with the batch's context and sentAt
  var MAX_ATTEMPTS = 5; // 4, 8, 16, 32 s apart: a minute offline loses nothing
  var MAX_WAITING = 200; // events kept while the server is unreachable; the oldest go first
  var MAX_WAIT_MS = 3600 * 1000; // the longest wait a Retry-After may ask for
  var MAX_KEPT_BYTES = 1024 * 1024; // what pages keep for the next in localStorage, at most
  var ANON_KEY = 'haven_anonymous_id';
  var USER_KEY = 'haven_user_id';
  var UNSENT_PREFIX = 'haven_unsent.'; // what a page could not send as it went, for the next page

  var existing = window.haven;
  if (existing && existing.__haven) return; // loaded twice

  var config = existing && typeof existing === 'object' ? existing : {};
  var script = document.currentScript || document.querySelector('script[data-write-key]');

  function option(attribute, name) {
    var fromTag = script && script.getAttribute('data-' + attribute);
    return fromTag !== null && fromTag !== undefined ? fromTag : config[name];
  }

  function isOff(value) {
    return value === false || value === 'false';
  }

  var writeKey = option('write-key', 'writeKey');
  // What it needs (IE 11 and browsers of its age lack some): without it, it stays off, quietly.
  var capable = !!(window.URL && window.URLSearchParams && window.fetch && window.Blob && window.crypto && window.crypto.getRandomValues && Object.assign);
  var host = option('host', 'host') || (capable && script && script.src ? new URL(script.src, location.href).origin : '');
  host = String(host).replace(/\/+$/, '');

  var nav = window.navigator || {};
  // Do Not Track lives on navigator, on window in older Safari and Edge, as msDoNotTrack in IE.
  var dnt = nav.doNotTrack || window.doNotTrack || nav.msDoNotTrack;
  var optedOut = nav.globalPrivacyControl === true || dnt === '1' || dnt === 'yes';
  var respected = optedOut && !isOff(option('respect-gpc', 'respectGpc'));
  var enabled = capable && !!writeKey && !respected;
  var keepQuery = String(option('keep-query', 'keepQuery') || '')
    .split(',')
    .map(function (name) {
      return name.trim();
    })
    .filter(Boolean);

  // Identity: a random id in localStorage (memory when storage is blocked).

  // Only what storage could not hold lives in memory: a value another tab changed (a reset()
  // there) is read from storage, never shadowed by this tab's old copy.
  var memory = {};

  function load(key) {
    if (!(key in memory)) {
      try {
        return window.localStorage.getItem(key);
      } catch (e) {
        // storage blocked: memory only
      }
    }
    return memory[key] === undefined ? null : memory[key];
  }

  function save(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
      delete memory[key];
    } catch (e) {
      // Storage blocked or full: memory only, and no older stored value may win over it.
      memory[key] = value === null ? undefined : value;
      try {
        window.localStorage.removeItem(key);
      } catch (e2) {
        // blocked
      }
    }
  }

  /** A random (version 4) UUID from crypto.getRandomValues. */
  function uuid() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = '';
    for (var i = 0; i < 16; i++) {
      hex += (b[i] + 0x100).toString(16).slice(1);
      if (i === 3 || i === 5 || i === 7 || i === 9) hex += '-';
    }
    return hex;
  }

  var minted = null; // the id this page made up for a new visitor, until its first send

  function anonymousId() {
    var id = load(ANON_KEY);
    if (!id) {
      id = uuid();
      save(ANON_KEY, id);
      minted = id;
    }
    return id;
  }

  /**
   * A new visitor's tabs opened together each make up an id, and the last written wins in storage.
   * Before its first send, a page that lost takes the stored id for what it made, so the visitor is
   * one person, not one per tab.
   */
  function adoptStoredId() {
    var mine = minted;
    minted = null;
    var stored = mine && load(ANON_KEY);
    if (!stored || stored === mine) return;
    queue.forEach(function (item) {
      var message = JSON.parse(item.json);
      if (message.anonymousId !== mine) return;
      message.anonymousId = stored;
      item.json = JSON.stringify(message);
      item.bytes = new Blob([item.json]).size;
    });
    pendingViews.forEach(function (view) {
      if (view.anonymousId === mine) view.anonymousId = stored;
    });
  }

  function kept(name) {
    return name.indexOf('utm_') === 0 || keepQuery.indexOf(name) >= 0 || keepQuery.indexOf('*') >= 0;
  }

  /** Only the query parameters kept (utm_* and keepQuery). */
  function keptQuery(query) {
    var out = new URLSearchParams();
    new URLSearchParams(query).forEach(function (value, name) {
      if (kept(name)) out.append(name, value);
    });
    return out.toString() ? '?' + out : '';
  }

  /**
   * A #fragment is sent only when it is a route (#/cart): others may hold tokens. Of a route, its
   * path: not what follows a second `#`, `&` or `;` (`#/callback#access_token=…`). The root route
   * (`#/`, `#!/`), which hash routers write over a bare address as the app starts, is no route.
   */
  function route(hash) {
    var path = hash.indexOf('#/') === 0 || hash.indexOf('#!') === 0 ? '#' + hash.slice(1).split('?')[0].split(/[#&;]/)[0] : '';
    return path === '#/' || path === '#!' || path === '#!/' ? '' : path;
  }

  /** What may be sent of a URL: the route's query and the page's are both filtered. */
  function clean(href) {
    try {
      var url = new URL(href, location.href);
      // Nothing after a second `#`, the route's query neither (`#/cb?a=1#access_token=…`).
      var hash = url.hash.split('#').slice(0, 2).join('#');
      var q = hash.indexOf('?');
      return url.origin + url.pathname + keptQuery(url.search) + route(hash) + (route(hash) && q > 0 ? keptQuery(hash.slice(q)) : '');
    } catch (e) {
      return '';
    }
  }

  function currentUrl() {
    return clean(location.href);
  }

  /**
   * Where the app is, to tell a new view from a change of query: the path and any route. A trailing
   * slash is no other place (routers tidy `/app` into `/app/` as they start).
   */
  function currentPlace() {
    return (location.pathname.replace(/\/+$/, '') || '/') + route(location.hash);
  }

  var lastUrl = null; // the URL of the last page view
  var lastPlace = null; // ...and its place
  var lastTitle = null; // ...and its title
  var referrer = document.referrer ? clean(document.referrer) : '';

  /**
   * A call made through the stub before the script loaded, while it is made: its time, address and
   * title as they were then (the stub notes them), not as they are now — a single-page app may
   * have moved on meanwhile. Calls from an older stub, which noted nothing, are made as of now.
   */
  var replaying = null;

  function asOf(call) {
    if (typeof call.t !== 'number' || typeof call.u !== 'string') return null;
    try {
      return { at: new Date(call.t), url: clean(call.u), path: new URL(call.u, location.href).pathname, title: typeof call.n === 'string' ? call.n : document.title };
    } catch (e) {
      return null;
    }
  }

  function pageInfo() {
    if (replaying) return { url: replaying.url, path: replaying.path, referrer: referrer, title: replaying.title };
    return { url: currentUrl(), path: location.pathname, referrer: referrer, title: document.title };
  }

  var queue = [];
  var inFlight = []; // batches sent and not yet answered
  var timer = null;
  var notBefore = 0; // after a failed send: no other before this time (unless the page goes)
  var sequence = 0; // the order events were made in, kept through retries

  function hidden() {
    return document.visibilityState === 'hidden';
  }

  /** Chrome may load a page the visitor has not opened yet: nothing is sent until it is shown. */
  function prerendering() {
    return document.prerendering === true;
  }

  function waitingBytes() {
    var bytes = 0;
    for (var i = 0; i < queue.length; i++) bytes += queue[i].bytes;
    return bytes;
  }

  function later(ms) {
    if (!timer) timer = setTimeout(flush, ms);
  }

  /**
   * Queue an event. `view`: a page view that waited for its title, made earlier — its time and
   * ids are those it had then. Returns whether it was queued.
   */
  function add(message, view) {
    var userId = view ? view.userId : load(USER_KEY);
    message.messageId = uuid();
    message.anonymousId = view ? view.anonymousId : anonymousId();
    if (userId) message.userId = userId;
    message.timestamp = (view ? view.at : replaying ? replaying.at : new Date()).toISOString();
    message.context = { page: view ? { url: message.properties.url, path: message.properties.path, referrer: message.properties.referrer, title: message.properties.title } : pageInfo() };
    // Serialised alone: a cycle or a BigInt costs this event only, not its batch.
    var json;
    try {
      json = JSON.stringify(message);
    } catch (e) {
      if (window.console) console.warn('haven.js: ' + message.type + ' not sent, its properties are not JSON: ' + e.message);
      return false;
    }
    var bytes = new Blob([json]).size;
    if (bytes > MAX_EVENT_BYTES) {
      if (window.console) console.warn('haven.js: ' + message.type + ' not sent, it is over 32 KiB as JSON.');
      return false;
    }
    queue.push({ json: json, bytes: bytes, attempts: 0, seq: sequence++ });
    if (queue.length > MAX_WAITING) queue.splice(0, queue.length - MAX_WAITING);
    return true;
  }

  function enqueue(message, view) {
    if (!add(message, view) || prerendering()) return; // a prerendered page's: sent once it is shown
    // A hidden page may be gone before any timer fires: what it sends then leaves at once.
    if (hidden()) flush(true);
    else if ((queue.length >= MAX_QUEUE || waitingBytes() >= FLUSH_BYTES) && Date.now() >= notBefore) flush();
    else later(FLUSH_MS);
  }

  function body(items) {
    var head = JSON.stringify({ writeKey: writeKey, sentAt: new Date().toISOString(), context: { library: { name: 'haven.js', version: VERSION } } });
    return head.slice(0, -1) + ',"batch":[' + items.map(function (item) {
      return item.json;
    }).join(',') + ']}';
  }

  /**
   * Put events back for a later try, in the order they were made, unless they were tried enough.
   * Nothing else is sent before the wait is over (twice as long each time, or the server's
   * Retry-After if longer): a server that is down or busy is not sent more.
   */
  function retry(items, retryAfterSeconds) {
    var again = items.filter(function (item) {
      return ++item.attempts < MAX_ATTEMPTS;
    });
    if (again.length === 0) return;
    queue = again.concat(queue).sort(function (a, b) {
      return a.seq - b.seq;
    });
    if (queue.length > MAX_WAITING) queue.splice(0, queue.length - MAX_WAITING);
    var wait = Math.max(FLUSH_MS * Math.pow(2, again[0].attempts), (retryAfterSeconds || 0) * 1000);
    waitUntil(Date.now() + Math.min(wait, MAX_WAIT_MS));
  }

  function waitUntil(time) {
    notBefore = Math.max(notBefore, Math.min(time, Date.now() + MAX_WAIT_MS));
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, notBefore - Date.now());
  }

  /** The next batch off the queue: at most MAX_QUEUE events and MAX_BATCH_BYTES. */
  function nextBatch() {
    var bytes = 200; // the envelope
    var n = 0;
    while (n < queue.length && n < MAX_QUEUE && bytes + queue[n].bytes + 1 <= MAX_BATCH_BYTES) bytes += queue[n++].bytes + 1;
    return queue.splice(0, Math.max(n, 1));
  }

  /**
   * Send what waits; when `leaving`, by sendBeacon. text/plain needs no CORS preflight. A page that
   * goes may send 64 KiB in all: what is left, and what is still on its way unanswered (a request
   * the browser may cancel), is kept for the next page of the site to send (Haven stores each
   * message once, whatever arrives twice).
   */
  function flush(leaving) {
    leaving = leaving === true;
    if (prerendering()) return;
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    adoptStoredId();
    if (leaving) sendPendingViews();
    if (Date.now() < notBefore) {
      // The server asked to be left alone: a leaving page keeps it all for the next one.
      if (leaving) keepUnsent(queue.concat.apply(queue, inFlight));
      else later(notBefore - Date.now());
      return;
    }
    var budget = LEAVING_BYTES;
    var url = host + '/v1/batch';
    /** One batch out as the page goes, within what browsers let it send; `items` null: no fetch. */
    function leave(data, items) {
      var size = new Blob([data]).size;
      var sent = false;
      if (size > budget) return false;
      try {
        if (nav.sendBeacon) sent = nav.sendBeacon(url, new Blob([data], { type: 'text/plain' }));
        else if (items) sent = send(url, data, items, true);
      } catch (e) {
        // refused: kept below
      }
      if (sent) budget -= size;
      return sent;
    }
    while (queue.length > 0) {
      var items = nextBatch();
      var data = body(items);
      if (!leaving) send(url, data, items, false);
      else if (!leave(data, items)) {
        queue = items.concat(queue);
        break;
      }
    }
    if (leaving) {
      // Batches sent earlier and not answered yet die with the page (a plain fetch does not
      // outlive it): beaconed again with what the budget leaves, and kept as well — Haven stores
      // each message once, whichever arrives.
      var unanswered = inFlight.slice();
      for (var i = 0; i < unanswered.length && queue.length === 0; i++) leave(body(unanswered[i]), null);
      keepUnsent(queue.concat.apply(queue, inFlight));
    }
  }

  /** keepalive (the request outlives the page) only when leaving: its 64 KiB quota is shared. */
  function send(url, data, items, keepalive) {
    if (!window.fetch) return false;
    inFlight.push(items);
    var answered = function () {
      inFlight = inFlight.filter(function (batch) {
        return batch !== items;
      });
    };
    window
      .fetch(url, {
        method: 'POST',
        body: data,
        headers: { 'content-type': 'text/plain' },
        keepalive: keepalive,
        credentials: 'omit',
        mode: 'cors',
      })
      .then(function (response) {
        answered();
        // Other 4xx: the events were refused on their own merits; trying again would not help.
        if (response.status >= 500 || response.status === 429 || response.status === 408) retry(items, parseInt(response.headers.get('retry-after'), 10));
      })
      .catch(function () {
        answered();
        retry(items);
      });
    return true;
  }

  /**
   * What pages of this site kept and no page has sent yet, other tabs' and other write keys' too
   * (a site may load the snippet of two teams), oldest first. Each going page writes an entry of
   * its own, `{k, h, u, j, a}` — the write key and Haven host it is for, the wait the server asked
   * for, the events and how often each was sent already — that nothing rewrites: the page that takes it removes it whole. Two tabs
   * switched at once (one hidden, one shown) can then never lose one's events to the other's write;
   * two pages taking the same entry at once send it twice, which Haven stores once.
   */
  function keptEntries() {
    var entries = [];
    try {
      var storage = window.localStorage;
      for (var i = 0; i < storage.length; i++) {
        var key = storage.key(i);
        if (key && key.indexOf(UNSENT_PREFIX) === 0) {
          var text = storage.getItem(key) || '';
          try {
            var entry = JSON.parse(text);
            if (entry && Array.isArray(entry.j)) entries.push({ key: key, size: text.length, k: entry.k, h: entry.h, u: +entry.u || 0, j: entry.j, a: Array.isArray(entry.a) ? entry.a : [] });
          } catch (e) {
            // not an entry this snippet wrote: left alone
          }
        }
      }
    } catch (e) {
      // storage blocked
    }
    return entries.sort(function (a, b) {
      return a.key < b.key ? -1 : 1;
    });
  }

  function forget(key) {
    try {
      window.localStorage.removeItem(key);
    } catch (e) {
      // storage blocked
    }
  }

  /** This key's and host's kept entries, out of storage, oldest first: whole ones, up to `room` events in all. */
  function takeKept(room) {
    return keptEntries().filter(function (entry) {
      if (entry.k !== writeKey || entry.h !== host || entry.j.length > room) return false;
      room -= entry.j.length;
      forget(entry.key);
      return true;
    });
  }

  /**
   * What a hidden or leaving page could not send goes to storage, its newest 200 events, the
   * oldest entries of the site going to keep 1 MiB in all; if storage refuses it, it stays here
   * (the page may be shown again).
   */
  function keepUnsent(items) {
    var json = [];
    var attempts = [];
    var bytes = 0;
    for (var i = items.length - 1; i >= 0 && json.length < MAX_WAITING && bytes + items[i].json.length <= MAX_KEPT_BYTES; i--) {
      json.unshift(items[i].json);
      attempts.unshift(items[i].attempts);
      bytes += items[i].json.length;
    }
    if (json.length === 0) return;
    var value = JSON.stringify({ k: writeKey, h: host, u: notBefore, j: json, a: attempts });
    var entries = keptEntries();
    for (var total = value.length, n = 0; n < entries.length; n++) total += entries[n].size;
    while (total > MAX_KEPT_BYTES && entries.length > 0) {
      var oldest = entries.shift();
      total -= oldest.size;
      forget(oldest.key);
    }
    try {
      window.localStorage.setItem(UNSENT_PREFIX + Date.now() + '.' + Math.random().toString(36).slice(2), value);
    } catch (e) {
      return; // storage blocked or full
    }
    queue = [];
    inFlight = [];
  }

  /**
   * Events earlier pages kept for this key and host (keepUnsent): sent with this page's, once, each
   * with the sends it already had. Whole entries, as many as the 200 events waiting here allow; the
   * rest stay kept for later.
   */
  function takeUnsent() {
    var until = 0;
    takeKept(MAX_WAITING - queue.length).forEach(function (entry) {
      until = Math.max(until, entry.u);
      entry.j.forEach(function (json, i) {
        if (typeof json === 'string') queue.push({ json: json, bytes: new Blob([json]).size, attempts: +entry.a[i] || 0, seq: sequence++ });
      });
    });
    if (until > Date.now()) waitUntil(until);
    else if (queue.length > 0) later(FLUSH_MS);
  }

  // ---- Public API -------------------------------------------------------------------------

  /**
   * `titled`: a single-page app's new view, whose router may set the title a frame or more after
   * the URL. Still the old title: it is read 100 ms later, the view keeping its own time and URL.
   */
  function page(properties, titled) {
    var info = pageInfo();
    var props = Object.assign({}, properties || {});
    ['url', 'path', 'referrer', 'title'].forEach(function (k) {
      if (props[k] === undefined) props[k] = info[k];
    });
    if (titled === true && info.title === lastTitle) {
      // Who it is for is who was there: taken now, as the time.
      var view = { properties: props, at: new Date(), userId: load(USER_KEY), anonymousId: anonymousId() };
      pendingViews.push(view);
      setTimeout(function () {
        sendView(view, false);
      }, 100);
    } else enqueue({ type: 'page', properties: props });
    lastUrl = info.url;
    lastPlace = currentPlace();
    lastTitle = info.title;
  }

  var pendingViews = []; // page views waiting for their title

  function sendView(view, now) {
    var i = pendingViews.indexOf(view);
    if (i < 0) return;
    pendingViews.splice(i, 1);
    // The title there is now is the view's, and what the next view's is told apart from.
    lastTitle = view.properties.title = document.title;
    if (now) add({ type: 'page', properties: view.properties }, view);
    else enqueue({ type: 'page', properties: view.properties }, view);
  }

  /** The page is going, or its user: the views waiting for a title go now, with the title there is. */
  function sendPendingViews() {
    while (pendingViews.length > 0) sendView(pendingViews[0], true);
  }

  function track(name, properties) {
    if (!name) return;
    enqueue({ type: 'track', event: String(name), properties: properties || {} });
  }

  /** identify(userId, traits) or identify(traits) for an anonymous visitor. */
  function identify(userId, traits) {
    if (userId !== null && typeof userId === 'object') {
      traits = userId;
      userId = null;
    }
    if (userId !== null && userId !== undefined && userId !== '') {
      var previous = load(USER_KEY);
      // Another user on this browser: the anonymous id was the last one's, it must not join them.
      if (previous !== null && previous !== String(userId)) {
        save(ANON_KEY, uuid());
        minted = null; // this page's own new id: nothing to adopt
      }
      save(USER_KEY, String(userId));
    }
    enqueue({ type: 'identify', traits: traits || {} });
  }

  /** Forget the user: what waits is sent under the old ids, then a new anonymous id. */
  function reset() {
    sendPendingViews();
    flush();
    save(USER_KEY, null);
    save(ANON_KEY, uuid());
    minted = null;
  }

  var methods = {
    page: function (properties) {
      page(properties);
    },
    track: track,
    identify: identify,
    reset: reset,
    flush: flush,
    anonymousId: anonymousId,
    userId: function () {
      return load(USER_KEY);
    },
  };
  function off() {
    return null;
  }
  // The page's own object (configuration, stub) becomes the API, so a reference the page kept to
  // it keeps working; calls it queued are made below.
  var api = config;
  var waiting = api.q && typeof api.q.length === 'number' ? api.q : [];
  for (var m in methods) api[m] = enabled ? methods[m] : off;
  api.q = [];
  api.__haven = true;
  api.version = VERSION;
  api.enabled = enabled;
  window.haven = api;

  if (!enabled) {
    api.q = { push: off }; // calls through a stub the page kept: made, like the rest, to no effect
    if (!writeKey && window.console) console.warn('haven.js: no write key (data-write-key); nothing is sent.');
    // Opted out: ids an earlier visit stored (before the signal was turned on) go too.
    if (writeKey && respected && capable) {
      save(ANON_KEY, null);
      save(USER_KEY, null);
      takeKept(Infinity);
    }
    return;
  }

  // ---- Automatic page views, including single-page-app navigation ------------------------

  var autoPage = !isOff(option('auto-page', 'autoPage'));

  /** replacing: apps also replaceState to write state (a search's ?q=) into the URL. */
  function navigated(replacing) {
    // After the router's own work (the title may come later still: see page).
    setTimeout(function () {
      // Before start (a prerendered page's router at work): the first view is start's.
      if (!started || !autoPage || currentUrl() === lastUrl) return;
      if (replacing === true && currentPlace() === lastPlace) return;
      referrer = lastUrl || referrer;
      // A view still waiting for its title has the one there is: the next view's is coming.
      sendPendingViews();
      page(undefined, true);
    }, 0);
  }

  ['pushState', 'replaceState'].forEach(function (name) {
    var original = history[name];
    if (typeof original !== 'function') return;
    history[name] = function () {
      var result = original.apply(this, arguments);
      navigated(name === 'replaceState');
      return result;
    };
  });
  window.addEventListener('popstate', navigated);
  window.addEventListener('hashchange', navigated);
  // Apps on the Navigation API (navigation.navigate, links it intercepts) change the address
  // without history's functions. What history already told is no new view: the URL is the same.
  if (window.navigation && typeof window.navigation.addEventListener === 'function') {
    window.navigation.addEventListener('currententrychange', function (event) {
      if (event.navigationType === 'push' || event.navigationType === 'replace' || event.navigationType === 'traverse') navigated(event.navigationType === 'replace');
    });
  }
  // Back or forward to a page kept in the back/forward cache: no load, but a view all the same.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted && autoPage) page();
  });

  document.addEventListener('visibilitychange', function () {
    if (hidden()) flush(true);
    else {
      takeUnsent(); // back to a page that kept them as it was hidden
      if (queue.length > 0) later(FLUSH_MS); // or held them, storage refusing
    }
  });
  window.addEventListener('pagehide', function () {
    flush(true);
  });

  function run(call) {
    var method = call && api[call[0]];
    if (typeof method !== 'function' || ['page', 'track', 'identify', 'reset'].indexOf(call[0]) < 0) return;
    replaying = asOf(call);
    try {
      method.apply(api, call.slice(1));
    } finally {
      replaying = null;
    }
  }

  // The calls made through the stub before the script loaded, in the order they were made, with
  // the page view after the identify() and reset() calls that lead them (the view is the user's
  // they name) and before the rest (a page() among them is this page's view: no automatic one
  // besides). A stub function the page kept a reference to still pushes to haven.q: from now on
  // that runs the call.
  var started = false;
  function start() {
    started = true;
    var calls = waiting.concat(api.q); // and those made while the page was prerendered
    takeUnsent();
    var pageCalled = false;
    for (var j = 0; j < calls.length; j++) if (calls[j] && calls[j][0] === 'page') pageCalled = true;
    var i = 0;
    while (i < calls.length && calls[i] && (calls[i][0] === 'identify' || calls[i][0] === 'reset')) run(calls[i++]);
    if (autoPage && !pageCalled) page();
    for (; i < calls.length; i++) run(calls[i]);
    api.q = { push: run };
    if (queue.length > 0) later(FLUSH_MS); // what was tracked while the page was prerendered
  }
  // A prerendered page counts from when the visitor is shown it, if ever.
  if (prerendering()) document.addEventListener('prerenderingchange', start, { once: true });
  else start();
})();
