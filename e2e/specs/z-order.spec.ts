import { expect, test, type Page } from '@playwright/test';

import { createFlow, openDesigner, uniqueId } from '../fixtures/helpers';

/** The canvas node (React Flow wrapper) whose element is on top at the centre of `name`'s box. */
async function topAtCentreOf(page: Page, name: string): Promise<string | null> {
  const box = (await page.locator(`.react-flow__node[data-id="${name}"]`).boundingBox())!;
  return page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('.react-flow__node')?.getAttribute('data-id') ?? null, {
    x: box.x + box.width / 2,
    y: box.y + box.height / 2,
  });
}

test('groups are drawn beneath their atoms and beneath root atoms overlapping them, selected or not', async ({ page }) => {
  const id = uniqueId('z-order');
  await page.goto('/');
  await createFlow(page, {
    id,
    root: {
      kind: 'graph',
      name: 'root',
      children: [
        // listed first, so drawn first: without a lower z the group after it would cover it
        { name: 'over', type: 'log', config: { message: 'on top' } },
        {
          kind: 'linear',
          name: 'box',
          children: [
            { name: 'inner', type: 'log', config: { message: 'inside' } },
            { name: 'inner-2', type: 'log', config: { message: 'inside' } },
          ],
        },
      ],
    },
    ui: {
      positions: { over: { x: 150, y: 150 }, box: { x: 0, y: 0 }, inner: { x: 24, y: 72 }, 'inner-2': { x: 304, y: 200 } },
      collapsed: [],
    },
  });
  await openDesigner(page, id);
  await expect(page.locator('.react-flow__node[data-id="box"]')).toBeVisible();
  expect(await topAtCentreOf(page, 'over')).toBe('over');
  expect(await topAtCentreOf(page, 'inner')).toBe('inner');

  // selecting the group (its header) does not lift it over the atoms
  await page.locator('.react-flow__node[data-id="box"] .flow-header .flow-name').click();
  await expect(page.locator('.react-flow__node[data-id="box"]')).toHaveClass(/selected/);
  expect(await topAtCentreOf(page, 'over')).toBe('over');
  expect(await topAtCentreOf(page, 'inner')).toBe('inner');
  // and the root atom can still be clicked where it overlaps the group
  await page.locator('.react-flow__node[data-id="over"]').click();
  await expect(page.locator('.react-flow__node[data-id="over"]')).toHaveClass(/selected/);
});
