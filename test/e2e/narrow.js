// A panel at 400 px wide, as beside an editor on a small screen: the side bar closed and the window
// resized until the webview beside the editor is that wide; then what the user can see in it.

/** Resizes the window until the webview whose page is `frame` is `target` px wide; returns its width. */
async function narrowPanel(page, frame, runCommand, target = 400) {
  await runCommand(page, 'View: Close Primary Side Bar');
  let width = 900;
  let got = 0;
  for (let i = 0; i < 5; i++) {
    await page.setViewportSize({ width, height: 860 });
    await page.waitForTimeout(700);
    got = await frame.evaluate(() => window.innerWidth);
    if (Math.abs(got - target) <= 3) break;
    // the two editor groups share the width: the panel gets about half of a change
    width += 2 * (target - got);
  }
  return got;
}

/** Back to the wide window with the Explorer. */
async function widenAgain(page, runCommand) {
  await page.setViewportSize({ width: 1440, height: 860 });
  await runCommand(page, 'View: Show Explorer');
  await page.waitForTimeout(500);
}

/** How the summary's page and table fit its width (0 overflow = nothing to scroll sideways). */
function summaryFit(frame) {
  return frame.evaluate(() => {
    const doc = document.documentElement, t = document.querySelector('table');
    const right = Math.max(...[...t.querySelectorAll('th')].map((th) => th.getBoundingClientRect().right));
    return { width: window.innerWidth, page: doc.scrollWidth - doc.clientWidth, table: t.scrollWidth - t.clientWidth, lastColumnRight: Math.round(right) };
  });
}

/** Where the training curves sit in the panel's viewport (the page not scrolled). */
function chartsInView(frame) {
  return frame.evaluate(() => {
    const boxes = [...document.querySelectorAll('#charts .uplot')].map((c) => c.getBoundingClientRect());
    return {
      height: window.innerHeight, scrollY: window.scrollY, sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      charts: boxes.map((b) => ({ top: Math.round(b.top), bottom: Math.round(b.bottom), right: Math.round(b.right) })), width: window.innerWidth,
      // what sticks out on the right, outside the containers that scroll on their own (for the report)
      outside: [...document.querySelectorAll('body *')].filter((e) => !e.closest('.scroll') && e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
    };
  });
}

module.exports = { narrowPanel, widenAgain, summaryFit, chartsInView };
