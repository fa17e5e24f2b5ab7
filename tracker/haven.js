/*! haven.js: Haven's browser snippet. AGPL-3.0-only. No dependencies, no cookies, no fingerprinting.
 *
 *   <script src="https://HAVEN/t.js" data-write-key="hv_wk_..." defer></script>
 *
 * or, before the script: window.haven = { writeKey: 'hv_wk_...', host: 'https://HAVEN' }.
 *
 * To call haven.track() and the rest before the script has loaded (it loads async or deferred),
 * paste this stub first; the calls wait in `haven.q` and are made, in order, once it has loaded:
 *   <script>window.haven=window.haven||{q:[]};['page','track','identify','reset'].forEach(function(m){
 *   haven[m]=haven[m]||function(){haven.q.push([m].concat([].slice.call(arguments)))}})</script>
 *
 * Options (attribute on the script tag / property of window.haven):
 *   data-write-key / writeKey       the team's public write key (required)
 *   data-host / host                where Haven answers (default: where t.js came from)
 *   data-respect-gpc="false" / respectGpc: false
 *       By default, when the browser sends Global Privacy Control or Do Not Track, the snippet
 *       sends nothing and stores nothing. Turning this off is for a team that records its own
 *       consent; whether that is lawful is the team's responsibility, not Haven's.
 *   data-auto-page="false" / autoPage: false   no automatic page views (call haven.page())
 *
 * API: haven.track(name, properties), haven.page(properties), haven.identify(userId, traits),
 *      haven.reset(), haven.flush(), haven.anonymousId(), haven.userId().
 *
 * What is collected: the page's URL (without its #fragment, unless the fragment is a route such
 * as #/cart), path, referrer and title; what the page passes to track and identify; a random
 * anonymous id kept in localStorage. Nothing else: no cookies, screen, fonts, plugins or canvas.
 */
(function () {
  'use strict';

  var VERSION = '0.1.0';
  var FLUSH_MS = 2000; // send at most every 2 s...
  var MAX_QUEUE = 20; // ...or as soon as 20 events wait
  var MAX_ATTEMPTS = 3;
  var ANON_KEY = 'haven_anonymous_id';
  var USER_KEY = 'haven_user_id';

  var existing = window.haven;
  if (existing && existing.__haven) return; // loaded twice

  // ---- Configuration ---------------------------------------------------------------------

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
  var host = option('host', 'host') || (script && script.src ? new URL(script.src, location.href).origin : '');
  host = String(host).replace(/\/+$/, '');

  var nav = window.navigator || {};
  // Do Not Track lives on navigator, on window in older Safari and Edge, as msDoNotTrack in IE.
  var dnt = nav.doNotTrack || window.doNotTrack || nav.msDoNotTrack;
  var optedOut = nav.globalPrivacyControl === true || dnt === '1' || dnt === 'yes';
  var enabled = !!writeKey && !(optedOut && !isOff(option('respect-gpc', 'respectGpc')));

  // ---- Identity: a random id in localStorage (memory when storage is blocked) -------------

  var memory = {};

  function load(key) {
    try {
      var value = window.localStorage.getItem(key);
      if (value !== null) return value;
    } catch (e) {
      // storage blocked: memory only
    }
    return memory[key] === undefined ? null : memory[key];
  }

  function save(key, value) {
    memory[key] = value === null ? undefined : value;
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (e) {
      // storage blocked: memory only
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

  function anonymousId() {
    var id = load(ANON_KEY);
    if (!id) {
      id = uuid();
      save(ANON_KEY, id);
    }
    return id;
  }

  // ---- The page ----------------------------------------------------------------------------

  /** The URL without its #fragment (which may hold tokens), unless the fragment is a route. */
  function currentUrl() {
    var hash = location.hash;
    var route = hash.indexOf('#/') === 0 || hash.indexOf('#!') === 0;
    return location.href.split('#')[0] + (route ? hash : '');
  }

  var lastUrl = null; // the URL of the last page view
  var referrer = document.referrer || '';

  function pageInfo() {
    return { url: currentUrl(), path: location.pathname, referrer: referrer, title: document.title };
  }

  // ---- Queue and delivery -----------------------------------------------------------------

  var queue = [];
  var timer = null;

  function enqueue(message) {
    var userId = load(USER_KEY);
    message.messageId = uuid();
    message.anonymousId = anonymousId();
    if (userId) message.userId = userId;
    message.timestamp = new Date().toISOString();
    message.context = { page: pageInfo() };
    // Serialised now, alone: properties that JSON cannot hold (a cycle, a BigInt) cost this event
    // only, not the batch it would have joined.
    var json;
    try {
      json = JSON.stringify(message);
    } catch (e) {
      if (window.console) console.warn('haven.js: ' + message.type + ' not sent, its properties are not JSON: ' + e.message);
      return;
    }
    queue.push({ json: json, attempts: 0 });
    if (queue.length >= MAX_QUEUE) flush();
    else if (!timer) timer = setTimeout(flush, FLUSH_MS);
  }

  function body(items) {
    var head = JSON.stringify({ writeKey: writeKey, sentAt: new Date().toISOString(), context: { library: { name: 'haven.js', version: VERSION } } });
    return head.slice(0, -1) + ',"batch":[' + items.map(function (item) {
      return item.json;
    }).join(',') + ']}';
  }

  /** Put events back for a later try, unless they were tried enough. */
  function retry(items) {
    var again = items.filter(function (item) {
      return ++item.attempts < MAX_ATTEMPTS;
    });
    if (again.length === 0) return;
    queue = again.concat(queue);
    if (!timer) timer = setTimeout(flush, FLUSH_MS * Math.pow(2, again[0].attempts));
  }

  /**
   * Send what waits. `leaving`: the page is going away, so use sendBeacon, which the browser
   * delivers after the page is gone. Both ways send text/plain, which needs no CORS preflight.
   */
  function flush(leaving) {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    while (queue.length > 0) {
      var items = queue.splice(0, MAX_QUEUE);
      var data = body(items);
      var url = host + '/v1/batch';
      if (leaving === true && nav.sendBeacon) {
        try {
          if (nav.sendBeacon(url, new Blob([data], { type: 'text/plain' }))) continue;
        } catch (e) {
          // fall through to fetch
        }
      }
      send(url, data, items);
    }
  }

  function send(url, data, items) {
    if (!window.fetch) return;
    window
      .fetch(url, {
        method: 'POST',
        body: data,
        headers: { 'content-type': 'text/plain' },
        keepalive: true,
        credentials: 'omit',
        mode: 'cors',
      })
      .then(function (response) {
        // 4xx: the events were refused on their own merits; trying again would not help.
        if (response.status >= 500 || response.status === 429) retry(items);
      })
      .catch(function () {
        retry(items);
      });
  }

  // ---- Public API -------------------------------------------------------------------------

  function page(properties) {
    var info = pageInfo();
    var props = Object.assign({}, properties || {});
    ['url', 'path', 'referrer', 'title'].forEach(function (k) {
      if (props[k] === undefined) props[k] = info[k];
    });
    enqueue({ type: 'page', properties: props });
    lastUrl = info.url;
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
    if (userId !== null && userId !== undefined && userId !== '') save(USER_KEY, String(userId));
    enqueue({ type: 'identify', traits: traits || {} });
  }

  /** Forget the user: what waits is sent under the old ids, then a new anonymous id. */
  function reset() {
    flush();
    save(USER_KEY, null);
    save(ANON_KEY, uuid());
  }

  function noop() {}

  var api = enabled
    ? {
        page: page,
        track: track,
        identify: identify,
        reset: reset,
        flush: flush,
        anonymousId: anonymousId,
        userId: function () {
          return load(USER_KEY);
        },
      }
    : {
        page: noop,
        track: noop,
        identify: noop,
        reset: noop,
        flush: noop,
        anonymousId: function () {
          return null;
        },
        userId: function () {
          return null;
        },
      };
  api.__haven = true;
  api.version = VERSION;
  api.enabled = enabled;
  window.haven = api;

  if (!enabled) {
    if (!writeKey && window.console) console.warn('haven.js: no write key (data-write-key); nothing is sent.');
    return;
  }

  // ---- Automatic page views, including single-page-app navigation ------------------------

  var autoPage = !isOff(option('auto-page', 'autoPage'));

  function navigated() {
    // After the router's own work (it often sets the title right after pushState).
    setTimeout(function () {
      if (!autoPage || currentUrl() === lastUrl) return;
      referrer = lastUrl || referrer;
      page();
    }, 0);
  }

  ['pushState', 'replaceState'].forEach(function (name) {
    var original = history[name];
    if (typeof original !== 'function') return;
    history[name] = function () {
      var result = original.apply(this, arguments);
      navigated();
      return result;
    };
  });
  window.addEventListener('popstate', navigated);
  window.addEventListener('hashchange', navigated);

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') flush(true);
  });
  window.addEventListener('pagehide', function () {
    flush(true);
  });

  // Calls made through the stub before the script loaded, in the order they were made. A page()
  // among them is this page's view: no automatic one besides.
  var waiting = config.q && typeof config.q.length === 'number' ? config.q : [];
  var pageCalled = false;
  for (var j = 0; j < waiting.length; j++) if (waiting[j] && waiting[j][0] === 'page') pageCalled = true;
  if (autoPage && !pageCalled) page();

  for (var i = 0; i < waiting.length; i++) {
    var call = waiting[i];
    var method = call && api[call[0]];
    if (typeof method === 'function' && ['page', 'track', 'identify', 'reset'].indexOf(call[0]) >= 0) method.apply(api, call.slice(1));
  }
})();
