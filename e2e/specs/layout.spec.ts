import { expect, test } from '@playwright/test';

import { piled } from '../fixtures/flows';
import { createFlow, node, openDesigner, screenshot, uniqueId } from '../fixtures/helpers';

test('auto-layout spreads a piled-up flow left to right, groups included', async ({ page }) => {
  const id = uniqueId('layout');
  await page.goto('/');
  await createFlow(page, piled(id));
  await openDesigner(page, id);
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await expect(page.getByTestId('save-status')).toContainText('unsaved changes');
  await page.waitForTimeout(500);
  const box = async (n: string) => (await node(page, n).boundingBox())!;
  const [first, second, steps, last, s1, s2] = await Promise.all(['first', 'second', 'steps', 'last', 'step-1', 'step-2'].map(box));
  expect(second!.x).toBeGreaterThan(first!.x + first!.width - 1);
  expect(steps!.x).toBeGreaterThan(second!.x + second!.width - 1);
  expect(last!.x).toBeGreaterThan(steps!.x + steps!.width - 1);
  // the linear group's children sit inside it, in order
  expect(s1!.x).toBeGreaterThanOrEqual(steps!.x);
  expect(s2!.x).toBeGreaterThan(s1!.x + s1!.width - 1);
  expect(s2!.x + s2!.width).toBeLessThanOrEqual(steps!.x + steps!.width + 1);
  await screenshot(page, '05-designer-layout');
  // one undo step puts everything back
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('save-status')).toContainText('saved');
});
