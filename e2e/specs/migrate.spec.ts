import { expect, test } from '@playwright/test';

import { api, createFlow, screenshot, uniqueId } from '../fixtures/helpers';

type Json = Record<string, unknown>;

/** prepare → broken → after; broken always fails and so does its revert: the run ends FAILURE and prepare keeps its result. */
const brokenFlow = (id: string, revision: number, fixed: boolean): Json => ({
  id,
  revision,
  name: 'Migrate me',
  root: {
    kind: 'linear',
    name: 'root',
    children: [
      { name: 'prepare', type: 'test.echo', version: 1, config: { value: 'ready' } },
      fixed
        ? { name: 'broken', type: 'test.echo', version: 1, config: { value: 'fixed' } }
        : { name: 'broken', type: 'test.fail', version: 1, config: { revertFails: true } },
      ...(fixed ? [{ name: 'extra', type: 'test.echo', version: 1, config: { value: 'new' } }] : []),
      { name: 'after', type: 'test.echo', version: 1, config: { value: 'after' } },
    ],
    edges: [],
  },
  ui: { positions: { prepare: { x: 0, y: 0 }, broken: { x: 300, y: 0 }, extra: { x: 600, y: 120 }, after: { x: 600, y: 0 } } },
});

interface RunGet {
  run: { state: string; revision: number };
  atoms: Array<{ name: string; state: string; attempts: number; result: unknown }>;
}

test('a failed run migrates to a fixed revision from its page: diff, confirm, SUCCESS without re-running kept atoms', async ({ page }) => {
  const id = uniqueId('migrate');
  await page.goto('/');
  await createFlow(page, brokenFlow(id, 1, false));
  const { id: runId } = await api<{ id: string }>(page, 'runs.start', { flowId: id, inputs: {} });
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'FAILURE', { timeout: 20_000 });
  // no newer revision yet: nothing to migrate to
  await expect(page.locator('button[data-op="migrate"]')).toHaveCount(0);

  await api(page, 'flows.saveRevision', { flowId: id, baseRevision: 1, definition: brokenFlow(id, 2, true) });
  await page.reload();
  const migrate = page.locator('button[data-op="migrate"]');
  await expect(migrate).toHaveText(/Migrate to revision 2/);
  await expect(migrate).toBeEnabled();
  await migrate.click();

  const dialog = page.getByTestId('migrate-dialog');
  for (const name of ['prepare', 'broken', 'extra', 'after'])
    await expect(dialog.getByTestId('diff-view').locator(`.react-flow__node[data-id="${name}"]`)).toBeVisible();
  const fate = (name: string) => dialog.locator(`[data-migrate-atom="${name}"]`);
  await expect(fate('prepare')).toHaveAttribute('data-fate', 'keeps');
  await expect(fate('broken')).toHaveAttribute('data-fate', 'version');
  await expect(fate('broken')).toContainText('test.fail v1 → test.echo v1');
  await expect(fate('extra')).toHaveAttribute('data-fate', 'new');
  await expect(fate('after')).toHaveAttribute('data-fate', 'reruns');
  await screenshot(page, '30-migrate-diff');
  await dialog.getByRole('button', { name: 'Migrate and continue' }).click();
  await expect(dialog.getByTestId('migrate-status')).toContainText('Migrated to r2', { timeout: 20_000 });
  // the page has caught up with the run (on r2 now: no newer revision, so no migrate button) and the
  // open dialog still says what happened (it used to remount here and forget)
  await expect(page.locator('button[data-op="migrate"]')).toHaveCount(0, { timeout: 20_000 });
  await expect(dialog.getByTestId('migrate-status')).toContainText('Migrated to r2');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'SUCCESS', { timeout: 20_000 });
  await expect(page.locator('.react-flow__node[data-id="extra"] .atom-node')).toHaveAttribute('data-state', 'SUCCESS');
  const got = await api<RunGet>(page, 'runs.get', { runId }, 'query');
  expect(got.run.revision).toBe(2);
  const byName = Object.fromEntries(got.atoms.map((a) => [a.name, [a.state, a.attempts, a.result]]));
  // prepare kept its result (executed once, before the migration); the others ran once, after it
  expect(byName).toEqual({
    prepare: ['SUCCESS', 1, 'ready'],
    broken: ['SUCCESS', 1, 'fixed'],
    extra: ['SUCCESS', 1, 'new'],
    after: ['SUCCESS', 1, 'after'],
  });
  // the run is on the newest revision now: nothing left to migrate to
  await expect(page.locator('button[data-op="migrate"]')).toHaveCount(0);
});

test('a viewer sees the migrate action disabled with the reason; a running run cannot be migrated', async ({ page, browser }) => {
  const id = uniqueId('migrate-view');
  const email = `${uniqueId('viewer')}@example.com`;
  await page.goto('/');
  await createFlow(page, brokenFlow(id, 1, false));
  await api(page, 'users.create', { email, name: 'Vee', role: 'viewer', password: 'viewer-password-1' });
  const { id: runId } = await api<{ id: string }>(page, 'runs.start', { flowId: id, inputs: {} });
  await api(page, 'flows.saveRevision', { flowId: id, baseRevision: 1, definition: brokenFlow(id, 2, true) });

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const viewer = await context.newPage();
  await viewer.goto(`/runs/${runId}`);
  await viewer.getByLabel('Email').fill(email);
  await viewer.getByLabel('Password').fill('viewer-password-1');
  await viewer.getByRole('button', { name: 'Sign in' }).click();
  await expect(viewer.getByTestId('run-state')).toHaveAttribute('data-state', 'FAILURE', { timeout: 20_000 });
  const button = viewer.locator('button[data-op="migrate"]');
  await expect(button).toBeDisabled();
  await expect(button).toHaveAttribute('title', /viewer/);
  await context.close();

  const slow = uniqueId('migrate-slow');
  await createFlow(page, {
    id: slow,
    revision: 1,
    root: { kind: 'linear', name: 'root', children: [{ name: 'nap', type: 'test.sleep', version: 1, config: { ms: 30_000 } }], edges: [] },
  });
  await api(page, 'flows.saveRevision', {
    flowId: slow,
    baseRevision: 1,
    definition: {
      id: slow,
      revision: 2,
      root: { kind: 'linear', name: 'root', children: [{ name: 'nap', type: 'test.sleep', version: 1, config: { ms: 10 } }], edges: [] },
    },
  });
  const { id: running } = await api<{ id: string }>(page, 'runs.start', { flowId: slow, revision: 1, inputs: {} });
  await page.goto(`/runs/${running}`);
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'RUNNING', { timeout: 20_000 });
  await expect(page.locator('button[data-op="migrate"]')).toBeDisabled();
  await expect(page.locator('button[data-op="migrate"]')).toHaveAttribute('title', /RUNNING: suspend it/);
  await api(page, 'runs.operate', { runId: running, op: { type: 'cancel' } });
});

test('a failed run of a flow with subflows migrates to the flow’s fixed revision: the diff of the expansions, then SUCCESS', async ({
  page,
}) => {
  const inner = uniqueId('mig-inner');
  const outer = uniqueId('mig-outer');
  const innerFlow = (fixed: boolean): Json => ({
    id: inner,
    root: {
      kind: 'linear',
      name: 'root',
      children: [
        { name: 'ok', type: 'test.echo', config: { value: 'one' } },
        fixed
          ? { name: 'step', type: 'test.echo', config: { value: 'fixed' } }
          : { name: 'step', type: 'test.fail', config: { revertFails: true } },
      ],
    },
  });
  const outerFlow = (more: Json[]): Json => ({
    id: outer,
    root: {
      kind: 'linear',
      name: 'root',
      children: [
        { name: 'first', type: 'test.echo', config: { value: 'first' } },
        { name: 'sub', type: 'subflow', config: { flowId: inner } },
        ...more,
      ],
    },
  });
  await page.goto('/');
  await createFlow(page, innerFlow(false));
  await createFlow(page, outerFlow([]));
  const { id: runId } = await api<{ id: string }>(page, 'runs.start', { flowId: outer, inputs: {} });
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'FAILURE', { timeout: 20_000 });
  await expect(page.locator('button[data-op="migrate"]')).toHaveCount(0);

  // the fix goes into the subflow; the flow itself gets a new revision (one more atom) to migrate to
  await api(page, 'flows.saveRevision', { flowId: inner, baseRevision: 1, definition: innerFlow(true) });
  // the fixed subflow alone already makes a target: the run's own revision, expanded again
  await page.reload();
  await expect(page.locator('button[data-op="migrate"]')).toHaveText(new RegExp(`Migrate to ${outer} r1 · with newer subflows`));
  await api(page, 'flows.saveRevision', {
    flowId: outer,
    baseRevision: 1,
    definition: outerFlow([{ name: 'last', type: 'test.echo', config: { value: 'last' } }]),
  });
  await page.reload();
  const migrate = page.locator('button[data-op="migrate"]');
  await expect(migrate).toHaveText(new RegExp(`Migrate to ${outer} r2 · with subflows`));
  await expect(migrate).toBeEnabled();
  await migrate.click();

  const dialog = page.getByTestId('migrate-dialog');
  await expect(dialog.getByTestId('diff-view').locator('.react-flow__node[data-id="last"]')).toBeVisible();
  const fate = (name: string) => dialog.locator(`[data-migrate-atom="${name}"]`);
  await expect(fate('first')).toHaveAttribute('data-fate', 'keeps');
  await expect(fate('sub.ok')).toHaveAttribute('data-fate', 'keeps');
  await expect(fate('sub.step')).toHaveAttribute('data-fate', 'version');
  await expect(fate('last')).toHaveAttribute('data-fate', 'new');
  await dialog.getByRole('button', { name: 'Migrate and continue' }).click();
  await expect(dialog.getByTestId('migrate-status')).toContainText('Migrated to r2', { timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();

  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'SUCCESS', { timeout: 20_000 });
  await expect(page.locator('button[data-op="migrate"]')).toHaveCount(0, { timeout: 20_000 });
  const got = await api<RunGet & { run: { flowId: string } }>(page, 'runs.get', { runId }, 'query');
  expect([got.run.flowId, got.run.revision]).toEqual([`${outer}.expanded`, 2]);
  const byName = Object.fromEntries(got.atoms.map((a) => [a.name, [a.state, a.attempts, a.result]]));
  // what had succeeded kept its result (executed once, before the migration)
  expect(byName).toEqual({
    first: ['SUCCESS', 1, 'first'],
    'sub.ok': ['SUCCESS', 1, 'one'],
    'sub.step': ['SUCCESS', 1, 'fixed'],
    last: ['SUCCESS', 1, 'last'],
  });
});
