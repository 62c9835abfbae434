import { expect, test } from '@playwright/test';

import { orderFlow } from '../fixtures/flows';
import { createFlow, openDesigner, screenshot, uniqueId } from '../fixtures/helpers';

test('start a run from the designer with its inputs, then watch it finish', async ({ page }) => {
  const id = uniqueId('run');
  await page.goto('/');
  await createFlow(page, orderFlow(id));
  await openDesigner(page, id);
  await page.getByRole('button', { name: '▶ Run' }).click();
  const dialog = page.getByTestId('run-dialog');
  await expect(dialog).toContainText('order');
  await dialog.getByLabel('order').fill('{"sku": "A-1", "qty": 2}');
  await dialog.getByRole('button', { name: /Start run/ }).click();
  await expect(page).toHaveURL(/\/runs\//);
  await expect(page.getByTestId('run-state')).toContainText('Success', { timeout: 30_000 });
  await expect(page.locator('[data-atom="receive"]')).toHaveAttribute('data-state', 'SUCCESS');
  await expect(page.locator('[data-atom="confirm"]')).toContainText('"confirmed"');
  await expect(page.locator('.react-flow__node[data-id="receive"] .atom-node')).toHaveAttribute('data-state', 'SUCCESS');
  await screenshot(page, '07-run');
  // the flows list shows the last run's state
  await page.goto('/');
  await expect(page.locator(`tr[data-flow="${id}"]`)).toContainText('Success');
});
