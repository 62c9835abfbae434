import { expect, test, type Page } from '@playwright/test';

import { chainFlow, flakyFlow, retriedFlow } from '../fixtures/flows';
import { api, createFlow, screenshot, uniqueId } from '../fixtures/helpers';

async function startRun(page: Page, flowId: string): Promise<string> {
  const run = await api<{ id: string }>(page, 'runs.start', { flowId, inputs: {} });
  return run.id;
}

const atomNode = (page: Page, name: string) => page.locator(`.react-flow__node[data-id="${name}"] .atom-node`);
const runState = (page: Page) => page.getByTestId('run-state');

/** Atoms' REVERTING events in the event log, in log order. */
async function revertOrder(page: Page): Promise<string[]> {
  return page.locator('[data-testid="event-log"] tr[data-to="REVERTING"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-atom') ?? ''));
}

test('a failing atom turns RUNNING, FAILURE, REVERTED live; retry from failure then succeeds', async ({ page }) => {
  const id = uniqueId('flaky');
  await page.goto('/');
  await createFlow(page, flakyFlow(id));
  const runId = await startRun(page, id);
  await page.goto(`/runs/${runId}`);
  // the run is still sleeping in `wait` when the page is up: what follows arrives over the subscription
  await expect(page.getByTestId('live-status')).toContainText('live');
  await expect(atomNode(page, 'wait')).toHaveAttribute('data-state', 'RUNNING');
  await expect(runState(page)).toHaveAttribute('data-state', 'REVERTED', { timeout: 20_000 });
  await expect(atomNode(page, 'flaky')).toHaveAttribute('data-state', 'REVERTED');
  await expect(atomNode(page, 'flaky')).toHaveAttribute('data-root-failure', 'true');
  await expect(atomNode(page, 'prepare')).toHaveAttribute('data-state', 'REVERTED');
  await expect(atomNode(page, 'prepare')).not.toHaveAttribute('data-root-failure', 'true');
  await page.getByRole('tab', { name: /Events/ }).click();
  const flakyStates = await page
    .locator('[data-testid="event-log"] tr[data-event-atom="flaky"]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-to')));
  expect(flakyStates).toEqual(['RUNNING', 'FAILURE', 'REVERTING', 'REVERTED']);
  await screenshot(page, '20-run-reverted');

  // the atom drawer shows the failure
  await atomNode(page, 'flaky').click();
  const drawer = page.getByTestId('atom-drawer');
  await expect(drawer).toContainText('flaky failed (attempt 1)');

  await page.locator('.run-ops button[data-op="retryFromFailure"]').click();
  const confirm = page.getByTestId('confirm-op');
  await expect(confirm.getByTestId('touched')).toContainText('flaky');
  await expect(atomNode(page, 'flaky')).toHaveAttribute('data-preview', /.+/);
  await screenshot(page, '21-retry-preview');
  await confirm.getByRole('button', { name: /Confirm/ }).click();
  await expect(runState(page)).toHaveAttribute('data-state', 'SUCCESS', { timeout: 20_000 });
  await expect(atomNode(page, 'flaky')).toHaveAttribute('data-state', 'SUCCESS');
  await expect(atomNode(page, 'flaky')).not.toHaveAttribute('data-root-failure', 'true');
  await expect(drawer.getByTestId('result-section')).toContainText('"done"');
  await page.getByRole('tab', { name: /Timeline/ }).click();
  // flaky: execute (failed), revert, execute (succeeded)
  await expect(page.locator('[data-testid="timeline-bar"][data-bar-atom="flaky"]')).toHaveCount(3);
  await screenshot(page, '22-run-retried');
});

test('reverting a succeeded atom reverts its downstream first, in reverse order (log and timeline)', async ({ page }) => {
  const id = uniqueId('chain');
  await page.goto('/');
  await createFlow(page, chainFlow(id));
  const runId = await startRun(page, id);
  await page.goto(`/runs/${runId}`);
  await expect(runState(page)).toHaveAttribute('data-state', 'SUCCESS', { timeout: 20_000 });

  await atomNode(page, 'first').click({ button: 'right' });
  await page.getByTestId('context-menu').locator('button[data-op="revertAtom"]').click();
  const confirm = page.getByTestId('confirm-op');
  await expect(confirm.locator('[data-testid="touched"] li')).toHaveCount(3);
  const touched = await confirm.locator('[data-testid="touched"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-touched')));
  expect(touched.sort()).toEqual(['first', 'second', 'third']);
  await confirm.getByRole('button', { name: /Confirm/ }).click();
  for (const name of ['first', 'second', 'third']) await expect(atomNode(page, name)).toHaveAttribute('data-state', 'REVERTED', { timeout: 20_000 });

  const bars = page.locator('[data-testid="timeline-bar"][data-kind="revert"]');
  await expect(bars).toHaveCount(3);
  const barOrder = await bars.evaluateAll((els) =>
    els.map((e) => ({ atom: e.getAttribute('data-bar-atom'), index: Number(e.getAttribute('data-index')) })).sort((a, b) => a.index - b.index).map((b) => b.atom),
  );
  expect(barOrder).toEqual(['third', 'second', 'first']);
  await screenshot(page, '23-revert-atom');
  await page.getByRole('tab', { name: /Events/ }).click();
  expect(await revertOrder(page)).toEqual(['third', 'second', 'first']);
});

test('an operator’s action shows live in a viewer’s page, whose buttons are disabled', async ({ page, browser }) => {
  const id = uniqueId('watched');
  const email = `${uniqueId('viewer')}@example.com`;
  await page.goto('/');
  await createFlow(page, chainFlow(id));
  await api(page, 'users.create', { email, name: 'Vic Viewer', role: 'viewer', password: 'viewer-password-1' });
  const runId = await startRun(page, id);
  await page.goto(`/runs/${runId}`);
  await expect(runState(page)).toHaveAttribute('data-state', 'SUCCESS', { timeout: 20_000 });

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const viewer = await context.newPage();
  await viewer.goto(`/runs/${runId}`);
  await viewer.getByLabel('Email').fill(email);
  await viewer.getByLabel('Password').fill('viewer-password-1');
  await viewer.getByRole('button', { name: 'Sign in' }).click();
  await expect(runState(viewer)).toHaveAttribute('data-state', 'SUCCESS');
  await expect(viewer.getByTestId('live-status')).toContainText('live');
  const viewerRevertRun = viewer.locator('.run-ops button[data-op="revertRun"]');
  await expect(viewerRevertRun).toBeDisabled();
  await expect(viewerRevertRun).toHaveAttribute('title', /viewer/);
  await atomNode(viewer, 'second').click();
  await expect(viewer.getByTestId('atom-drawer').locator('button[data-op="revertAtom"]')).toBeDisabled();

  await page.locator('.run-ops button[data-op="revertRun"]').click();
  await page.getByTestId('confirm-op').getByRole('button', { name: /Confirm/ }).click();
  await expect(atomNode(viewer, 'first')).toHaveAttribute('data-state', 'REVERTED', { timeout: 20_000 });
  await expect(runState(viewer)).toHaveAttribute('data-state', 'REVERTED');
  await screenshot(viewer, '24-viewer-live');
  await context.close();
});

test('a retry controller shows its attempt k of n; the retried atom shows two executions', async ({ page }) => {
  const id = uniqueId('retried');
  await page.goto('/');
  await createFlow(page, retriedFlow(id));
  const runId = await startRun(page, id);
  await page.goto(`/runs/${runId}`);
  await expect(runState(page)).toHaveAttribute('data-state', 'SUCCESS', { timeout: 20_000 });
  await expect(page.locator('.retry-chip[data-retry="root-retry"]')).toContainText(/attempt \d of 3/);
  await expect(page.locator('[data-testid="timeline-bar"][data-bar-atom="shaky"][data-kind="execute"]')).toHaveCount(2);
  await atomNode(page, 'shaky').click();
  await expect(page.getByTestId('atom-drawer').locator('.attempts li')).toHaveCount(2);
  await expect(page.getByTestId('atom-drawer').locator('.attempts li').first()).toContainText('shaky failed (attempt 1)');
});
