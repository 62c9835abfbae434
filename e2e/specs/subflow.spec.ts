import { expect, test } from '@playwright/test';

import { createFlow, node, openDesigner, uniqueId } from '../fixtures/helpers';

test('a subflow atom picks a saved flow; its run shows the inner atoms as atoms of the run', async ({ page }) => {
  const pay = uniqueId('pay');
  const other = uniqueId('other');
  const id = uniqueId('with-sub');
  await page.goto('/');
  await createFlow(page, {
    id: pay,
    name: 'Payment',
    root: {
      kind: 'linear',
      name: 'root',
      children: [
        { name: 'charge', type: 'test.echo', config: { pick: 'amount' }, requires: ['amount'], provides: 'paid' },
        {
          name: 'receipt',
          type: 'transform',
          config: { expression: '({ paid, at: "counter" })', requires: ['paid'] },
          provides: 'receipt',
        },
      ],
    },
  });
  await createFlow(page, {
    id: other,
    root: { kind: 'linear', name: 'root', children: [{ name: 'x', type: 'test.echo', config: { value: 1 } }] },
  });
  await createFlow(page, {
    id,
    root: {
      kind: 'linear',
      name: 'root',
      children: [
        { name: 'total', type: 'test.echo', config: { value: 42 }, provides: 'amount' },
        { name: 'pay', type: 'subflow', config: { flowId: pay } },
        { name: 'ship', type: 'test.echo', config: { pick: 'receipt' }, requires: ['receipt'], provides: 'shipped' },
      ],
    },
  });
  await openDesigner(page, id);
  await node(page, 'pay').click();
  const select = page.getByLabel('Flow id');
  await expect(select).toHaveValue(pay);
  // the saved flows by name and id
  await expect(select.locator('option', { hasText: `Payment — ${pay}` })).toHaveCount(1);
  await expect(select.locator('option', { hasText: other })).toHaveCount(1);
  // what `ship` needs comes from the subflow: valid, and the run asks for no inputs
  await expect(page.getByTestId('problem-count')).toHaveText('✓ valid');

  await page.getByRole('button', { name: '▶ Run' }).click();
  const dialog = page.getByTestId('run-dialog');
  await expect(dialog.getByRole('textbox')).toHaveCount(0);
  await dialog.getByRole('button', { name: /Start run/ }).click();
  await expect(page).toHaveURL(/\/runs\//);
  await expect(page.getByTestId('run-state')).toContainText('Success', { timeout: 30_000 });
  await expect(page.locator('[data-atom="pay.charge"]')).toHaveAttribute('data-state', 'SUCCESS');
  await expect(page.locator('[data-atom="pay.receipt"]')).toHaveAttribute('data-state', 'SUCCESS');
  await expect(page.locator('[data-atom="ship"]')).toContainText('"counter"');
});
