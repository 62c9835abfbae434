import { expect, test } from '@playwright/test';

import { chainFlow } from '../fixtures/flows';
import { api, createFlow, screenshot, uniqueId } from '../fixtures/helpers';

test('the runs list updates live and filters by flow and state', async ({ page }) => {
  const id = uniqueId('listed');
  await page.goto('/');
  await createFlow(page, chainFlow(id));
  await page.getByRole('link', { name: 'All runs' }).click();
  await expect(page).toHaveURL(/\/runs$/);
  await page.getByLabel('Filter by flow').fill(id);
  await expect(page.getByText('No runs match')).toBeVisible();
  await expect(page.locator('.error')).toHaveCount(0);

  // started elsewhere: it comes in over live.runs, without a reload
  const run = await api<{ id: string }>(page, 'runs.start', { flowId: id, inputs: {} });
  const row = page.locator(`tr[data-run="${run.id}"]`);
  await expect(row).toHaveAttribute('data-state', 'SUCCESS', { timeout: 20_000 });
  await expect(row).toContainText('3/3');

  await page.getByLabel('Filter by state').selectOption('REVERTED');
  await expect(row).toHaveCount(0);
  await page.getByLabel('Filter by state').selectOption('SUCCESS');
  await expect(row).toBeVisible();
  await expect(page.locator('.error')).toHaveCount(0);
  await page.reload();
  await page.getByLabel('Filter by flow').fill(id);
  // after a reload it comes from runs.list (the page), not from the live stream
  await expect(row).toHaveAttribute('data-state', 'SUCCESS');
  await expect(page.locator('.error')).toHaveCount(0);
  await screenshot(page, '25-runs-list');
  await row.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/runs/${run.id}$`));
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'SUCCESS');
});
