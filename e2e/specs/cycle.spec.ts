import { expect, test } from '@playwright/test';

import { almostCycle } from '../fixtures/flows';
import { connect, createFlow, openDesigner, screenshot, uniqueId } from '../fixtures/helpers';

test('a flow with a cycle cannot be saved, and the problem points at the atom', async ({ page }) => {
  const id = uniqueId('cycle');
  await page.goto('/');
  await createFlow(page, almostCycle(id));
  await openDesigner(page, id);
  await expect(page.getByTestId('problem-count')).toHaveText('✓ valid');
  await connect(page, 'c', 'a');
  const problem = page.getByTestId('problems-panel').getByRole('button', { name: /cycle in graph flow "root"/ });
  await expect(problem).toContainText(/[abc] → [abc] → [abc] → [abc]/);
  const culprit = (await problem.getAttribute('data-node'))!;
  expect(['a', 'b', 'c']).toContain(culprit);
  await screenshot(page, '06-designer-cycle');
  await page.keyboard.press('Control+s');
  const refused = page.getByTestId('save-refused');
  await expect(refused).toContainText('cycle in graph flow "root"');
  await refused.getByRole('button').filter({ hasText: 'cycle' }).click();
  await expect(page.getByTestId('atom-inspector')).toContainText(`Atom ${culprit}`);
  await expect(page.locator(`.react-flow__node[data-id="${culprit}"]`)).toHaveClass(/selected/);
  await expect(page.getByTestId('save-status')).toContainText('r1');
  await expect(page.getByTestId('save-status')).toContainText('unsaved changes');
  // the problem list selects it too
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await expect(page.getByTestId('flow-settings')).toBeVisible();
  await problem.click();
  await expect(page.getByTestId('atom-inspector')).toContainText(`Atom ${culprit}`);
});
