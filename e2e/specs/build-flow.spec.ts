import { expect, test } from '@playwright/test';

import { api, connect, createFlow, dragToCanvas, node, openDesigner, screenshot, uniqueId } from '../fixtures/helpers';

test('build a 6-atom flow by drag and drop, with a retry group; save, reload, it is all there', async ({ page }) => {
  const id = uniqueId('built');
  await page.goto('/');
  await createFlow(page, { id, name: 'Built by hand', root: { kind: 'graph', name: 'root', children: [], edges: [] } });
  await openDesigner(page, id);

  // three atoms at the top level, then a linear group with three atoms dropped into it
  await dragToCanvas(page, 'palette-atom-test.echo', { x: 130, y: 80 });
  await dragToCanvas(page, 'palette-atom-log', { x: 420, y: 80 });
  await dragToCanvas(page, 'palette-atom-delay', { x: 700, y: 80 });
  await dragToCanvas(page, 'palette-flow-linear', { x: 300, y: 330 });
  await expect(node(page, 'linear')).toBeVisible();
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  let kids = 0;
  const dropInGroup = async (testId: string, name: string) => {
    const g = (await node(page, 'linear').boundingBox())!;
    const x = kids++ > 0 ? g.x + g.width - 20 : g.x + 130;
    await dragToCanvas(page, testId, { x: x - pane.x, y: g.y - pane.y + 100 });
    await expect(node(page, name)).toBeVisible();
  };
  await dropInGroup('palette-atom-test.echo', 'echo-2');
  await dropInGroup('palette-atom-test.fail', 'fail');
  await dropInGroup('palette-atom-test.sleep', 'sleep');
  await expect(page.locator('.react-flow__node-atom')).toHaveCount(6);

  // the atoms dropped on the group are inside it
  await node(page, 'linear').locator('.flow-header').click();
  await expect(page.getByTestId('group-inspector')).toBeVisible();
  // retry controller on the group
  await page.getByLabel('On failure').selectOption('times');
  await page.locator('#retry-attempts').fill('4');
  await page.locator('#retry-attempts').press('Enter');
  await expect(node(page, 'linear').getByTestId('retry-badge')).toHaveText('↻ retry ×4');

  // connect: echo → group → log → delay
  await connect(page, 'echo', 'linear');
  await connect(page, 'linear', 'log');
  await connect(page, 'log', 'delay');
  await expect(page.locator('.react-flow__edge[data-id^="edge:"]')).toHaveCount(3);

  // required config: the problems say what is missing, then go away
  await expect(page.getByTestId('problem-count')).toContainText('problem');
  await node(page, 'log').click();
  await page.locator('#cfg-message').fill('all done');
  await page.locator('#cfg-message').press('Tab');
  await node(page, 'delay').click();
  await page.locator('#cfg-ms').fill('10');
  await page.locator('#cfg-ms').press('Tab');
  await node(page, 'sleep').click();
  await page.locator('#cfg-ms').fill('5');
  await page.locator('#cfg-ms').press('Tab');
  await expect(page.getByTestId('problem-count')).toHaveText('✓ valid');
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await page.waitForTimeout(400);
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await page.waitForTimeout(400);
  await screenshot(page, '04-designer-built');

  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('save-status')).toContainText('r2');
  await expect(page.getByTestId('save-status')).toContainText('saved');

  // saved as DESIGN.md's format: the three atoms inside the group, in their drawn order, with its retry controller
  const saved = await api<{
    revision: {
      definition: { root: { children: Array<{ name: string; retry?: unknown; children?: Array<{ name: string }> }>; edges: unknown[] } };
    };
  }>(page, 'flows.get', { flowId: id }, 'query');
  const group = saved.revision.definition.root.children.find((c) => c.name === 'linear')!;
  expect(group.children!.map((c) => c.name)).toEqual(['echo-2', 'fail', 'sleep']);
  expect(group.retry).toEqual({ kind: 'times', attempts: 4 });
  expect(saved.revision.definition.root.edges).toHaveLength(3);

  await page.reload();
  await expect(page.locator('.react-flow__node-atom')).toHaveCount(6);
  await expect(node(page, 'linear').getByTestId('retry-badge')).toHaveText('↻ retry ×4');
  await expect(page.locator('.react-flow__edge[data-id^="edge:"]')).toHaveCount(3);
  await node(page, 'log').click();
  await expect(page.locator('#cfg-message')).toHaveValue('all done');
  await expect(page.getByTestId('save-status')).toContainText('r2');
});
