// The report's search box: the syntax of `osir search` (osir_assets/search/query.py), applied to
// every table marked data-search-table as the user types. Markup convention: see osir_assets/exports/report.py.
// The cases of osir_assets_tests/search_cases.toml run against this script and the CLI alike.
(() => {
  const REGEX_CHARACTERS = /[\\^$.*+?()[\]{}|]/;
  const FILTER = /^@([^:\s]+):(\S*)$/;
  // Lookarounds and back-references: the browser reads them, RE2 (the CLI's engine) does not; both say invalid.
  const NOT_IN_RE2 = /\(\?<?[=!]|\\[1-9]/;
  const box = document.getElementById("search");
  const notice = document.getElementById("search-notice");
  const tables = [...document.querySelectorAll("table[data-search-table]")].map(describe);
  const original = new WeakMap();

  function describe(table) {
    const rows = [...table.rows];
    const header = rows.find((row) => row.querySelector("th"));
    const fields = [...header.cells].map((cell) => (cell.dataset.field || cell.textContent).trim().toLowerCase());
    const nameAt = fields.indexOf((table.dataset.searchName || "name").toLowerCase());
    const body = rows.filter((row) => row !== header && !row.hasAttribute("data-search-keep"));
    return { table, key: table.dataset.searchTable, fields, nameAt, body };
  }

  function parse(query) {
    const terms = [];
    for (const raw of query.split(";")) {
      const words = [];
      const filters = [];
      for (const token of raw.split(/\s+/).filter(Boolean)) {
        const found = FILTER.exec(token);
        if (!found) words.push(token);
        else if (!found[2]) throw new Error(`@${found[1]}: needs a value (e.g. @${found[1]}:llama)`);
        else filters.push({ field: found[1].toLowerCase(), value: found[2] });
      }
      const text = words.join(" ");
      if (text || filters.length) terms.push({ text, pattern: REGEX_CHARACTERS.test(text) ? compiled(text) : null, filters });
    }
    return terms;
  }

  function compiled(text) {
    try {
      if (NOT_IN_RE2.test(text)) throw new Error("not supported by the search engine");
      return new RegExp(text, "i");
    } catch (error) {
      notes.push(`'${text}' is not a valid regular expression (${error.message}); matched as plain text`);
      return null;
    }
  }

  let notes = [];
  const cellText = (cell) => (cell ? cell.dataset.value ?? cell.textContent : "");
  const contains = (text, value) => text.toLowerCase().includes(value.toLowerCase());

  function termMatches(term, described, row) {
    if (term.text && !(term.pattern ? term.pattern.test(cellText(row.cells[described.nameAt])) : contains(cellText(row.cells[described.nameAt]), term.text))) return false;
    return term.filters.every((f) => contains(cellText(row.cells[described.fields.indexOf(f.field === "name" ? described.fields[described.nameAt] : f.field)]), f.value));
  }

  function spans(text, needle, pattern) {
    const found = [];
    if (pattern) {
      for (const m of text.matchAll(new RegExp(pattern.source, "gi"))) if (m[0]) found.push([m.index, m.index + m[0].length]);
      return found;
    }
    const lower = text.toLowerCase();
    for (let at = lower.indexOf(needle.toLowerCase()); needle && at >= 0; at = lower.indexOf(needle.toLowerCase(), at + needle.length)) {
      found.push([at, at + needle.length]);
    }
    return found;
  }

  const escaped = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

  function mark(cell, marks) {
    if (!cell || !marks.length || [...cell.childNodes].some((n) => n.nodeType !== Node.TEXT_NODE)) return;
    original.set(cell, cell.innerHTML);
    const text = cell.textContent;
    let html = "";
    let at = 0;
    for (const [start, end] of marks.sort((a, b) => a[0] - b[0])) {
      if (start < at) continue;
      html += escaped(text.slice(at, start)) + "<mark>" + escaped(text.slice(start, end)) + "</mark>";
      at = end;
    }
    cell.innerHTML = html + escaped(text.slice(at));
  }

  function unmark() {
    for (const cell of document.querySelectorAll("td")) {
      if (original.has(cell)) {
        cell.innerHTML = original.get(cell);
        original.delete(cell);
      }
    }
  }

  function apply(query) {
    unmark();
    notes = [];
    let terms = [];
    let refused = false; // a query the CLI refuses shows no rows, as the CLI finds none
    try {
      terms = parse(query);
    } catch (error) {
      notes.push(error.message);
      refused = true;
    }
    let shown = 0;
    let total = 0;
    const unknownFields = new Map(); // "@field in key" -> {field, key, tables, fields of the first}
    for (const described of tables) {
      const fields = ["name", ...described.fields];
      const unknown = terms.flatMap((t) => t.filters).find((f) => !fields.includes(f.field));
      if (unknown) {
        const where = `@${unknown.field} in ${described.key}`;
        const seen = unknownFields.get(where) || { field: unknown.field, key: described.key, tables: 0, fields };
        unknownFields.set(where, { ...seen, tables: seen.tables + 1 });
      }
      for (const row of described.body) {
        const matched = unknown || refused ? [] : terms.filter((t) => termMatches(t, described, row));
        row.hidden = (refused || terms.length > 0) && matched.length === 0;
        total += 1;
        if (row.hidden) continue;
        shown += 1;
        const marks = [...row.cells].map(() => []);
        for (const term of matched) {
          if (term.text) marks[described.nameAt].push(...spans(row.cells[described.nameAt].textContent, term.text, term.pattern));
          for (const f of term.filters) {
            const at = f.field === "name" ? described.nameAt : described.fields.indexOf(f.field);
            marks[at].push(...spans(row.cells[at].textContent, f.value, null));
          }
        }
        marks.forEach((m, i) => mark(row.cells[i], m));
      }
    }
    for (const [where, { field, key, tables, fields }] of unknownFields) {
      notes.push(tables === 1 ? `unknown field ${where}; the fields are: ${[...new Set(fields)].sort().join(", ")}` : `unknown field @${field} in ${tables} ${key} tables`);
    }
    notice.textContent = [terms.length || refused ? `${shown.toLocaleString("en")} of ${total.toLocaleString("en")} rows` : "", ...notes].filter(Boolean).join(" · ");
    document.body.dataset.searched = query;
  }

  let waiting;
  box.addEventListener("input", () => {
    clearTimeout(waiting);
    waiting = setTimeout(() => apply(box.value), 150);
  });
})();
