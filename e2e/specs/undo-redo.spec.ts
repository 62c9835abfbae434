import { expect, test } from '@playwright/test';

import { createFlow, dragToCanvas, node, openDesigner, uniqueId } from '../fixtures/helpers';

test('undo and redo with the keyboard and the toolbar', async ({ page }) => {
  const id = uniqueId('undo');
  await page.goto('/');
  await createFlow(page, { id, root: { kind: 'graph', name: 'root', children: [], edges: [] } });
  await openDesigner(page, id);
  const atoms = page.locator('.react-flow__node-atom');
  await dragToCanvas(page, 'palette-atom-test.echo', { x: 200, y: 200 });
  await dragToCanvas(page, 'palette-atom-test.echo', { x: 520, y: 200 });
  await expect(atoms).toHaveCount(2);
  await page.locator('.react-flow__pane').click({ position: { x: 50, y: 50 } });
  await page.keyboard.press('Control+z');
  await expect(atoms).toHaveCount(1);
  await page.keyboard.press('Control+Shift+Z');
  await expect(atoms).toHaveCount(2);
  // delete, then undo brings it back with its name
  await node(page, 'echo-2').click();
  await page.keyboard.press('Delete');
  await expect(atoms).toHaveCount(1);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(node(page, 'echo-2')).toBeVisible();
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(atoms).toHaveCount(1);
  // duplicate keeps names unique
  await node(page, 'echo').click();
  await page.keyboard.press('Control+d');
  await expect(node(page, 'echo-2')).toBeVisible();
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect(atoms).toHaveCount(2);
  await expect(page.getByTestId('save-status')).toContainText('unsaved changes');
});
