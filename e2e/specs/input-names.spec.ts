import { expect, test } from '@playwright/test';

import { createFlow, openDesigner, uniqueId } from '../fixtures/helpers';

test("the run dialog asks for the inputs an atom's config requires (transform's requires, from the server)", async ({ page }) => {
  const id = uniqueId('config-inputs');
  await page.goto('/');
  await createFlow(page, {
    id,
    root: {
      kind: 'linear',
      name: 'root',
      children: [{ name: 'double', type: 'transform', config: { expression: 'price * 2', requires: ['price'] } }],
    },
  });
  await openDesigner(page, id);
  await expect(page.getByTestId('problem-count')).toHaveText('✓ valid');
  await page.getByRole('button', { name: '▶ Run' }).click();
  const dialog = page.getByTestId('run-dialog');
  await expect(dialog.getByLabel('price')).toBeVisible();
  await dialog.getByLabel('price').fill('21');
  await dialog.getByRole('button', { name: /Start run/ }).click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'SUCCESS', { timeout: 30_000 });
  await expect(page.locator('[data-atom="double"]')).toContainText('42');
});
