// Checks by bounding boxes that the columns a screen cannot do without are on screen: each named
// column's header and its cells in every row lie wholly inside the part of the table one sees
// (the table's own box, the main area and the viewport), and no cell's text or tag is cut.
import type { Locator } from 'playwright-core';

// The few DOM shapes used inside the page (the test project is compiled without the DOM library).
interface Box {
  left: number;
  right: number;
  height: number;
}
interface PageElement {
  textContent: string | null;
  children: ArrayLike<PageElement>;
  scrollWidth: number;
  clientWidth: number;
  closest(selector: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  getBoundingClientRect(): Box;
}
interface PageWindow {
  document: { documentElement: { clientWidth: number } };
  getComputedStyle(element: PageElement): { lineHeight: string };
}

export async function columnsCut(table: Locator, labels: string[]): Promise<string[]> {
  return table.evaluate((node, wanted) => {
    const root = node as unknown as PageElement;
    const { document } = globalThis as unknown as PageWindow;
    const own = (element: PageElement): boolean => element.closest('.el-table') === root;
    const seen = root.getBoundingClientRect();
    const main = root.closest('main')?.getBoundingClientRect();
    const left = Math.max(seen.left, main?.left ?? 0, 0);
    const right = Math.min(
      seen.right,
      main?.right ?? Infinity,
      document.documentElement.clientWidth,
    );
    const headers = [...root.querySelectorAll('th')].filter(own);
    const rows = [...root.querySelectorAll('tr.el-table__row')].filter(own);
    const problems: string[] = [];
    for (const label of wanted) {
      const index = headers.findIndex((th) => th.textContent?.trim() === label);
      if (index < 0) {
        problems.push(`${label}: no such column`);
        continue;
      }
      const cells = [headers[index], ...rows.map((row) => row.children[index])];
      cells.forEach((cell, rowNo) => {
        if (!cell) return;
        const where = rowNo === 0 ? `${label} header` : `${label} row ${rowNo}`;
        const box = cell.getBoundingClientRect();
        if (box.left < left - 1 || box.right > right + 1) {
          problems.push(
            `${where}: ${Math.round(box.left)}–${Math.round(box.right)} outside ${Math.round(left)}–${Math.round(right)}`,
          );
        }
        const inner = cell.querySelector('.cell');
        if (inner && inner.scrollWidth > inner.clientWidth + 1) {
          problems.push(`${where}: content ${inner.scrollWidth}px in ${inner.clientWidth}px`);
        }
        for (const tag of cell.querySelectorAll('.el-tag')) {
          const t = tag.getBoundingClientRect();
          if (t.left < box.left - 1 || t.right > box.right + 1 || t.right > right + 1) {
            problems.push(`${where}: tag “${tag.textContent?.trim()}” cut`);
          }
        }
      });
    }
    return problems;
  }, labels);
}

/** True when the element's text sits on one line (no word broken over two). */
export function oneLine(element: Locator): Promise<boolean> {
  return element.evaluate((node) => {
    const page = globalThis as unknown as PageWindow;
    const target = node as unknown as PageElement;
    const lineHeight = parseFloat(page.getComputedStyle(target).lineHeight);
    return target.getBoundingClientRect().height < lineHeight * 1.5;
  });
}
