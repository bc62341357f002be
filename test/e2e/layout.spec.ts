// The console's frame at common window sizes: nothing an administrator needs is cut off or hidden.
import { expect, openWithDemo, shot, test } from './fixtures';
import { ShellPage } from './pages/shell-page';

interface Box {
  getBoundingClientRect(): { left: number; right: number; top: number; width: number; height: number };
  contains(other: unknown): boolean;
}
interface PageGlobals {
  innerWidth: number;
  document: { elementFromPoint(x: number, y: number): unknown; documentElement: { scrollWidth: number } };
}

/** Whether the element is drawn whole and on top at its centre: in the window, not clipped, not covered. */
const shownWhole = (el: unknown) => {
  const box = el as Box;
  const g = globalThis as unknown as PageGlobals;
  const r = box.getBoundingClientRect();
  const top = g.document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return r.left >= 0 && r.right <= g.innerWidth && r.width > 0 && top !== null && box.contains(top);
};

test.describe('layout', () => {
  test('every tab is shown whole, in a 1280×720 window and in one 760 px wide', async ({
    page,
    console: deputy,
  }, testInfo) => {
    await openWithDemo(page, deputy);
    const tabs = new ShellPage(page).tablist.getByRole('tab');
    await expect(tabs).toHaveCount(11); // Alice Admin sees every section (Design objects and Portals included)
    for (const width of [1280, 760]) {
      await page.setViewportSize({ width, height: 720 });
      for (const tab of await tabs.all()) {
        await expect(tab).toBeInViewport({ ratio: 1 });
        expect(await tab.evaluate(shownWhole), `${await tab.textContent()} at ${width} px`).toBe(true);
      }
      await shot(page, testInfo, `tabs-${width}`);
    }
  });

  test('no section is wider than a 760 px window: wide tables scroll inside it, the page does not', async ({
    page,
    console: deputy,
  }) => {
    await openWithDemo(page, deputy);
    await page.setViewportSize({ width: 760, height: 720 });
    const shell = new ShellPage(page);
    const wider: string[] = [];
    for (const tab of await shell.tablist.getByRole('tab').all()) {
      await tab.click();
      await expect(tab).toHaveAttribute('aria-selected', 'true');
      await expect(shell.panel.getByText('Loading…')).toHaveCount(0);
      await expect(shell.panel.locator('[aria-busy="true"]')).toHaveCount(0);
      // The widest section, measured only once its list is there (18 principals in the demo).
      if ((await tab.textContent()) === 'Directory') {
        await expect(page.getByRole('table', { name: 'Directory' }).locator('tbody tr')).toHaveCount(18);
      }
      const width = await page.evaluate(
        () => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth,
      );
      if (width > 760) wider.push(`${await tab.textContent()} (${width} px)`);
    }
    expect(wider).toEqual([]);
  });

  test('the audit table shows record numbers and times whole, the time to the second', async ({
    page,
    console: deputy,
  }, testInfo) => {
    await openWithDemo(page, deputy);
    const shell = new ShellPage(page);
    await shell.open('Audit log');
    const times = page
      .getByRole('table', { name: 'Audit records' })
      .locator('tbody tr:not([aria-hidden]) td:nth-child(2)');
    await expect(times.first()).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    for (const cell of await times.all()) {
      expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth), `${await cell.textContent()}`).toBe(true);
    }
    // Record numbers of a long log fit too: the first cell, given nine digits, does not overflow.
    const seq = page.getByRole('table', { name: 'Audit records' }).locator('tbody tr:not([aria-hidden]) td').first();
    const nineDigitsFit = await seq.evaluate((el) => {
      el.textContent = '123456789';
      return el.scrollWidth <= el.clientWidth;
    });
    expect(nineDigitsFit).toBe(true);
    await shot(page, testInfo, 'audit-log');
  });
});
