import { expect, test } from '@playwright/test';

import { screenshot, uniqueId } from '../fixtures/helpers';

test('new flow from the flows list opens an empty designer', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Flows', exact: true })).toBeVisible();
  await expect(page.getByTestId('flows-table').or(page.getByTestId('flows-empty'))).toBeVisible();
  await screenshot(page, '02-flows');
  const name = uniqueId('Fresh flow');
  await page.getByRole('button', { name: '+ New flow' }).first().click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create and open' }).click();
  await expect(page).toHaveURL(/\/flows\/fresh-flow-/);
  await expect(page.getByTestId('canvas-empty')).toBeVisible();
  await expect(page.getByTestId('problem-count')).toHaveText('✓ valid');
  await screenshot(page, '03-designer-empty');
  // it is listed, and search finds it
  await page.goto('/');
  await page.getByLabel('Search flows').fill(name.slice(0, 14));
  await expect(page.getByRole('link', { name })).toBeVisible();
  await page.getByLabel('Search flows').fill('no-such-flow-anywhere');
  await expect(page.getByTestId('flows-empty')).toContainText('No flow matches');
});
