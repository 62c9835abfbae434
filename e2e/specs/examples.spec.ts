import { expect, test, type Page } from '@playwright/test';

import { screenshot } from '../fixtures/helpers';

const SAGA = 'example-order-saga';
const HTTP = 'example-http-retry';
const APPROVAL = 'example-refund-approval';

const atomNode = (page: Page, name: string) => page.locator(`.react-flow__node[data-id="${name}"] .atom-node`);

/** Opens an example from the flows list, runs it from the designer's run dialog (nothing to type), and lands on its run. */
async function runFromList(page: Page, flowId: string): Promise<void> {
  await page.goto('/');
  await page.locator(`tr[data-flow="${flowId}"] a.flow-link`).click();
  await expect(page).toHaveURL(new RegExp(`/flows/${flowId}$`));
  await expect(page.getByTestId('save-status')).toContainText('saved');
  await expect(page.getByTestId('problem-count')).toHaveText('✓ valid');
  await page.getByRole('button', { name: '▶ Run' }).click();
  const dialog = page.getByTestId('run-dialog');
  await expect(dialog).toContainText('This flow needs no inputs.');
  await dialog.getByRole('button', { name: /Start run/ }).click();
  await expect(page).toHaveURL(/\/runs\//);
}

test('a fresh start lists the example flows, ready to open and run', async ({ page }) => {
  await page.goto('/');
  for (const id of [SAGA, HTTP, APPROVAL]) await expect(page.locator(`tr[data-flow="${id}"]`)).toContainText('Example: ');
  await screenshot(page, '01-flows-examples');
});

test('the order saga example runs and compensates the earlier steps', async ({ page }) => {
  await runFromList(page, SAGA);
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'REVERTED', { timeout: 30_000 });
  for (const name of ['reserve-stock', 'charge-card', 'ship']) await expect(atomNode(page, name)).toHaveAttribute('data-state', 'REVERTED');
});

test('the HTTP example retries its flaky call with backoff and succeeds', async ({ page }) => {
  await runFromList(page, HTTP);
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'SUCCESS', { timeout: 30_000 });
  await expect(atomNode(page, 'fetch-quote')).toHaveAttribute('data-state', 'SUCCESS');
  await expect(atomNode(page, 'post-result')).toHaveAttribute('data-state', 'SUCCESS');
  await screenshot(page, '08-run-example-http');
});
