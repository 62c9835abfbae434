import { expect, test, type Page } from '@playwright/test';

import { api, createFlow, screenshot, uniqueId } from '../fixtures/helpers';

const oneAtom = (id: string, atom: Record<string, unknown>) => ({
  id,
  revision: 1,
  name: id,
  root: { kind: 'linear', name: 'root', children: [{ name: 'a', version: 1, ...atom }], edges: [] },
  ui: { positions: { a: { x: 0, y: 0 } } },
});

async function startRuns(page: Page, flowId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await api<{ id: string }>(page, 'runs.start', { flowId, inputs: {} })).id);
  return ids;
}

async function stateOf(page: Page, runId: string): Promise<string> {
  return (await api<{ run: { state: string } }>(page, 'runs.get', { runId }, 'query')).run.state;
}

const row = (page: Page, runId: string) => page.locator(`[data-testid="runs-list"] tr[data-run="${runId}"]`);
const check = (page: Page, runId: string) => row(page, runId).locator('input[type="checkbox"]');

test('bulk retry: shift-click range, confirm listing the runs, per-run results including a refused one', async ({ page }) => {
  const id = uniqueId('bulk-retry');
  await page.goto('/');
  await createFlow(page, oneAtom(id, { type: 'test.fail', config: { failTimes: 1, value: 'ok' } }));
  const ids = await startRuns(page, id, 3);
  for (const r of ids) await expect.poll(() => stateOf(page, r), { timeout: 20_000 }).toBe('REVERTED');

  // filters live in the URL: a reload keeps them
  await page.goto(`/runs?flow=${id}&since=24h`);
  await page.reload();
  await expect(page.getByLabel('Filter by flow')).toHaveValue(id);
  await expect(page.getByLabel('Filter by start time')).toHaveValue('24h');
  const rows = page.locator('[data-testid="runs-list"] tbody tr');
  await expect(rows).toHaveCount(3);
  // the list says who started each run, its flow + revision and progress
  await expect(row(page, ids[0]!)).toContainText('admin@');
  await expect(row(page, ids[0]!)).toContainText(`${id} r1`);

  const shown = await rows.evaluateAll((trs) => trs.map((t) => t.getAttribute('data-run')!));
  expect(shown).toEqual([...ids].reverse());
  await check(page, shown[0]!).click();
  await check(page, shown[2]!).click({ modifiers: ['Shift'] });
  for (const r of ids) await expect(check(page, r)).toBeChecked();
  await expect(page.getByTestId('bulk-bar')).toContainText('3 selected');
  const retry = page.locator('button[data-bulk="retryFromFailure"]');
  await expect(retry).toBeEnabled();
  await expect(page.locator('button[data-bulk="cancel"]')).toBeEnabled(); // a REVERTED run can still be cancelled
  await retry.click();
  const confirm = page.getByTestId('bulk-confirm');
  await expect(confirm.locator('li[data-confirm-run]')).toHaveCount(3);

  // meanwhile someone else retries one of them: the server refuses that one, the others go through
  await api(page, 'runs.operate', { runId: ids[1], op: { type: 'retryFromFailure' } });
  await expect.poll(() => stateOf(page, ids[1]!), { timeout: 20_000 }).toBe('SUCCESS');
  await confirm.getByRole('button', { name: /Retry from failure 3 runs/ }).click();
  const results = page.getByTestId('bulk-results');
  await expect(results).toContainText('2 of 3 accepted');
  await expect(results.locator(`[data-result-run="${ids[1]}"]`)).toHaveAttribute('data-outcome', 'refused');
  await expect(results.locator(`[data-result-run="${ids[1]}"]`)).toContainText('retryFromFailure is not allowed: the run is SUCCESS');
  for (const r of [ids[0]!, ids[2]!])
    await expect(results.locator(`[data-result-run="${r}"]`)).toHaveAttribute('data-outcome', 'applied', { timeout: 20_000 });
  for (const r of ids) await expect(row(page, r)).toHaveAttribute('data-state', 'SUCCESS', { timeout: 20_000 });
  await screenshot(page, '50-runs-bulk-results');

  // all SUCCESS now: select-all on the page, and both actions say why not
  await page.getByTestId('select-all').check();
  await expect(page.getByTestId('bulk-bar')).toContainText('3 selected');
  await expect(retry).toBeDisabled();
  await expect(retry).toHaveAttribute('title', /is SUCCESS: only FAILURE, REVERTED or CANCELLED runs can be retried/);
  await expect(page.locator('button[data-bulk="cancel"]')).toHaveAttribute('title', /cannot be cancelled/);
  await page.getByTestId('select-all').uncheck();
  await expect(page.getByTestId('bulk-bar')).not.toContainText('selected');

  // a time range that excludes them: the empty state, not the runs
  await page.goto(`/runs?flow=${id}&before=2020-01-01T00:00:00.000Z`);
  await expect(page.getByLabel('Filter by start time')).toHaveValue('custom');
  await expect(page.getByTestId('runs-empty')).toContainText('No runs match these filters');
});

test('bulk cancel of running runs', async ({ page }) => {
  const id = uniqueId('bulk-cancel');
  await page.goto('/');
  await createFlow(page, oneAtom(id, { type: 'test.sleep', config: { ms: 60_000 } }));
  const ids = await startRuns(page, id, 2);
  await page.goto(`/runs?flow=${id}`);
  for (const r of ids) await expect(row(page, r)).toHaveAttribute('data-state', 'RUNNING', { timeout: 20_000 });
  await page.getByTestId('select-all').check();
  await page.locator('button[data-bulk="cancel"]').click();
  await page
    .getByTestId('bulk-confirm')
    .getByRole('button', { name: /Cancel 2 runs/ })
    .click();
  await expect(page.getByTestId('bulk-results')).toContainText('2 of 2 accepted');
  for (const r of ids) await expect(row(page, r)).toHaveAttribute('data-state', 'CANCELLED', { timeout: 20_000 });
  await expect(page.locator('button[data-bulk="cancel"]')).toBeDisabled(); // nothing selected any more
});
