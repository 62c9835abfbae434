import { expect, test, type Page } from '@playwright/test';

import { api, createFlow, screenshot, uniqueId } from '../fixtures/helpers';

/** prepare → fetch (an HTTP call that cannot connect: it fails) → use (echoes fetch's response). */
const fetchFlow = (id: string) => ({
  id,
  revision: 1,
  name: 'Mark success',
  root: {
    kind: 'linear',
    name: 'root',
    children: [
      { name: 'prepare', type: 'test.echo', version: 1, config: { value: 'ready' } },
      {
        name: 'fetch',
        type: 'http.request',
        version: 1,
        config: { url: 'http://127.0.0.1:9/unreachable', timeoutMs: 2000 },
        provides: 'response',
      },
      { name: 'use', type: 'test.echo', version: 1, requires: ['response'], config: { pick: 'response' } },
    ],
    edges: [],
  },
  ui: { positions: { prepare: { x: 0, y: 0 }, fetch: { x: 300, y: 0 }, use: { x: 600, y: 0 } } },
});

const atomNode = (page: Page, name: string) => page.locator(`.react-flow__node[data-id="${name}"] .atom-node`);

interface RunGet {
  atoms: Array<{ name: string; state: string; attempts: number; result: unknown }>;
}

test('mark a failed atom success with a result checked against its output schema; downstream atoms receive it', async ({ page }) => {
  const id = uniqueId('marked');
  await page.goto('/');
  await createFlow(page, fetchFlow(id));
  const { id: runId } = await api<{ id: string }>(page, 'runs.start', { flowId: id, inputs: {} });
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'REVERTED', { timeout: 20_000 });
  await expect(atomNode(page, 'fetch')).toHaveAttribute('data-root-failure', 'true');

  await atomNode(page, 'fetch').click();
  const drawer = page.getByTestId('atom-drawer');
  await drawer.locator('button[data-op="markSuccess"]').click();
  const confirm = page.getByTestId('confirm-op');
  const editor = confirm.getByLabel('Result JSON');
  await expect(confirm).toContainText('checked against the atom’s output schema');

  // not JSON, then JSON that is not a response: refused in place, nothing sent
  await editor.fill('{"status": ');
  await confirm.getByRole('button', { name: /Confirm/ }).click();
  await expect(confirm).toContainText('The result is not JSON');
  await editor.fill('{"status": "ok", "headers": {}}');
  await confirm.getByRole('button', { name: /Confirm/ }).click();
  await expect(confirm).toContainText("does not match the atom's output schema at status");
  await screenshot(page, '40-mark-success-invalid');
  expect((await api<RunGet>(page, 'runs.get', { runId }, 'query')).atoms.find((a) => a.name === 'fetch')?.state).toBe('REVERTED');

  const result = { status: 200, headers: { 'content-type': 'application/json' }, body: { id: 42 } };
  await editor.fill(JSON.stringify(result));
  await confirm.getByRole('button', { name: /Confirm/ }).click();
  await expect(confirm).toHaveCount(0);
  await expect(atomNode(page, 'fetch')).toHaveAttribute('data-state', 'SUCCESS', { timeout: 20_000 });
  await expect(drawer.getByTestId('result-section')).toContainText('"id": 42');

  // the run continues from its failure: the marked atom is not executed again, `use` gets its result
  await page.locator('.run-ops button[data-op="retryFromFailure"]').click();
  await expect(page.getByTestId('confirm-op').getByTestId('touched')).not.toContainText('fetch');
  await page
    .getByTestId('confirm-op')
    .getByRole('button', { name: /Confirm/ })
    .click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'SUCCESS', { timeout: 20_000 });
  await expect(atomNode(page, 'use')).toHaveAttribute('data-state', 'SUCCESS');
  const got = await api<RunGet>(page, 'runs.get', { runId }, 'query');
  const byName = Object.fromEntries(got.atoms.map((a) => [a.name, a]));
  expect(byName['fetch']).toMatchObject({ state: 'SUCCESS', attempts: 1, result });
  expect(byName['use']).toMatchObject({ state: 'SUCCESS', result });
  await screenshot(page, '41-mark-success-continued');
});
