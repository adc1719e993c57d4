// What a page looks like to a phone user, measured in the browser (tests/e2e/test_accessibility.py):
// the sideways overflow and what causes it, the header's height, and each visible button (or
// button-styled link or summary) cut off by the window's edges, smaller than the minimum target,
// or whose label takes more than two lines.
(minTarget) => {
  const width = window.innerWidth;
  const overflow = document.documentElement.scrollWidth - width;
  const describe = (e) => e.tagName.toLowerCase() + (e.className ? "." + e.className : "")
      + (e.textContent.trim() ? ` "${e.textContent.trim().replace(/\s+/g, " ").slice(0, 30)}"` : "");
  // What sticks out, leaving out what is inside a region that scrolls by itself.
  const scrolls = (e) => e !== null && e.closest(".table-wrap") !== null;
  const wide = overflow > 0 ? [...document.querySelectorAll("body *")]
      .filter(e => e.getBoundingClientRect().right > width + 0.5 && !scrolls(e.parentElement))
      .slice(0, 3).map(describe) : [];
  const buttons = [];
  const selector = "button, a.button, input[type=submit], summary.button, "
      + ".site-menu__button, .site-header__search-link";
  for (const e of document.querySelectorAll(selector)) {
    const box = e.getBoundingClientRect();
    if (!e.checkVisibility() || box.width <= 1 || box.height <= 1) continue;
    const problems = [];
    if (box.left < -0.5 || box.right > width + 0.5) {
      problems.push(`cut off at ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
    if (box.width < minTarget || box.height < minTarget) {
      problems.push(`${Math.round(box.width)}x${Math.round(box.height)} px`);
    }
    const range = document.createRange();
    range.selectNodeContents(e);
    const style = getComputedStyle(e);
    const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
    const lines = Math.round(range.getBoundingClientRect().height / lineHeight);
    if (lines > 2) problems.push(`label on ${lines} lines`);
    if (problems.length) buttons.push(describe(e) + ": " + problems.join(", "));
  }
  const header = document.querySelector(".site-header").getBoundingClientRect().height;
  return {overflow, wide, buttons, header};
}
