/*
 * search.js - enhances the vind search page (/zoeken); the page works fully
 * without it. Plain JavaScript, no framework, no build step.
 *
 *  - results as you type: a debounced fetch of /api/search, rendered with the
 *    same markup the server writes (page.c);
 *  - suggestions under the search box from /api/suggest (an ARIA combobox:
 *    arrow keys, Enter, Escape);
 *  - facets, sorting, the period and the page links without page reloads;
 *  - the address kept in sync (history.pushState / popstate), so a result
 *    list can be shared and the back button works;
 *  - the active filters with remove links, Dutch dates read and checked at
 *    their field, and the filters opened on wide screens (on phones they
 *    stay behind the "Filters" button, so the results come first).
 *
 * Everything from the index is inserted as text, except the snippet, which
 * the server already escaped (it holds only <mark>).
 */
(function () {
  "use strict";

  var form = document.getElementById("vind-form");
  var input = document.getElementById("vind-q");
  if (!form || !input || !window.fetch || !window.history || !window.URLSearchParams) return;

  document.documentElement.classList.add("vind-js");

  var FACETS = ["tag", "theme", "type", "year"];
  var FACET_TITLES = { tag: "Trefwoorden", theme: "Thema\u2019s", type: "Soort", year: "Jaar" };
  var FACET_MORE = { tag: "Meer trefwoorden", theme: "Meer thema\u2019s", type: "Meer soorten", year: "Meer jaren" };
  var TYPE_LABELS = { article: "Artikel", pdf: "PDF", page: "Pagina" };
  var MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                "september", "oktober", "november", "december"];
  var FACET_NAMES = { tag: "Trefwoord", theme: "Thema", type: "Soort", year: "Jaar" };
  var FACET_VISIBLE = 10;
  var DEFAULT_SIZE = 10;

  var statusBox = document.getElementById("vind-status");
  var resultsBox = document.getElementById("vind-results");
  var facetsBox = document.getElementById("vind-facets");
  var pagesBox = document.getElementById("vind-pagination");
  var suggestionBox = document.getElementById("vind-suggestion");
  var sortSelect = document.getElementById("vind-sort");
  var activeBox = document.getElementById("vind-active-filters");
  var filterCount = document.getElementById("vind-filter-count");
  var panel = document.getElementById("vind-filters-panel");

  /* ---- small helpers ---- */

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    for (var name in attributes || {}) {
      if (attributes[name] !== null && attributes[name] !== undefined) node.setAttribute(name, attributes[name]);
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) { while (node && node.firstChild) node.removeChild(node.firstChild); }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function count(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }

  function dutchDate(iso) {
    var m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(iso || "");
    if (!m || +m[2] < 1 || +m[2] > 12) return iso || "";
    return (m[3] ? +m[3] + " " : "") + MONTHS[+m[2] - 1] + " " + m[1];
  }

  /* Only http(s) and site-relative links are clickable, as in page.c: a
   * backslash or control character anywhere refuses the link (browsers read
   * "/\\attacker.example/" as "//attacker.example/", and drop tabs). */
  function safeLink(url) {
    return typeof url === "string" && !/[\u0000-\u001f\u007f\\]/.test(url) &&
      (/^https?:\/\//i.test(url) || /^\/(?!\/)/.test(url));
  }

  /* ---- the date fields (the rules of page.c's read_date) ---- */

  var DATE_FORMAT = "Vul een datum in als dd-mm-jjjj, bijvoorbeeld 28-10-2021, of alleen een maand (10-2021) of jaar (2021).";
  var DATE_IMPOSSIBLE = "Deze datum bestaat niet. Vul een datum in als dd-mm-jjjj, bijvoorbeeld 28-10-2021.";
  var DATE_ORDER = "Deze datum ligt v\u00f3\u00f3r de datum bij \u2018Van\u2019.";

  function pad(n, width) { n = String(n); while (n.length < width) n = "0" + n; return n; }

  /* "28-10-2021", "1-2-2021", "10-2021", "2021", "2021-10-28" -> { iso } or { error }. */
  function readDate(text) {
    var t = (text || "").replace(/^ +| +$/g, "");
    if (!t) return { iso: null };
    var m = /^(\d{1,4})(?:[-\/.](\d{1,4}))?(?:[-\/.](\d{1,4}))?$/.exec(t);
    if (!m || (m[3] !== undefined && m[2] === undefined)) return { error: DATE_FORMAT };
    var parts = [m[1], m[2], m[3]].filter(function (part) { return part !== undefined; });
    var n = parts.length, y = parts[0].length === 4 ? 0 : n - 1;
    if (parts[y].length !== 4) return { error: DATE_FORMAT };
    for (var i = 0; i < n; i++) if (i !== y && parts[i].length > 2) return { error: DATE_FORMAT };
    var year = +parts[y], month = n >= 2 ? +parts[y === 0 ? 1 : n - 2] : 0, day = n === 3 ? +parts[y === 0 ? 2 : 0] : 0;
    if (year === 0 || (n >= 2 && (month < 1 || month > 12))) return { error: DATE_IMPOSSIBLE };
    var leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    var days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if (n === 3 && (day < 1 || day > days[month - 1])) return { error: DATE_IMPOSSIBLE };
    return { iso: pad(year, 4) + (n >= 2 ? "-" + pad(month, 2) : "") + (n === 3 ? "-" + pad(day, 2) : "") };
  }

  /* The dates of params read: { from, to } ({ iso } or { error } each). */
  function readDates(params) {
    var dates = { from: readDate(params.get("from")), to: readDate(params.get("to")) };
    if (dates.from.iso && dates.to.iso) {
      var low = dates.from.iso + "-01-01".slice(dates.from.iso.length - 4);
      var high = dates.to.iso + "-12-31".slice(dates.to.iso.length - 4);
      if (low > high) dates.to = { error: DATE_ORDER };
    }
    return dates;
  }

  /* Errors at the fields, as page.c renders them; true when there are any. */
  function showDateErrors(dates) {
    var any = false;
    ["from", "to"].forEach(function (name) {
      var field = document.getElementById("vind-" + name);
      var box = document.getElementById("vind-" + name + "-message");
      if (!field || !box) return;
      clear(box);
      var error = dates[name].error;
      field.setAttribute("aria-describedby", (error ? "vind-" + name + "-error " : "") + "vind-date-hint");
      if (!error) { field.removeAttribute("aria-invalid"); return; }
      any = true;
      field.setAttribute("aria-invalid", "true");
      var p = el("p", { id: "vind-" + name + "-error", "class": "vind-field-error" });
      p.appendChild(el("span", { "class": "vind-visually-hidden" }, "Fout: "));
      p.appendChild(document.createTextNode(error));
      box.appendChild(p);
    });
    return any;
  }

  function link(url, text, fragment) {
    if (!safeLink(url)) return document.createTextNode(text);
    return el("a", { href: url + (fragment || "") }, text);
  }

  function quoted(q) { return "\u2018" + q + "\u2019"; }

  /* ---- parameters and the address ---- */

  function formParams() {
    var params = new URLSearchParams();
    var data = new FormData(form);
    data.forEach(function (value, key) {
      if (typeof value === "string" && value !== "" && key !== "page" &&
          !(key === "sort" && value === "relevance") && !(key === "size" && value === String(DEFAULT_SIZE)))
        params.append(key, value);
    });
    return params;
  }

  function hasCriteria(params) {
    if ((params.get("q") || "").trim() !== "") return true;
    return FACETS.some(function (f) { return params.has(f); }) || params.has("from") || params.has("to");
  }

  /* The parameters for /api/search: the dates in ISO. */
  function apiParams(params, dates) {
    var copy = new URLSearchParams(params.toString());
    ["from", "to"].forEach(function (name) {
      if (dates[name].iso) copy.set(name, dates[name].iso); else copy.delete(name);
    });
    return copy;
  }

  /* params without the pair (key, value), or without every filter (key null). */
  function without(params, key, value) {
    var copy = new URLSearchParams();
    params.forEach(function (v, k) {
      var filter = FACETS.indexOf(k) >= 0 || k === "from" || k === "to";
      if (k === "page" || (key === null ? filter : k === key && v === value)) return;
      copy.append(k, v);
    });
    return copy;
  }

  function countFilters(params) {
    var n = 0;
    params.forEach(function (v, k) { if (v !== "" && (FACETS.indexOf(k) >= 0 || k === "from" || k === "to")) n++; });
    return n;
  }

  function pageUrl(params) {
    var text = params.toString();
    return "/zoeken" + (text ? "?" + text : "");
  }

  function withPage(params, page) {
    var copy = new URLSearchParams(params.toString());
    copy.delete("page");
    if (page > 1) copy.set("page", String(page));
    return copy;
  }

  function fillForm(params) {
    input.value = params.get("q") || "";
    if (sortSelect) sortSelect.value = params.get("sort") || "relevance";
    ["from", "to"].forEach(function (name) {
      var field = form.elements[name];
      if (field) field.value = params.get(name) || "";
    });
  }

  /* ---- rendering (the markup of page.c) ---- */

  /* The list the pages walk: documents with every word, then those with only some (page.c). */
  // The length of the list pages run over: the collapsed list (partial
  // matches after the full ones included) when the answer gives it.
  function listed(data) {
    if (typeof data.listed === "number") return data.listed;
    return data.total + (data.fallback_total || 0);
  }

  function renderStatus(data, params) {
    var q = data.corrected && data.suggestion ? data.suggestion : params.get("q") || "";
    var text;
    var first = (data.page - 1) * data.size + 1;
    var shown = data.results.length;
    var total = listed(data);
    var documents = data.total + (data.fallback_total || 0);
    if (documents === 0) total = 0;
    /* stopped by the time limit or the count limit: an estimate */
    var about = data.partial || data.total_exact === false ? "ongeveer " : "";
    if (total === 0) text = "Geen resultaten";
    else if (shown > 0 && (first > 1 || shown < total))
      text = "Resultaten " + first + "\u2013" + (first + shown - 1) + " van " + about + count(total);
    else text = about + count(total) + (total === 1 ? " resultaat" : " resultaten");
    if (q) text += " voor " + quoted(q);
    var n = countFilters(params);
    if (n) text += " met " + n + (n === 1 ? " filter" : " filters");
    if (total > 0 && documents > total)
      text += " (" + count(documents) + " documenten; vergelijkbare samengevoegd)";
    if (params.get("similar")) text += ", vergelijkbare documenten";
    var absent = data.absent || [];
    if (data.fallback && data.total === 0 && absent.length)
      text += ". Geen resultaat bevat " + absent.map(quoted).join(", ").replace(/, ([^,]*)$/, " en $1") +
              "; die met de andere woorden staan bovenaan";
    else if (data.fallback && data.total === 0)
      text += ". Geen resultaat bevat alle woorden; die met de meeste woorden staan bovenaan";
    else if (data.fallback)
      text += ". " + count(data.total) + " met alle woorden; daarna resultaten met een deel ervan";
    statusBox.textContent = text;
  }

  /* The length of the list after collapsing near-duplicates (page.c). */
  function renderHit(hit, params) {
    var li = el("li", { "class": "vind-hit" });
    var h3 = el("h3", { "class": "vind-hit-title" });
    var pages = hit.pages || [];
    var fragment = pages.length && hit.type === "pdf" ? "#page=" + pages[0] : "";
    /* url null: no link of the site, withheld by the server (docs/api.md) */
    h3.appendChild(link(hit.url, hit.title || hit.url || "(zonder titel)", fragment));
    li.appendChild(h3);
    var meta = el("p", { "class": "vind-hit-meta" });
    if (hit.type) meta.appendChild(el("span", { "class": "vind-hit-type" }, TYPE_LABELS[hit.type] || hit.type));
    if (hit.date) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("time", { datetime: hit.date }, dutchDate(hit.date)));
    }
    if (pages.length) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("span", { "class": "vind-hit-pages" }, "pagina " + pages.join(", ")));
    }
    if (hit.ocr) { /* text of a scanned page: words may be misread (searchd/page.c says the same) */
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("span", { "class": "vind-hit-ocr",
        title: "Tekst van een gescande pagina, herkend met OCR: woorden kunnen verkeerd gelezen zijn" },
        "gescand (OCR)"));
    }
    li.appendChild(meta);
    if (hit.snippet) {
      var snippet = el("p", { "class": "vind-snippet" });
      snippet.innerHTML = hit.snippet; /* escaped by the server; only <mark> inside */
      li.appendChild(snippet);
    }
    if (hit.url) li.appendChild(el("p", { "class": "vind-hit-url" }, hit.url));
    if (hit.similar > 0 && hit.group) {
      /* "3 vergelijkbare documenten": lists the group for the same query. */
      var group = withPage(params, 1);
      group.set("similar", hit.group);
      var similar = el("p", { "class": "vind-hit-similar" });
      similar.appendChild(el("a", { href: pageUrl(group), "data-vind-nav": "" },
                             hit.similar + (hit.similar === 1 ? " vergelijkbaar document" : " vergelijkbare documenten")));
      li.appendChild(similar);
    }
    if (hit.parent) {
      var parent = el("p", { "class": "vind-hit-parent" }, "Bijlage bij ");
      parent.appendChild(link(hit.parent, hit.parent));
      li.appendChild(parent);
    }
    if (hit.tags && hit.tags.length) {
      var tags = el("ul", { "class": "vind-hit-tags", "aria-label": "Trefwoorden" });
      hit.tags.forEach(function (tag) { tags.appendChild(el("li", null, tag)); });
      li.appendChild(tags);
    }
    return li;
  }

  function renderEmpty(data, params) {
    var q = data.corrected && data.suggestion ? data.suggestion : params.get("q") || "";
    var box = el("div", { "class": "vind-empty" });
    var n = countFilters(params);
    box.appendChild(el("h2", null, "Geen resultaten" + (q ? " voor " + quoted(q) : "") +
                                   (n ? " met " + n + (n === 1 ? " filter" : " filters") : "")));
    box.appendChild(el("p", null, "Misschien helpt een van deze tips:"));
    var tips = el("ul");
    tips.appendChild(el("li", null, "Controleer de spelling van de zoekwoorden."));
    tips.appendChild(el("li", null, "Gebruik minder woorden, of algemenere woorden."));
    var star = el("li", null, "Zoek op een deel van een woord met een sterretje, bijvoorbeeld ");
    star.appendChild(el("kbd", null, "zorg*"));
    star.appendChild(document.createTextNode("."));
    tips.appendChild(star);
    if (n && q) {
      var plain = without(params, null);
      var item = el("li");
      item.appendChild(el("a", { href: pageUrl(plain), "data-vind-nav": "" }, "Zoek zonder filters"));
      item.appendChild(document.createTextNode("."));
      tips.appendChild(item);
      offerUnfiltered(box, tips, item, plain, generation);
    }
    box.appendChild(tips);
    return box;
  }

  /* The filters hide every result: say how many the query finds without
   * them (as page.c), once /api/search has answered. */
  function offerUnfiltered(box, tips, item, plain, mine) {
    var api = new URLSearchParams();
    api.set("q", plain.get("q"));
    api.set("size", "1");
    fetch("/api/search?" + api.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || mine !== generation) return;
        var total = data ? listed(data) : 0;
        if (total > 0) {
          var p = el("p", { "class": "vind-unfiltered" },
                     "Zonder filters zijn er " + count(total) + (total === 1 ? " resultaat. " : " resultaten. "));
          p.appendChild(el("a", { href: pageUrl(plain), "data-vind-nav": "" }, "Zoek zonder filters"));
          box.insertBefore(p, box.childNodes[1]);
        }
        tips.removeChild(item);
      })
      .catch(function () {});
  }

  /* The active filters, each with a link that removes it (page.c's markup). */
  function renderActive(params, dates) {
    clear(activeBox);
    clear(filterCount);
    var n = countFilters(params);
    if (!n || !activeBox) return; /* a site's own template may leave them out */
    if (filterCount) {
      filterCount.appendChild(document.createTextNode(" "));
      filterCount.appendChild(el("span", { "class": "vind-filter-count" }, "(" + n + " actief)"));
    }
    var box = el("div", { "class": "vind-active" });
    box.appendChild(el("p", { id: "vind-active-title", "class": "vind-active-title" }, "Actieve filters"));
    var list = el("ul", { "aria-labelledby": "vind-active-title" });
    function chip(key, value, label) {
      var a = el("a", { "class": "vind-chip", href: pageUrl(without(params, key, value)), "data-vind-nav": "" });
      a.appendChild(el("span", { "class": "vind-visually-hidden" }, "Filter verwijderen: "));
      a.appendChild(document.createTextNode(label));
      a.appendChild(el("span", { "class": "vind-chip-x", "aria-hidden": "true" }, " \u00d7"));
      var li = el("li");
      li.appendChild(a);
      list.appendChild(li);
    }
    FACETS.forEach(function (facet) {
      params.getAll(facet).forEach(function (value) {
        if (value !== "") chip(facet, value, FACET_NAMES[facet] + ": " + (facet === "type" ? TYPE_LABELS[value] || value : value));
      });
    });
    if (params.get("from")) chip("from", params.get("from"), "Vanaf: " + dutchDate(dates.from.iso || params.get("from")));
    if (params.get("to")) chip("to", params.get("to"), "Tot en met: " + dutchDate(dates.to.iso || params.get("to")));
    var li = el("li");
    li.appendChild(el("a", { "class": "vind-clear", href: pageUrl(without(params, null)), "data-vind-nav": "" }, "Alle filters wissen"));
    list.appendChild(li);
    box.appendChild(list);
    activeBox.appendChild(box);
  }

  function renderResults(data, params) {
    clear(resultsBox);
    if (listed(data) === 0) { resultsBox.appendChild(renderEmpty(data, params)); return; }
    if (!data.results.length) {
      var box = el("div", { "class": "vind-empty" });
      box.appendChild(el("h2", null, "Geen resultaten op deze pagina"));
      var p = el("p");
      p.appendChild(el("a", { href: pageUrl(withPage(params, 1)), "data-vind-nav": "" }, "Naar de eerste pagina"));
      box.appendChild(p);
      resultsBox.appendChild(box);
      return;
    }
    var list = el("ol", { "class": "vind-hits", start: (data.page - 1) * data.size + 1 });
    data.results.forEach(function (hit) { list.appendChild(renderHit(hit, params)); });
    resultsBox.appendChild(list);
  }

  /* lower: past the count limit the count is a lower bound, "(812+)" (page.c). */
  function renderFacetValue(facet, i, value, lower) {
    var id = "vind-f-" + facet + "-" + i;
    var li = el("li");
    var box = el("input", { type: "checkbox", id: id, name: facet, value: value.value });
    box.checked = !!value.selected;
    li.appendChild(box);
    var label = el("label", { "for": id }, (facet === "type" ? TYPE_LABELS[value.value] || value.value : value.value) + " ");
    label.appendChild(el("span", { "class": "vind-count" }, "(" + count(value.count) + (lower ? "+)" : ")")));
    li.appendChild(label);
    return li;
  }

  function renderFacets(data) {
    var focused = document.activeElement && document.activeElement.id;
    clear(facetsBox);
    FACETS.forEach(function (facet) {
      var values = (data.facets && data.facets[facet]) || [];
      if (!values.length) return;
      var set = el("fieldset", { "class": "vind-facet", "data-facet": facet });
      set.appendChild(el("legend", null, FACET_TITLES[facet]));
      var visible = el("ul"), hidden = el("ul");
      var indexed = values.map(function (value, i) { return { value: value, i: i }; });
      if (facet === "year") /* a time line, newest first, all shown (as page.c) */
        indexed.sort(function (a, b) { return a.value.value < b.value.value ? 1 : a.value.value > b.value.value ? -1 : 0; });
      indexed.forEach(function (entry) {
        var shown = facet === "year" || entry.value.selected || entry.i < FACET_VISIBLE;
        (shown ? visible : hidden).appendChild(renderFacetValue(facet, entry.i, entry.value, data.facets_exact === false));
      });
      set.appendChild(visible);
      if (hidden.childNodes.length) {
        var more = el("details", { "class": "vind-more" });
        more.appendChild(el("summary", null, FACET_MORE[facet]));
        more.appendChild(hidden);
        set.appendChild(more);
      }
      facetsBox.appendChild(set);
    });
    /* Keyboard users keep their place after a facet click. */
    if (focused) {
      var again = document.getElementById(focused);
      if (again) {
        var details = again.closest && again.closest("details");
        if (details) details.open = true;
        again.focus();
      }
    }
  }

  function renderPagination(data, params) {
    clear(pagesBox);
    var pages = Math.min(Math.ceil(listed(data) / data.size), 1000);
    if (pages <= 1) return;
    var current = data.page;
    var list = el("ul", { "class": "vind-pages" });
    function item(page, text, attributes) {
      var li = el("li");
      var a = el("a", attributes || {});
      a.setAttribute("href", pageUrl(withPage(params, page)));
      a.setAttribute("data-vind-nav", "");
      if (typeof text === "number") {
        a.appendChild(el("span", { "class": "vind-visually-hidden" }, "Pagina "));
        a.appendChild(document.createTextNode(String(text)));
      } else a.textContent = text;
      li.appendChild(a);
      list.appendChild(li);
    }
    if (current > 1) item(current - 1, "Vorige", { rel: "prev" });
    var last = 0;
    for (var p = 1; p <= pages; p++) {
      if (p !== 1 && p !== pages && (p + 2 < current || p > current + 2)) continue;
      if (last && p > last + 1) list.appendChild(el("li", { "class": "vind-gap", "aria-hidden": "true" }, "\u2026"));
      item(p, p, p === current ? { "aria-current": "page" } : null);
      last = p;
    }
    if (current < pages) item(current + 1, "Volgende", { rel: "next" });
    pagesBox.appendChild(list);
  }

  /* The typed query with each corrected word quoted (never corrected), or
   * null when the words do not line up (page.c's forced_query). */
  var PLAIN_WORD = (function () {
    try { return new RegExp("^[\\p{L}\\p{N}]+$", "u"); } /* a syntax error in older browsers */
    catch (e) { return /^[0-9A-Za-z\u00c0-\u024f]+$/; }
  })();

  function forcedQuery(query, corrected) {
    var typed = query.split(" "), fixed = corrected.split(" ");
    if (typed.length !== fixed.length) return null;
    var out = [];
    for (var i = 0; i < typed.length; i++) {
      if (typed[i] === fixed[i]) { out.push(typed[i]); continue; }
      if (!PLAIN_WORD.test(typed[i])) return null;
      out.push('"' + typed[i] + '"');
    }
    return out.join(" ");
  }

  /* A search stopped by its time budget, and wildcards cut to their most
   * frequent words (page.c's render_limits). */
  function renderLimits(data) {
    if (data.partial)
      suggestionBox.appendChild(el("p", { "class": "vind-notice" },
        "Deze zoekopdracht kostte te veel tijd: het aantal resultaten is een schatting en niet " +
        "elk resultaat heeft een fragment."));
    else if (data.total_exact === false)
      suggestionBox.appendChild(el("p", { "class": "vind-notice" },
        "Te veel resultaten om precies te tellen: het aantal is een schatting, tussen " +
        count(data.total_lower) + " en " + count(data.total_upper) +
        ". Bij de filters staat hoeveel er minstens zijn."));
    if (data.notices && data.notices.length)
      suggestionBox.appendChild(el("p", { "class": "vind-notice" },
        "Een woorddeel met * past op te veel woorden: alleen de meest voorkomende zijn gezocht. " +
        "Maak het langer om ook de andere te vinden."));
  }

  function renderSuggestion(data, params) {
    clear(suggestionBox);
    renderLimits(data);
    if (!data.suggestion) return;
    if (data.corrected) { /* searched already: say so (page.c) */
      var said = el("p", { "class": "vind-corrected" }, "Resultaten voor ");
      said.appendChild(el("strong", null, data.suggestion));
      said.appendChild(document.createTextNode("; je zocht "));
      said.appendChild(el("strong", null, params.get("q") || ""));
      var forced = forcedQuery(params.get("q") || "", data.suggestion);
      if (forced !== null) {
        var copy = withPage(params, 1);
        copy.set("q", forced);
        said.appendChild(document.createTextNode(". "));
        said.appendChild(el("a", { "class": "vind-force", href: pageUrl(copy), "data-vind-nav": "" },
                            "Zoek toch naar " + (params.get("q") || "")));
      }
      suggestionBox.appendChild(said);
      return;
    }
    var copy = withPage(params, 1);
    copy.set("q", data.suggestion);
    var p = el("p", { "class": "vind-suggestion" }, "Bedoelde je ");
    p.appendChild(el("a", { href: pageUrl(copy), "data-vind-nav": "" }, data.suggestion));
    p.appendChild(document.createTextNode("?"));
    suggestionBox.appendChild(p);
  }

  /* An alert in place of the results (nothing else of a search stays). */
  function messageBox() {
    clear(resultsBox);
    clear(pagesBox);
    clear(suggestionBox);
    clear(activeBox);
    statusBox.textContent = "";
    var box = el("div", { "class": "vind-message", role: "alert" });
    resultsBox.appendChild(box);
    return box;
  }

  function renderMessage(text) {
    messageBox().appendChild(el("p", null, text));
  }

  /* A date field is wrong: what to fix, linked to the field (page.c). */
  function renderDateErrors(dates) {
    var box = messageBox();
    box.appendChild(el("h2", null, "Controleer de periode"));
    var list = el("ul");
    [["from", "Van"], ["to", "Tot en met"]].forEach(function (field) {
      if (!dates[field[0]].error) return;
      var li = el("li");
      li.appendChild(el("a", { href: "#vind-" + field[0] }, field[1] + ": " + dates[field[0]].error));
      list.appendChild(li);
    });
    box.appendChild(list);
    if (panel) panel.open = true;
  }

  function renderBlank() {
    clear(resultsBox);
    clear(pagesBox);
    clear(suggestionBox);
    clear(activeBox);
    clear(filterCount);
    clear(facetsBox);
    statusBox.textContent = "";
  }

  /* ---- searching ---- */

  var controller = null;
  var generation = 0;

  function search(params, how) {
    clearTimeout(typingTimer);
    typingTimer = null;
    var mine = ++generation;
    if (controller) controller.abort();
    if (how === "push") history.pushState(null, "", pageUrl(params));
    else if (how === "replace") history.replaceState(null, "", pageUrl(params));
    var dates = readDates(params);
    if (showDateErrors(dates)) {
      renderDateErrors(dates);
      var typed = params.get("q") || "";
      document.title = "Fout: " + (typed ? quoted(typed) + " \u2013 Zoeken" : "Zoeken");
      return Promise.resolve();
    }
    if (!hasCriteria(params)) { renderBlank(); document.title = "Zoeken"; return Promise.resolve(); }
    controller = window.AbortController ? new AbortController() : null;
    document.documentElement.classList.add("vind-loading");
    return fetch("/api/search?" + apiParams(params, dates).toString(), {
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (mine !== generation) return;
      document.documentElement.classList.remove("vind-loading");
      if (!answer.ok) {
        renderMessage(answer.body && answer.body.error && answer.body.error.status < 500
          ? "Deze zoekopdracht kon niet worden verwerkt. Probeer het met minder of andere woorden."
          : "Zoeken is op dit moment niet beschikbaar. Probeer het later opnieuw.");
        return;
      }
      var data = answer.body;
      data.results = data.results || [];
      renderStatus(data, params);
      renderActive(params, dates);
      renderSuggestion(data, params);
      renderResults(data, params);
      renderFacets(data);
      renderPagination(data, params);
      var q = params.get("q") || "";
      document.title = q ? quoted(q) + " \u2013 Zoeken" : "Zoeken";
    }).catch(function (error) {
      if (error && error.name === "AbortError") return;
      if (mine !== generation) return;
      document.documentElement.classList.remove("vind-loading");
      renderMessage("Zoeken is op dit moment niet beschikbaar. Probeer het later opnieuw.");
    });
  }

  /* Typing searches 300 ms after the last key. Any other search (submit, a
   * facet, a page link, the back button) cancels a pending one, which would
   * otherwise land afterwards and undo it (a page link followed within 300 ms
   * of typing would jump back to page 1). */
  var typingTimer = null;
  function searchAsYouType() {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingTimer = null; search(formParams(), "replace"); }, 300);
  }

  /* ---- suggestions: an ARIA 1.2 combobox ---- */

  var listbox = el("ul", { id: "vind-suggestions", "class": "vind-suggestions", role: "listbox", "aria-label": "Suggesties" });
  listbox.hidden = true;
  var row = input.parentNode;
  row.parentNode.insertBefore(listbox, row.nextSibling);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", "vind-suggestions");
  var active = -1;
  var suggestGeneration = 0;

  function closeSuggestions() {
    listbox.hidden = true;
    clear(listbox);
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function setActive(index) {
    var options = listbox.querySelectorAll("[role=option]");
    if (!options.length) return;
    active = (index + options.length) % options.length;
    for (var i = 0; i < options.length; i++) options[i].setAttribute("aria-selected", i === active ? "true" : "false");
    input.setAttribute("aria-activedescendant", options[active].id);
  }

  function choose(text) {
    input.value = text;
    closeSuggestions();
    search(formParams(), "push");
  }

  var fetchSuggestions = debounce(function () {
    var q = input.value.trim();
    var mine = ++suggestGeneration;
    if (q.length < 2) { closeSuggestions(); return; }
    fetch("/api/suggest?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) {
        if (mine !== suggestGeneration) return;
        clear(listbox);
        active = -1;
        var list = (data.suggestions || []).slice(0, 10);
        if (!list.length || document.activeElement !== input) { closeSuggestions(); return; }
        list.forEach(function (text, i) {
          var option = el("li", { id: "vind-suggestion-" + i, role: "option", "aria-selected": "false" }, text);
          option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(text); });
          listbox.appendChild(option);
        });
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      })
      .catch(function () { closeSuggestions(); });
  }, 150);

  input.addEventListener("input", function () {
    fetchSuggestions();
    searchAsYouType();
  });

  input.addEventListener("keydown", function (event) {
    var open = !listbox.hidden;
    if (event.key === "ArrowDown" && open) { event.preventDefault(); setActive(active + 1); }
    else if (event.key === "ArrowUp" && open) { event.preventDefault(); setActive(active - 1); }
    else if (event.key === "Escape" && open) { event.preventDefault(); closeSuggestions(); }
    else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      choose(listbox.querySelectorAll("[role=option]")[active].textContent);
    }
  });

  input.addEventListener("blur", function () { setTimeout(closeSuggestions, 150); });

  /* ---- the filters: a column on wide screens, a button on phones ---- */

  var wide = window.matchMedia ? window.matchMedia("(min-width: 48rem)") : null;
  function fitPanel() { if (panel && wide && wide.matches) panel.open = true; }
  fitPanel();
  if (wide && wide.addEventListener) wide.addEventListener("change", fitPanel);
  if (panel) {
    panel.querySelector("summary").addEventListener("click", function (event) {
      if (wide && wide.matches) event.preventDefault(); /* the column does not fold */
    });
  }

  /* ---- the rest of the form ---- */

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    closeSuggestions();
    search(formParams(), "push");
  });

  form.addEventListener("change", function (event) {
    if (event.target === input) return;
    search(formParams(), "push");
  });

  /* Page links, "Bedoelde je", "Zoek zonder filters", the remove links of
   * the active filters: fetched in place. */
  document.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a[data-vind-nav], #vind-pagination a, #vind-suggestion a, .vind-active a, .vind-empty a");
    if (!a || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    var params = new URLSearchParams(a.search);
    fillForm(params);
    search(params, "push").then(function () {
      resultsBox.focus();
    });
  });

  window.addEventListener("popstate", function () {
    var params = new URLSearchParams(location.search);
    fillForm(params);
    search(params, null);
  });
})();
