/* Suggestions while typing in a glossary search box.
 *
 * Enhances every <input data-suggest="/api/v1/suggest" data-term-url="/terms/TERM_ID">
 * into an ARIA 1.2 combobox: suggestions appear while typing, ArrowDown/ArrowUp move
 * through them, Enter opens the selected term, Escape closes the list (and clears the
 * box when the list is already closed). Enter with nothing selected opens the first
 * suggestion when what was typed is the whole of it (headword, pinyin with or without
 * tones and spaces, or initials: sgqfkl opens 三个区分开来); otherwise it searches. Without this script the form still submits
 * to /search. When definitions hold what was typed (the API's definition_hits), a last
 * option, 在释义中搜索“…”, opens that search. Suggestions are written with textContent
 * only: glossary text is never parsed as HTML.
 */
(function () {
  "use strict";

  var DELAY_MS = 120;
  var LIMIT = 8;

  function enhance(input) {
    var form = input.form;
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var options = [];
    var active = -1;
    var timer = null;
    var pending = null;
    var asked = "";

    list.id = input.id + "-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "建议");
    list.hidden = true;
    status.className = "vh";
    status.setAttribute("role", "status");
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function termUrl(id) {
      return input.dataset.termUrl.replace("TERM_ID", encodeURIComponent(id));
    }

    function open() {
      if (!options.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      select(-1);
    }

    function select(index) {
      if (active >= 0 && options[active]) {
        options[active].element.setAttribute("aria-selected", "false");
      }
      active = index;
      if (active >= 0) {
        var element = options[active].element;
        element.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", element.id);
        element.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    // The ways a reader writes a suggestion down in full, folded like the typed text.
    function spellings(suggestion) {
      var syllables = suggestion.pinyin.split(" ");
      var toneless = syllables.map(fold);
      return [
        fold(suggestion.term),
        fold(suggestion.pinyin),
        toneless.join(""),
        toneless.map(function (s) {
          return /^[a-z]/.test(s) ? s.charAt(0) : s;
        }).join(""),
      ];
    }

    function exactly(index) {
      var typed = fold(input.value);
      return Boolean(typed) && index < options.length && Boolean(options[index].suggestion)
        && spellings(options[index].suggestion).indexOf(typed) !== -1;
    }

    function go(index) {
      window.location.assign(options[index].href);
    }

    function searchUrl(q) {
      var action = form ? form.getAttribute("action") : "/search";
      return action + "?" + new URLSearchParams({ q: q });
    }

    function item(index, parts, href) {
      var element = document.createElement("li");
      element.id = list.id + "-" + index;
      element.setAttribute("role", "option");
      element.setAttribute("aria-selected", "false");
      parts.forEach(function (part) {
        element.appendChild(part);
      });
      // mousedown would blur the input and close the list before the click lands.
      element.addEventListener("mousedown", function (event) {
        event.preventDefault();
      });
      element.addEventListener("click", function () {
        go(index);
      });
      return { element: element, href: href };
    }

    function span(className, text) {
      var element = document.createElement("span");
      element.className = className;
      element.textContent = text;
      return element;
    }

    function option(suggestion, index) {
      var reading = span("py", suggestion.pinyin);
      reading.lang = "zh-Latn-pinyin";
      var made = item(index, [span("suggestion-term", suggestion.term), reading],
        termUrl(suggestion.id));
      made.suggestion = suggestion;
      return made;
    }

    // The last option when definitions hold the words: the search, not a term.
    function inDefinitions(query, index) {
      var made = item(index, [span("suggestion-search", "在释义中搜索“" + query.trim() + "”")],
        searchUrl(query));
      made.element.classList.add("suggestion-definitions");
      return made;
    }

    function show(suggestions, query, definitionHits) {
      list.textContent = "";
      // Which query the options answer: what a test (or a curious reader) can wait for.
      list.dataset.query = query || "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      options = suggestions.map(option);
      if (definitionHits > 0) options.push(inDefinitions(query, options.length));
      options.forEach(function (o) {
        list.appendChild(o.element);
      });
      status.textContent = options.length
        ? options.length + " 条建议，按上下方向键选择"
        : "";
      if (options.length) open();
      else close();
    }

    function ask(q) {
      if (pending) pending.abort();
      asked = q;
      if (!q.trim()) {
        show([]);
        return;
      }
      pending = new AbortController();
      var url = input.dataset.suggest + "?" + new URLSearchParams({ q: q, limit: LIMIT });
      fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { query: q, suggestions: [] };
        })
        .then(function (body) {
          if (input.value === asked) show(body.suggestions || [], q, body.definition_hits);
        })
        .catch(function (error) {
          if (error.name !== "AbortError") show([]);
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value;
      timer = setTimeout(function () {
        ask(q);
      }, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var count = options.length;
      if (event.key === "ArrowDown" && count) {
        event.preventDefault();
        if (list.hidden) open();
        select(active + 1 < count ? active + 1 : 0);
      } else if (event.key === "ArrowUp" && count) {
        event.preventDefault();
        if (list.hidden) open();
        select(active > 0 ? active - 1 : count - 1);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        go(active);
      } else if (event.key === "Enter" && active < 0 && list.dataset.query === input.value
                 && exactly(0)) {
        event.preventDefault();
        go(0);
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          show([]);
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      close();
    });

    if (form) {
      form.addEventListener("submit", function () {
        close();
      });
    }
  }

  // Tone marks, ü, quotes, spaces and case do not matter: sān gè = san ge = sange.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[\s"'“”‘’「」『』]/g, "").toLowerCase();
  }

  document.querySelectorAll("input[data-suggest]").forEach(enhance);
})();
