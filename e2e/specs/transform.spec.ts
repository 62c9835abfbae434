import { expect, test } from '@playwright/test';

import { api, createFlow, dragToCanvas, node, openDesigner, uniqueId } from '../fixtures/helpers';

test('a transform atom: its expression in a code field, its inputs from requires; the run returns the value', async ({ page }) => {
  const id = uniqueId('transform');
  await page.goto('/');
  await createFlow(page, {
    id,
    root: {
      kind: 'graph',
      name: 'root',
      children: [
        {
          name: 'src',
          type: 'test.echo',
          config: {
            value: [
              { sku: 'a', qty: 0 },
              { sku: 'b', qty: 2 },
            ],
          },
          provides: 'items',
        },
      ],
      edges: [],
    },
  });
  await openDesigner(page, id);
  await dragToCanvas(page, 'palette-atom-transform', { x: 420, y: 220 });
  await node(page, 'transform').click();
  // the expression is a multi-line code field
  const expression = page.locator('#cfg-expression');
  await expect(expression).toHaveJSProperty('tagName', 'TEXTAREA');
  await expression.fill('items\n  .filter(i => i.qty > 0)\n  .map(i => ({ sku: i.sku.toUpperCase(), double: i.qty * 2 }))');
  await expression.press('Tab');
  await page.getByRole('button', { name: /Add requires/ }).click();
  await page.locator('#cfg-requires\\.0').fill('items');
  await page.locator('#cfg-requires\\.0').press('Tab');
  await page.locator('#atom-provides').fill('picked');
  await page.locator('#atom-provides').press('Tab');
  await expect(page.getByTestId('problem-count')).toHaveText('✓ valid');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('save-status')).toContainText('r2');

  await page.getByRole('button', { name: '▶ Run' }).click();
  await page
    .getByTestId('run-dialog')
    .getByRole('button', { name: /Start run/ })
    .click();
  await expect(page).toHaveURL(/\/runs\//);
  await expect(page.getByTestId('run-state')).toContainText('Success', { timeout: 30_000 });
  const runId = page.url().split('/runs/')[1]!.split(/[?#]/)[0]!;
  const got = await api<{ atoms: Array<{ name: string; result: unknown }> }>(page, 'runs.get', { runId }, 'query');
  expect(got.atoms.find((a) => a.name === 'transform')?.result).toEqual([{ sku: 'B', double: 4 }]);
});
