import { expect, test } from '@playwright/test';

import { connect, createFlow, dragToCanvas, node, openDesigner, screenshot, uniqueId } from '../fixtures/helpers';

test('build a 6-atom flow by drag and drop, with a retry group; save, reload, it is all there', async ({ page }) => {
  const id = uniqueId('built');
  await page.goto('/');
  await createFlow(page, { id, name: 'Built by hand', root: { kind: 'graph', name: 'root', children: [], edges: [] } });
  await openDesigner(page, id);

  // a linear group, then atoms dropped into it and around it
  await dragToCanvas(page, 'palette-flow-linear', { x: 300, y: 120 });
  await expect(node(page, 'linear')).toBeVisible();
  const group = (await node(page, 'linear').boundingBox())!;
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const inGroup = (dx: number) => ({ x: group.x - pane.x + dx, y: group.y - pane.y + group.height / 2 + 10 });
  await dragToCanvas(page, 'palette-atom-test.echo', inGroup(120));
  await expect(node(page, 'echo')).toBeVisible();
  const grown = (await node(page, 'linear').boundingBox())!;
  await dragToCanvas(page, 'palette-atom-test.fail', { x: grown.x - pane.x + grown.width - 40, y: grown.y - pane.y + grown.height / 2 + 10 });
  await expect(node(page, 'fail')).toBeVisible();
  await expect(node(page, 'linear')).toContainText('linear');

  await dragToCanvas(page, 'palette-atom-test.echo', { x: 130, y: 380 });
  await dragToCanvas(page, 'palette-atom-log', { x: 400, y: 420 });
  await dragToCanvas(page, 'palette-atom-delay', { x: 680, y: 420 });
  await dragToCanvas(page, 'palette-atom-test.sleep', { x: 400, y: 560 });
  for (const n of ['echo-2', 'log', 'delay', 'sleep']) await expect(node(page, n)).toBeVisible();
  await expect(page.locator('.react-flow__node-atom')).toHaveCount(6);

  // the atoms dropped on the group are inside it
  await node(page, 'linear').locator('.flow-header').click();
  await expect(page.getByTestId('group-inspector')).toBeVisible();
  // retry controller on the group
  await page.getByLabel('On failure').selectOption('times');
  await page.locator('#retry-attempts').fill('4');
  await page.locator('#retry-attempts').press('Enter');
  await expect(node(page, 'linear').getByTestId('retry-badge')).toHaveText('↻ retry ×4');

  // connect: echo-2 → group → log → delay
  await connect(page, 'echo-2', 'linear');
  await connect(page, 'linear', 'log');
  await connect(page, 'log', 'delay');
  await expect(page.locator('.react-flow__edge[data-id^="edge:"]')).toHaveCount(3);

  // required config: the problems say what is missing, then go away
  await expect(page.getByTestId('problem-count')).toContainText('problem');
  await node(page, 'log').click();
  await page.getByLabel('Message').fill('all done');
  await page.getByLabel('Message').press('Tab');
  await node(page, 'delay').click();
  await page.getByLabel('Ms').fill('10');
  await page.getByLabel('Ms').press('Tab');
  await node(page, 'sleep').click();
  await page.getByLabel('Ms').fill('5');
  await page.getByLabel('Ms').press('Tab');
  await expect(page.getByTestId('problem-count')).toHaveText('✓ valid');
  await screenshot(page, '04-designer-built');

  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('save-status')).toContainText('r2');
  await expect(page.getByTestId('save-status')).toContainText('saved');

  await page.reload();
  await expect(page.locator('.react-flow__node-atom')).toHaveCount(6);
  await expect(node(page, 'linear').getByTestId('retry-badge')).toHaveText('↻ retry ×4');
  await expect(page.locator('.react-flow__edge[data-id^="edge:"]')).toHaveCount(3);
  await node(page, 'log').click();
  await expect(page.getByLabel('Message')).toHaveValue('all done');
  await expect(page.getByTestId('save-status')).toContainText('r2');
});
