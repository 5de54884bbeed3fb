/* Policy glossary tooltip widget: <script src="https://HOST/widget.js" defer></script>

   Options (data-* attributes of that script tag):
     data-api         API base URL (default: the origin this script came from)
     data-locality    prefer the terms and senses of this place, e.g. 江岸区
     data-first-only  mark only the first occurrence of each term on the page (default on)
     data-root        CSS selector of the areas to scan (default body; areas added later too)
     data-theme       light | dark | auto (default: follows prefers-color-scheme)
     data-headings    also mark terms in h1-h6
     data-max-kb      above this download size (default 4096) the page text is sent to
                      /api/v1/annotate in batches instead of matched here
   API: Glossary.scan(element) -> Promise<number of marks added>; Glossary.clear();
   Glossary.ready -> Promise<marks of the first scan>; before a tooltip opens, a
   cancelable "glossary:open" event (detail {id, term}) bubbles from its mark.

   Matching follows glossary/annotate.py (leftmost-longest over text folded like
   glossary.text.key; the same edge, number-code and quote rules) within one text node:
   a term split by markup (<b>三个</b>区分开来) is not found. */
(() => {
  'use strict';
  if (window.Glossary) return;
  const D = document;
  const tag = D.currentScript || [...D.scripts].find((s) => /\/widget\.js\b/.test(s.src)) || {};
  const opt = tag.dataset || {};
  const flag = (value, fallback) => (value == null ? fallback : !/^(false|off|no|0)$/i.test(value));
  const API = (opt.api || new URL(tag.src || location.href).origin).replace(/\/+$/, '');
  const FIRST = flag(opt.firstOnly, true);
  const MAX = (+opt.maxKb || 4096) * 1024;
  const MARK = 'glossary-term';
  const TIP = 'glossary-tooltip';
  const HEADINGS = flag(opt.headings, false) ? '' : 'h1 h2 h3 h4 h5 h6';
  const SKIP_TAGS = new Set(`a button code pre kbd samp script style noscript textarea input
    select svg math iframe template ${MARK} ${TIP} ${HEADINGS}`.trim().split(/\s+/));
  const SKIP = `${[...SKIP_TAGS]},[contenteditable],[data-glossary-ignore]`;
  const barred = (e) => SKIP_TAGS.has(e.localName) || e.hasAttribute('contenteditable') ||
    e.hasAttribute('data-glossary-ignore');
  const PENDING = '释义待补'; // as the glossary pages say it

  // Folding, as glossary.text.key: KIND marks what is dropped (1 opening, 2 closing,
  // 3 either-way quote, 4 space); F maps a UTF-16 unit to its folded unit.
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

  const pair = (a, b) => ((a << 6) ^ b) & 0xffff;

  let TERMS = {};
  let TRIE = null; // Map of folded unit -> {c: Map, p: pattern | null}
  let START = null; // Uint8Array: can a form start with this (unfolded) unit
  let PAIR = null; // Uint8Array: may a form start with this pair (hashed, folded)
  let PLACE = '';
  let mode = ''; // 'local' (match here), 'remote' (ask /annotate) or '' (unavailable)
  let seen = new Set(); // ids marked so far, for first-only
  // Pieces of text the widget split around its marks: never scanned again, since a piece
  // seen alone could match where the whole text did not. Other text rescans harmlessly.
  let done = new WeakSet();

  async function load() {
    const url = `${API}/api/v1/glossary.json`;
    const key = `glossary-widget ${url}`;
    let kept = null;
    try {
      kept = JSON.parse(sessionStorage.getItem(key));
    } catch {}
    if (kept && kept.size > MAX) kept = null;
    const abort = new AbortController();
    const headers = kept ? { 'If-None-Match': kept.etag } : {};
    const response = await fetch(url, { headers, signal: abort.signal });
    if (response.status === 304 && kept) return kept.glossary;
    if (!response.ok) throw Error(`${url}: HTTP ${response.status}`);
    if (+response.headers.get('Content-Length') > MAX) return abort.abort(), null;
    const body = await response.text();
    if (body.length > MAX) return null;
    const glossary = JSON.parse(body);
    const etag = response.headers.get('ETag');
    try {
      if (etag) sessionStorage.setItem(key, JSON.stringify({ etag, size: body.length, glossary }));
    } catch {} // full or blocked storage: the HTTP cache still helps
    return glossary;
  }

  function build(g) {
    TERMS = g.terms;
    for (const [t, s] of Object.entries(g.fold || {})) F[t.charCodeAt(0)] = s.charCodeAt(0);
    PLACE = fold(opt.locality || '');
    TRIE = new Map();
    START = new Uint8Array(65536);
    PAIR = new Uint8Array(65536);
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
      p.nc = /^[0-9][0-9+./-]*$/.test(key); // a number code counts only where quoted
      p.b = p.as || p.ae || p.nc;
      node.p = p;
      PAIR[pair(key.charCodeAt(0), key.charCodeAt(1))] = 1;
    }
    for (let c = 0; c < 65536; c++) START[c] = TRIE.has(F[c]) ? 1 : 0;
  }

  const local = (t) => PLACE && (t.scopes || []).some((s) => fold(s).includes(PLACE));

  function choose(g, key, id) {
    const ids = PLACE && g.shared && g.shared[key];
    if (!ids) return id;
    const here = ids.filter((x) => local(g.terms[x]));
    return here.find((x) => g.terms[x].status === 'reviewed') || here[0] || id;
  }

  // Leftmost-longest matches in one text: [[start, end, id], ...] in UTF-16 offsets.
  function find(s) {
    const out = [];
    const n = s.length;
    let floor = 0; // quotes are not shared between two spans
    // Two table looks at most for almost every character; the trie only where a pair fits.
    for (let i = 0; i < n - 1; i++) {
      if (!START[s.charCodeAt(i)]) continue;
      const first = F[s.charCodeAt(i)];
      const second = s.charCodeAt(i + 1);
      if (!KIND[second] && !PAIR[pair(first, F[second])]) continue;
      let node = TRIE.get(first);
      let best = node.p;
      let end = i + 1;
      for (let j = i + 1; j < n; j++) {
        const c = s.charCodeAt(j);
        if (KIND[c]) continue;
        node = node.c.get(F[c]);
        if (!node) break;
        if (node.p) (best = node.p), (end = j + 1);
      }
      if (!best) continue;
      let a = i;
      let b = end;
      i = end - 1; // a refused match still uses up its text, as in the annotator
      const skipped = b - a !== best.len;
      if ((best.b || skipped) && !fits(best, s, a, b, skipped)) continue;
      if (skipped) [a, b] = balance(s, a, b, floor);
      out.push([a, b, best.id]);
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

  // The page text sent to the server; \0 between nodes keeps every match inside one.
  async function remote(texts) {
    const found = texts.map(() => []);
    const batches = [];
    for (let i = 0; i < texts.length; ) {
      const batch = { first: i, base: [], text: '' };
      do {
        batch.base.push(batch.text.length);
        batch.text += `${texts[i++]}\0`;
      } while (i < texts.length && batch.text.length < 50000);
      batches.push(batch);
    }
    const where = opt.locality ? `?locality=${encodeURIComponent(opt.locality)}` : '';
    await Promise.all(batches.map(async ({ first, base, text }) => {
      // text/plain keeps the request simple: no CORS preflight
      const response = await fetch(`${API}/api/v1/annotate${where}`, { method: 'POST', body: text,
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
      if (!response.ok) throw Error(`annotate: HTTP ${response.status}`);
      const body = await response.json();
      Object.assign(TERMS, body.terms);
      let k = 0;
      for (const span of body.spans) {
        while (k + 1 < base.length && base[k + 1] <= span.start16) k++;
        found[first + k].push([span.start16 - base[k], span.end16 - base[k], span.id]);
      }
    }));
    return found;
  }

  // Text nodes under root worth scanning, in document order, onto the array `into`.
  function collect(root, into) {
    const top = root.nodeType === 3 ? root.parentElement : root;
    if (!top || !top.isConnected || top.closest(SKIP)) return;
    if (root !== top) return done.has(root) || into.push(root);
    // Elements are tested as the walk meets them, and a barred one is stepped over whole:
    // cheaper than matching a selector list against every element.
    const walker = D.createTreeWalker(root, 5); // SHOW_ELEMENT | SHOW_TEXT
    let node = walker.nextNode();
    while (node) {
      if (node.nodeType === 3) {
        if (node.length > 1 && !done.has(node)) into.push(node);
      } else if (barred(node)) {
        node = walker.nextSibling();
        while (!node && walker.parentNode()) node = walker.nextSibling();
        continue;
      }
      node = walker.nextNode();
    }
  }

  const PROTO = D.createElement(MARK); // cloned: cheaper than setting up each mark anew
  PROTO.tabIndex = 0;
  PROTO.setAttribute('role', 'button');

  // Every DOM write of a scan happens here, after all matching: no layout is read between.
  function write(nodes, texts, found) {
    pause();
    let count = 0;
    nodes.forEach((node, i) => {
      const s = texts[i];
      if (node.data !== s || !node.parentNode) return; // changed meanwhile: queued again
      let list = found[i];
      if (FIRST) list = list.filter((m) => !seen.has(m[2]) && seen.add(m[2]));
      if (!list.length) return;
      done.add(node); // the host's node stays, holding the text before the first term
      let rest = node;
      let offset = 0;
      // Split where each term starts and ends, and move the term's own text node into its
      // mark: fewer DOM changes than building the pieces anew (each costs microseconds).
      for (const [a, b, id] of list) {
        const term = rest.splitText(a - offset);
        rest = term.splitText(b - a);
        done.add(rest);
        const mark = PROTO.cloneNode(false);
        mark.setAttribute('data-glossary-id', id);
        term.replaceWith(mark);
        mark.append(term);
        offset = b;
        count++;
      }
      if (!rest.length) rest.remove();
    });
    resume();
    return count;
  }

  const loaded = load().then(
    (g) => {
      mode = g ? 'local' : 'remote';
      if (g) build(g);
      return true;
    },
    (error) => console.warn('glossary widget:', error) || false,
  );

  async function mark(roots) {
    if (!(await loaded)) return 0;
    let nodes = [];
    for (const root of roots) collect(root, nodes);
    if (roots.length > 1) nodes = [...new Set(nodes)]; // a batch may hold a node and its parent
    const texts = nodes.map((n) => n.data);
    try {
      return write(nodes, texts, mode === 'local' ? texts.map(find) : await remote(texts));
    } catch (error) {
      console.warn('glossary widget:', error);
      return 0;
    }
  }

  function clear() {
    hide();
    pause();
    const parents = new Set();
    for (const m of D.querySelectorAll(MARK)) {
      parents.add(m.parentNode);
      m.replaceWith(m.textContent);
    }
    for (const p of parents) p.normalize(); // whole text nodes again, ready for a new scan
    seen = new Set();
    done = new WeakSet();
    resume();
  }

  // Content added later: batched, and blind to the widget's own writes (paused meanwhile).
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

  // The tooltip: one shadow root, so host CSS cannot reach in and ours cannot leak out.
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
cursor:help}${MARK}:focus-visible{outline:2px solid #0b57d0;outline-offset:1px}`;

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

  const host = D.createElement(TIP);
  host.id = TIP;
  host.setAttribute('role', 'tooltip');
  host.hidden = true;
  const shadow = host.attachShadow({ mode: 'open' });
  sheet(shadow, CSS);
  const tip = el('div', `tip ${/^(light|dark)$/.test(opt.theme) ? opt.theme : 'auto'}`, shadow);
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
  let pinned = false; // opened by focus, tap or key: hover-out does not close it
  let showTimer = 0;
  let hideTimer = 0;

  function sense(t) {
    for (const s of (PLACE && t.senses) || []) {
      if (s.definition && s.scope && fold(s.scope).includes(PLACE)) return s;
    }
    return { definition: t.definition, scope: (t.scopes || []).join('、') };
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
    // Glossary text goes in as text, never as markup.
    headword.textContent = t.term;
    reading.textContent = t.pinyin || '';
    definition.textContent = s.definition || PENDING;
    definition.className = s.definition ? 'd' : 'd pending';
    scope.textContent = s.scope || '';
    more.href = `${API}/terms/${encodeURIComponent(id)}`;
    if (current) current.removeAttribute('aria-describedby');
    current = m;
    m.setAttribute('aria-describedby', TIP);
    host.hidden = false;
    place();
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (current) current.removeAttribute('aria-describedby');
    current = null;
    host.hidden = true;
  }

  // Above the term if it fits, else below (flip); slid sideways to stay on screen (shift).
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
    // The path into the tooltip; on tip, not host: the host also hears its children's.
    tip.addEventListener('pointerenter', () => clearTimeout(hideTimer));
    tip.addEventListener('pointerleave', (e) => e.relatedTarget !== current && hideSoon());
    on('pointerdown', (e) => current && !markOf(e) && e.target !== host && hide());
    on('click', (e) => markOf(e) && show(markOf(e), true));
    on('focusin', (e) => markOf(e) && show(markOf(e), true));
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
        m === current ? hide() : show(m, true);
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

  // Areas matching data-root that a single-page app adds later are watched and marked too.
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
