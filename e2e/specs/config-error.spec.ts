import { expect, test } from '@playwright/test';

import { createFlow, dragToCanvas, node, openDesigner, uniqueId } from '../fixtures/helpers';

test('an invalid config value shows its error inline, on the node and in the problems', async ({ page }) => {
  const id = uniqueId('config');
  await page.goto('/');
  await createFlow(page, { id, root: { kind: 'graph', name: 'root', children: [], edges: [] } });
  await openDesigner(page, id);
  await dragToCanvas(page, 'palette-atom-http.request', { x: 300, y: 200 });
  await node(page, 'request').click();
  const url = page.getByLabel('Url');
  await url.fill('not a url');
  await url.press('Tab');
  await expect(url).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#cfg-url-error')).toContainText(/URL/i);
  await expect(node(page, 'request').getByTestId('problem-badge')).toBeVisible();
  await expect(page.getByTestId('problems-panel')).toContainText('root.children.0.config.url');
  // a number field refuses text before it reaches the flow
  const timeout = page.getByLabel('Timeout ms');
  await timeout.fill('soon');
  await timeout.press('Tab');
  await expect(page.locator('#cfg-timeoutMs-error')).toHaveText('must be a number');
  await timeout.fill('-5');
  await timeout.press('Tab');
  await expect(page.locator('#cfg-timeoutMs-error')).toBeVisible();
  // fixed: the errors go away
  await timeout.fill('');
  await timeout.press('Tab');
  await url.fill('http://127.0.0.1:9/ok');
  await url.press('Tab');
  await expect(url).toHaveAttribute('aria-invalid', 'false');
  await expect(page.getByTestId('problem-count')).toHaveText('✓ valid');
});
