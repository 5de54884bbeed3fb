/* Policy glossary tooltip widget: <script src="https://HOST/widget.js" defer></script>
   Options (data-* of that tag):
     data-api         API base URL (default: the origin of this script)
     data-locality    the page's place, best a full path (湖北省武汉市江岸区; 江岸区 for places
                      the glossary cites), or <meta name="glossary-locality" content="…">:
                      its senses first, then those of places containing it
     data-pending     also mark terms whose definition is pending (释义待补)
     data-first-only  only the first occurrence of each term (default on)
     data-root        CSS selector of the areas to scan (default body; later ones too)
     data-theme       light | dark | auto (default)
     data-headings    also mark terms in h1-h6
     data-max-kb      above this download size (default 4096), ask /api/v1/annotate
   API: Glossary.scan(element) -> Promise<marks added>; Glossary.clear(); Glossary.ready;
   a cancelable "glossary:open" event (detail {id, term}) bubbles from a mark first.
   Keyboard (WAI-ARIA disclosure button): Enter or Space opens a tooltip, Tab goes on to
   its link, Esc closes it; a skip link before many marks goes past them.
   Matching is glossary/annotate.py's, within one text node. */
(() => {
  'use strict';
  if (window.Glossary) return;
  const D = document;
  const tag = D.currentScript || [...D.scripts].find((s) => /\/widget\.js\b/.test(s.src)) || {};
  const opt = tag.dataset || {};
  const flag = (value, fallback) => (value == null ? fallback : !/^(false|off|no|0)$/i.test(value));
  const API = (opt.api || new URL(tag.src || location.href).origin).replace(/\/+$/, '');
  const FIRST = flag(opt.firstOnly, true);
  const PENDING_TOO = flag(opt.pending, false);
  const MAX = (+opt.maxKb || 4096) * 1024;
  const MARK = 'glossary-term';
  const TIP = 'glossary-tooltip';
  const SKIPPER = 'glossary-skip';
  const HEADINGS = flag(opt.headings, false) ? '' : 'h1 h2 h3 h4 h5 h6';
  const SKIP_TAGS = `a button code pre kbd samp script style noscript textarea input select svg
    math iframe template ${MARK} ${TIP} ${SKIPPER} ${HEADINGS}`.trim().split(/\s+/);
  const SKIP_ATTRS = '[contenteditable],[data-glossary-ignore]';
  const SKIP = `${SKIP_TAGS},${SKIP_ATTRS}`;
  const PENDING = '释义待补';

  // Folding as glossary.text.key: KIND marks what is dropped (1 opening, 2 closing,
  // 3 either quote, 4 space); F maps a UTF-16 unit to its folded unit.
  const QUOTES = '“”„‟「」『』﹁﹂﹃﹄〝〞〟＂"‘’‚‛＇\'';
  const KIND = new Uint8Array(65536);
  const F = new Uint16Array(65536);
  for (const ch of QUOTES) {
    const opening = '“‘「『﹁﹃〝„‚'.includes(ch);
    KIND[ch.charCodeAt(0)] = opening ? 1 : '”’」』﹂﹄〞〟'.includes(ch) ? 2 : 3;
  }
  for (const [a, b] of [[9, 13], [28, 32], [133, 133], [160, 160], [5760, 5760], [8192, 8202],
    [8232, 8233], [8239, 8239], [8287, 8287], [12288, 12288]]) {
    for (let c = a; c <= b; c++) KIND[c] = 4;
  }
  for (let c = 0; c < 65536; c++) {
    const half = c > 0xff00 && c < 0xff5f ? c - 0xfee0 : c;
    F[c] = half > 64 && half < 91 ? half + 32 : half;
  }
  const alnum = (c) => (F[c] > 47 && F[c] < 58) || (F[c] > 96 && F[c] < 123);
  const ALNUM = '0-9A-Za-z０-９Ａ-Ｚａ-ｚ';
  // What a match may not skip: a blank line, or a space between ASCII letters or digits.
  const GAP = new RegExp(`[${ALNUM}][${QUOTES}]*\\s[\\s${QUOTES}]*[${ALNUM}]|\\n[^\\S\\n]*\\n`);
  const fold = (s) => {
    let out = '';
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (!KIND[c]) out += String.fromCharCode(F[c]);
    }
    return out;
  };

  // Bit sets of units, or of pairs hashed.
  const pair = (a, b) => (a * 31 + b) & 0x3ffff;
  const bit = (set, c) => (set[c >> 5] >>> c) & 1;
  const put = (set, c) => (set[c >> 5] |= 1 << c);
  // A page unit as the gates read it: folded, 0 for a skip (one load per unit).
  const GATE = new Uint16Array(65536);

  let TERMS = {};
  let TRIE = null; // Map of folded unit -> {c: Map, p: pattern | null}
  // Gates to the trie, on GATE units: two that may start a form (PAIR)
  // and end one or precede a skip (ENDS), or three that may start one (TRIO).
  let PAIR, ENDS, TRIO;
  let LOCALITY = ''; // the page's place: as given, folded, as a full path
  let HERE = '';
  let PATH = '';
  let mode = ''; // 'local' (match here), 'remote' (ask /annotate) or '' (unavailable)
  let seen = new Set(); // ids marked, for first-only
  // Text split around marks: never scanned again (a piece alone could match where the
  // whole did not).
  let done = new WeakSet();

  async function load() {
    const url = `${API}/api/v1/glossary.json`;
    const abort = new AbortController();
    // The browser revalidates itself: a header of ours would cost a CORS preflight.
    const response = await fetch(url, { cache: 'no-cache', signal: abort.signal });
    if (!response.ok) throw Error(`${url}: HTTP ${response.status}`);
    if (+response.headers.get('Content-Length') > MAX) return abort.abort(), null;
    const body = await response.text();
    return body.length > MAX ? null : JSON.parse(body);
  }

  function build(g) {
    TERMS = g.terms;
    for (const [t, s] of Object.entries(g.fold || {})) F[t.charCodeAt(0)] = s.charCodeAt(0);
    HERE = fold(LOCALITY);
    PATH = complete(HERE, g.places || {});
    TRIE = new Map();
    PAIR = new Int32Array(8192);
    ENDS = new Int32Array(8192);
    TRIO = new Int32Array(8192);
    for (let c = 0; c < 65536; c++) GATE[c] = KIND[c] ? 0 : F[c];
    for (const [key, id] of Object.entries(g.forms)) {
      if (key.length < 2) continue; // never matched, as in the annotator
      let level = TRIE;
      let node;
      for (let k = 0; k < key.length; k++) {
        const c = key.charCodeAt(k);
        node = level.get(c);
        if (!node) level.set(c, (node = { c: new Map(), p: null }));
        level = node.c;
      }
      const p = { id: choose(g, key, id), len: key.length, as: alnum(key.charCodeAt(0)) };
      p.ae = alnum(key.charCodeAt(key.length - 1));
      p.nc = /^[0-9][0-9+./-]*$/.test(key); // a number code: only where quoted
      p.b = p.as || p.ae || p.nc;
      node.p = p;
      for (const v of [0, key.charCodeAt(1)]) { // a skip may follow the first unit
        const x = pair(key.charCodeAt(0), v);
        put(PAIR, x);
        if (!v || key.length < 3) put(ENDS, x);
        else for (const t of [0, key.charCodeAt(2)]) put(TRIO, pair(x, t));
      }
    }
  }

  // A short name completed as places.resolve does (江岸区, 湖北省江岸区, …西山街道).
  function complete(p, places) {
    let found = p;
    let best = 0;
    for (const [name, path] of Object.entries(places)) {
      const at = p.lastIndexOf(name);
      const end = (at + name.length) * 99 + name.length;
      if (at >= 0 && end > best && path.includes(p.slice(0, at))) {
        (found = path + p.slice(at + name.length)), (best = end);
      }
    }
    return found;
  }

  // How a scope suits the page: in its place (places.within), else the nearer a place
  // containing it, the better.
  function fit(scope) {
    if (!HERE || !scope) return 0;
    const s = fold(scope);
    return s.includes(HERE) || s.includes(PATH) ? 1e4 : PATH.startsWith(s) ? s.length : 0;
  }

  const shown = (t) => t && (t.definition || PENDING_TOO);

  // A form's term: of those shown, the best placed, then reviewed, then the first (the
  // annotator's default); null: matched, not marked.
  function choose(g, key, id) {
    let best = null;
    let top = -1;
    for (const x of (g.shared && g.shared[key]) || [id]) {
      const t = g.terms[x];
      if (!shown(t)) continue;
      const score = Math.max(0, ...t.scopes.map(fit)) * 2 + (t.status === 'reviewed');
      if (score > top) (best = x), (top = score);
    }
    return best;
  }

  // Leftmost-longest matches: [[start, end, id], ...] in UTF-16 offsets.
  function find(s) {
    const out = [];
    const n = s.length;
    let floor = 0; // quotes are not shared between two spans
    // Per unit: a read, a table look, a bit look and a branch rarely taken (a
    // mispredicted one costs more than the rest), for a form from i - 1. The tables in
    // locals: closure variables are loaded again on every turn.
    const [G, P, E, T] = [GATE, PAIR, ENDS, TRIO];
    let u = G[s.charCodeAt(0)];
    for (let i = 1; i < n; i++) {
      const v = G[s.charCodeAt(i)];
      const x = pair(u, v);
      const w = u;
      u = v;
      if (!((P[x >> 5] >>> x) & 1)) continue;
      // G[NaN] past the end: undefined, 0 in pair
      if (!bit(E, x) && !bit(T, pair(x, G[s.charCodeAt(i + 1)]))) continue;
      let node = TRIE.get(w);
      if (!node) continue; // two pairs share a bit
      let best = node.p;
      let end = i;
      for (let j = i; j < n; j++) {
        const c = s.charCodeAt(j);
        if (KIND[c]) continue;
        node = node.c.get(F[c]);
        if (!node) break;
        if (node.p) (best = node.p), (end = j + 1);
      }
      if (!best) continue;
      let a = i - 1;
      let b = end;
      i = end; // a refused match still uses up its text
      u = G[s.charCodeAt(end)];
      const skipped = b - a !== best.len;
      if ((best.b || skipped) && !fits(best, s, a, b, skipped)) continue;
      if (skipped) [a, b] = balance(s, a, b, floor);
      if (best.id) out.push([a, b, best.id]);
      floor = b;
    }
    return out;
  }

  function fits(p, s, a, b, skipped) {
    if (p.as && a > 0 && alnum(s.charCodeAt(a - 1))) return false;
    if (p.ae && b < s.length && alnum(s.charCodeAt(b))) return false;
    if (p.nc && !(KIND[s.charCodeAt(a - 1)] & 3 && KIND[s.charCodeAt(b)] & 3)) return false;
    return !(skipped && GAP.test(s.slice(a, b)));
  }

  // Widen [a, b) by the partners of quotes left open inside it: “531”产业体系 whole.
  function balance(s, a, b, floor) {
    let unclosed = 0;
    let unopened = 0;
    let either = 0;
    for (let k = a; k < b; k++) {
      const kind = KIND[s.charCodeAt(k)];
      if (kind === 1) unclosed++;
      else if (kind === 2) unclosed ? unclosed-- : unopened++;
      else if (kind === 3) either++;
    }
    const at = (k) => KIND[s.charCodeAt(k)];
    while (unopened && a > floor && at(a - 1) === 1) a--, unopened--;
    while (unclosed && b < s.length && at(b) === 2) b++, unclosed--;
    if (either % 2) {
      if (a > floor && at(a - 1) === 3) a--;
      else if (b < s.length && at(b) === 3) b++;
    }
    return [a, b];
  }

  // Texts are matched joined by \0 (never crossed), one flat string reading faster than
  // many of the page's; `spread` hands the spans back.
  function spread(texts, spans, found, first = 0) {
    let base = 0;
    for (const [a, b, id] of spans) {
      while (a > base + texts[first].length) base += texts[first++].length + 1;
      found[first].push([a - base, b - base, id]);
    }
    return found;
  }

  // The page text sent to the server, in batches.
  async function remote(texts) {
    const found = texts.map(() => []);
    const batches = [];
    for (let i = 0, first = 0, size = 0; i < texts.length; ) {
      size += texts[i++].length + 1;
      if (size < 50000 && i < texts.length) continue;
      batches.push([first, texts.slice(first, i).join('\0')]);
      (first = i), (size = 0);
    }
    const where = LOCALITY ? `?locality=${encodeURIComponent(LOCALITY)}` : '';
    await Promise.all(batches.map(async ([first, text]) => {
      // text/plain keeps the request simple: no CORS preflight
      const response = await fetch(`${API}/api/v1/annotate${where}`, { method: 'POST', body: text,
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
      if (!response.ok) throw Error(`annotate: HTTP ${response.status}`);
      const body = await response.json();
      Object.assign(TERMS, body.terms);
      const spans = body.spans.filter((x) => shown(TERMS[x.id]));
      spread(texts, spans.map((x) => [x.start16, x.end16, x.id]), found, first);
    }));
    return found;
  }

  // Text nodes worth scanning onto `nodes`, their text onto `texts`.
  function collect(root, nodes, texts, once) {
    const top = root.nodeType === 3 ? root.parentElement : root;
    if (!top || !top.isConnected || top.closest(SKIP)) return;
    const add = (node, s = node.data) => s.length > 1 && !done.has(node) &&
      !(once && (once.has(node) || !once.add(node))) && nodes.push(node) && texts.push(s);
    if (root !== top) return add(root);
    // Barred text by tag (far cheaper than a selector list), then text alone: a third
    // of the DOM calls of testing each element.
    const walk = (e) => D.createTreeWalker(e, 4); // SHOW_TEXT
    const barred = new Set();
    const fence = (e) => {
      for (let w = walk(e), n; (n = w.nextNode()); ) barred.add(n);
    };
    for (const tag of SKIP_TAGS) [...root.getElementsByTagName(tag)].forEach(fence);
    root.querySelectorAll(SKIP_ATTRS).forEach(fence);
    for (let w = walk(root), n; (n = w.nextNode()); ) barred.has(n) || add(n);
  }

  const PROTO = D.createElement(MARK); // cloned: cheaper than set up anew
  PROTO.tabIndex = 0;
  PROTO.setAttribute('role', 'button');
  PROTO.setAttribute('aria-expanded', 'false');
  let total = 0; // marks made since the last clear

  const piece = (text) => {
    const node = D.createTextNode(text);
    done.add(node);
    return node;
  };

  // A scan's DOM writes, after all matching: no layout read between.
  function write(nodes, texts, found) {
    pause();
    let count = 0;
    for (let i = 0; i < nodes.length; i++) {
      let list = found[i];
      const node = nodes[i];
      const s = texts[i];
      // Changed while the server answered: queued again.
      if (!list.length || (mode === 'remote' && (node.data !== s || !node.parentNode))) continue;
      if (FIRST) list = list.filter((m) => !seen.has(m[2]) && seen.add(m[2]));
      if (!list.length) continue;
      // The host's node keeps the text before the first term; the rest is built off the
      // page, then inserted at once (cheaper than splitting in place).
      const parts = [];
      let at = list[0][0];
      for (const [a, b, id] of list) {
        if (a > at) parts.push(piece(s.slice(at, a)));
        const mark = PROTO.cloneNode(false);
        mark.setAttribute('data-glossary-id', id);
        mark.append(s.slice(a, b));
        parts.push(mark);
        at = b;
      }
      if (at < s.length) parts.push(piece(s.slice(at)));
      done.add(node);
      node.data = s.slice(0, list[0][0]);
      node.after(...parts);
      count += list.length;
    }
    total += count;
    signpost();
    resume();
    return count;
  }

  const loaded = load().then(
    (g) => {
      const meta = D.querySelector('meta[name="glossary-locality"]');
      LOCALITY = (opt.locality || (meta && meta.content) || '').trim();
      mode = g ? 'local' : 'remote';
      if (g) build(g);
      return true;
    },
    (error) => console.warn('glossary widget:', error) || false,
  );

  async function mark(roots) {
    if (!(await loaded)) return 0;
    const nodes = [];
    const texts = [];
    // A batch may hold a node and its parent: each text once.
    const once = roots.length > 1 && new Set();
    for (const root of roots) collect(root, nodes, texts, once);
    try {
      const found = mode === 'local'
        ? spread(texts, find(texts.join('\0')), texts.map(() => []))
        : await remote(texts);
      return write(nodes, texts, found);
    } catch (error) {
      console.warn('glossary widget:', error);
      return 0;
    }
  }

  function clear() {
    hide();
    pause();
    skip.remove();
    const parents = new Set();
    for (const m of D.querySelectorAll(MARK)) {
      parents.add(m.parentNode);
      m.replaceWith(m.textContent);
    }
    for (const p of parents) p.normalize(); // whole texts again
    seen = new Set();
    done = new WeakSet();
    total = 0;
    resume();
  }

  // Content added later, batched; blind to the widget's own writes.
  let roots = [];
  let pending = new Set();
  let timer = 0;
  const observer = new MutationObserver(queue);
  const WATCH = { childList: true, subtree: true, characterData: true };
  function queue(records) {
    for (const r of records) {
      if (r.type === 'characterData') done.delete(r.target), pending.add(r.target);
      else r.addedNodes.forEach((n) => pending.add(n));
    }
    if (pending.size && !timer) timer = setTimeout(flush, 100);
  }
  function flush() {
    const list = [...pending];
    pending = new Set();
    timer = 0;
    mark(list);
  }
  function pause() {
    queue(observer.takeRecords());
    observer.disconnect();
  }
  function resume() {
    for (const r of roots) observer.observe(r, WATCH);
  }
  const quietly = (change) => (pause(), change(), resume());

  // A way past many marks by keyboard (WCAG bypass blocks): a skip link before the
  // first moves focus after the last.
  const SKIP_FROM = 5;
  const skip = D.createElement(SKIPPER);
  skip.tabIndex = 0;
  skip.setAttribute('role', 'link');
  const end = D.createElement(SKIPPER);
  end.tabIndex = -1;
  end.textContent = '术语标注结束';
  end.addEventListener('blur', () => quietly(() => end.remove()));

  function signpost() {
    const first = total >= SKIP_FROM && D.querySelector(MARK);
    if (!first) return;
    skip.textContent = `跳过 ${total} 处术语标注`;
    if (skip.nextSibling !== first) first.before(skip);
  }

  function past() {
    const all = D.querySelectorAll(MARK);
    if (all.length) quietly(() => all[all.length - 1].after(end)), end.focus();
  }

  // The tooltip: a shadow root, so no CSS crosses either way.
  const DARK = '--bg:#1f2328;--fg:#e6edf3;--mu:#9da7b3;--ln:#8ab4f8;--bd:#3d444d';
  const CSS = `:host{all:initial!important;display:block!important;position:fixed!important;
top:0!important;left:0!important;width:0!important;height:0!important;visibility:visible!important;
opacity:1!important;z-index:2147483647!important}:host([hidden]){display:none!important}
.tip{--bg:#fff;--fg:#1f2328;--mu:#59636e;--ln:#0b57d0;--bd:#d1d9e0;position:fixed;
box-sizing:border-box;width:max-content;max-width:min(24rem,calc(100vw - 16px));padding:10px 12px;
background:var(--bg);color:var(--fg);border:1px solid var(--bd);border-radius:8px;
box-shadow:0 6px 20px #0003;font:14px/1.6 system-ui,"PingFang SC","Microsoft YaHei",
"WenQuanYi Micro Hei",sans-serif;text-align:left;white-space:normal;animation:in .12s ease-out}
.dark{${DARK}}@media (prefers-color-scheme:dark){.auto{${DARK}}}
@keyframes in{from{opacity:0;translate:0 3px}}
@media (prefers-reduced-motion:reduce){.tip{animation:none}}
.h{font-weight:600;font-size:15px}.py{margin-left:.5em;color:var(--mu)}p{margin:4px 0}
.pending{color:var(--mu);font-style:italic}.sc{color:var(--mu);font-size:12px}
a{color:var(--ln);font-size:13px}`;
  const MARK_CSS = `${MARK}{text-decoration:underline dotted 1px;text-underline-offset:.2em;
cursor:help}${MARK}:focus-visible{outline:2px solid #0b57d0;outline-offset:1px}
${SKIPPER}:not(:focus){position:absolute!important;width:1px!important;height:1px!important;
clip-path:inset(50%)!important}${SKIPPER}:focus{position:absolute;
z-index:2147483647;padding:2px 8px;background:#fff;color:#0b57d0;outline:2px solid;
font:14px/1.6 system-ui,sans-serif;text-indent:0;white-space:nowrap}`;

  function sheet(root, css) {
    try {
      const s = new CSSStyleSheet();
      s.replaceSync(css);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, s];
    } catch {
      const s = D.createElement('style');
      s.textContent = css;
      (root.head || root).append(s);
    }
  }

  const el = (name, cls, parent) => {
    const e = D.createElement(name);
    e.className = cls;
    return parent.appendChild(e);
  };

  // Open, it follows its mark in the page (reading and Tab order), in the top layer
  // where there are popovers (no host transform shifts it).
  const host = D.createElement(TIP);
  host.id = TIP;
  host.hidden = true;
  host.popover = 'manual';
  const shadow = host.attachShadow({ mode: 'open' });
  sheet(shadow, CSS);
  const tip = el('div', `tip ${/^(light|dark)$/.test(opt.theme) ? opt.theme : 'auto'}`, shadow);
  tip.tabIndex = -1; // a click on its text keeps focus, so it stays open
  const head = el('div', '', tip);
  const headword = el('b', 'h', head);
  const reading = el('span', 'py', head);
  reading.lang = 'zh-Latn-pinyin';
  const definition = el('p', 'd', tip);
  const scope = el('p', 'sc', tip);
  const more = el('a', 'more', tip);
  more.textContent = '详细释义 →';
  more.target = '_blank';
  more.rel = 'noopener';

  let current = null;
  let pinned = false; // by click, tap or key: hover-out does not close it
  let showTimer = 0;
  let hideTimer = 0;

  // The sense for the page's place, else the first (it says whose).
  function sense(t) {
    let best = t;
    for (const s of t.senses || []) if (fit(s.scope) > fit(best.scope)) best = s;
    return best;
  }

  function show(m, pin) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    pinned = pin || (pinned && m === current);
    if (m === current && !host.hidden) return;
    const id = m.dataset.glossaryId;
    const t = TERMS[id];
    if (!t) return;
    const event = new CustomEvent('glossary:open', {
      bubbles: true, cancelable: true, detail: { id, term: t.term } });
    if (!m.dispatchEvent(event)) return;
    const s = sense(t);
    const where = (t.scopes || []).join('、');
    // Glossary text as text, never markup.
    headword.textContent = t.term;
    reading.textContent = t.pinyin || '';
    definition.textContent = s.definition || PENDING;
    definition.className = s.definition ? 'd' : 'd pending';
    scope.textContent = s.definition ? (s.scope ? `据${s.scope}` : '') : where && `见于${where}`;
    more.href = `${API}/terms/${encodeURIComponent(id)}`;
    if (current) current.setAttribute('aria-expanded', 'false');
    current = m;
    m.setAttribute('aria-expanded', 'true');
    m.setAttribute('aria-controls', TIP);
    quietly(() => m.after(host));
    host.hidden = false;
    host.showPopover?.();
    place();
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (current) current.setAttribute('aria-expanded', 'false');
    current = null;
    host.hidden = true;
    if (host.parentNode !== D.body) quietly(() => D.body.append(host)); // a popover closes
  }

  // Above the term if it fits, else below; slid sideways to stay on screen.
  function place() {
    const r = current.getClientRects()[0] || current.getBoundingClientRect();
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    const width = D.documentElement.clientWidth;
    let y = r.top - h - 6;
    if (y < 4 && innerHeight - r.bottom > r.top) y = r.bottom + 6;
    const x = Math.max(4, Math.min(r.left + r.width / 2 - w / 2, width - w - 4));
    tip.style.left = `${x}px`;
    tip.style.top = `${Math.max(4, y)}px`;
  }

  const markOf = (e) => (e.target.closest ? e.target.closest(MARK) : null);
  const hideSoon = () => {
    clearTimeout(showTimer);
    if (!pinned) hideTimer = setTimeout(hide, 250);
  };
  const toggle = (m) => (m === current && pinned ? hide() : show(m, true));

  function listen() {
    const on = (type, fn) => D.addEventListener(type, fn, true);
    on('pointerover', (e) => {
      const m = markOf(e);
      if (!m || e.pointerType !== 'mouse') return;
      clearTimeout(hideTimer);
      if (m !== current) showTimer = setTimeout(() => show(m, false), 150);
    });
    on('pointerout', (e) => {
      if (markOf(e) && e.pointerType === 'mouse' && e.relatedTarget !== host) hideSoon();
    });
    // The way into the tooltip; on tip: the host hears its children's too.
    tip.addEventListener('pointerenter', () => clearTimeout(hideTimer));
    tip.addEventListener('pointerleave', (e) => e.relatedTarget !== current && hideSoon());
    on('pointerdown', (e) => current && !markOf(e) && e.target !== host && hide());
    on('click', (e) => {
      if (e.target === skip) past();
      else if (markOf(e)) toggle(markOf(e));
    });
    on('focusout', (e) => {
      const leaving = markOf(e) || e.target === host;
      if (leaving && current && e.relatedTarget !== host && e.relatedTarget !== current) hide();
    });
    on('keydown', (e) => {
      const m = markOf(e);
      if (e.key === 'Escape' && current) {
        if (D.activeElement === host) current.focus();
        hide();
      } else if (m && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        toggle(m);
      } else if (e.target === skip && e.key === 'Enter') {
        e.preventDefault();
        past();
      }
    });
    let frame = 0;
    on('scroll', () => {
      if (!current || frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (!current) return;
        const r = current.getBoundingClientRect();
        r.bottom < 0 || r.top > innerHeight ? hide() : place(); // scrolled away: close
      });
    });
    addEventListener('resize', hide);
  }

  // Areas matching data-root added later are marked and watched too.
  const arrivals = new MutationObserver((records) => {
    const fresh = [];
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        for (const e of n.matches(opt.root) ? [n] : n.querySelectorAll(opt.root)) {
          if (!roots.some((root) => root.contains(e))) fresh.push(e);
        }
      }
    }
    if (!fresh.length) return;
    roots.push(...fresh);
    for (const e of fresh) observer.observe(e, WATCH);
    mark(fresh);
  });

  function start() {
    roots = [...D.querySelectorAll(opt.root || 'body')];
    sheet(D, MARK_CSS);
    D.body.append(host);
    listen();
    started(mark(roots));
    resume();
    if (opt.root) arrivals.observe(D.body, { childList: true, subtree: true });
  }

  let started;
  const ready = new Promise((resolve) => (started = resolve));
  window.Glossary = { scan: (element = D.body) => mark([element]), clear, ready };
  if (D.readyState === 'loading') D.addEventListener('DOMContentLoaded', start);
  else start();
})();
