// For `npm run bench:editor`: what the user sees. Every time the workbench redraws an editor line that holds
// BENCH_DOM_MATCH (in the page, a MutationObserver on each editor's lines), its text as drawn — the code and the
// inlay hints VS Code renders into the line as injected text — with the page's epoch time, appended as JSON lines to
// `file` (the benchmark in the extension host reads it: same machine, same clock). Event-driven: the time is taken
// when the line's DOM changes, in the frame that draws it; the file is only written every 250 ms.
const fs = require('fs');

/** Installs the observer in `page` (before it loads) and returns what stops the copying to `file`. */
function watchEditorLines(page, file, match) {
  fs.writeFileSync(file, '');
  page.addInitScript((needle) => {
    const records = [];
    window.__benchLines = records;
    const watched = new WeakSet();
    const attach = () => {
      for (const lines of document.querySelectorAll('.monaco-editor .view-lines')) {
        if (watched.has(lines)) continue;
        watched.add(lines);
        const editor = lines.closest('.monaco-editor');
        new MutationObserver((mutations) => {
          const t = performance.timeOrigin + performance.now();
          const uri = editor.getAttribute('data-uri') ?? '';
          if (!uri.includes('bench_')) return;
          const changed = new Set();
          for (const m of mutations) {
            const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
            const line = el?.closest('.view-line');
            if (line) changed.add(line);
            for (const node of m.addedNodes) {
              if (node.nodeType === 1 && node.classList.contains('view-line')) changed.add(node);
            }
          }
          for (const line of changed) {
            const text = (line.textContent ?? '').replace(/\u00a0/g, ' ');
            if (text.includes(needle)) records.push({ t, uri, text });
          }
        }).observe(lines, { childList: true, subtree: true, characterData: true });
      }
    };
    // finding new editors is polled; the times are not
    setInterval(attach, 200);
  }, match);
  const timer = setInterval(async () => {
    try {
      const got = await page.evaluate(() => window.__benchLines?.splice(0) ?? []);
      if (got.length) fs.appendFileSync(file, got.map((r) => JSON.stringify(r)).join('\n') + '\n');
    } catch { /* the page is navigating or closing */ }
  }, 250);
  return () => clearInterval(timer);
}

module.exports = { watchEditorLines };
