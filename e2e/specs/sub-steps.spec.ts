import { expect, test, type Page } from '@playwright/test';

import { api, screenshot, uniqueId } from '../fixtures/helpers';
import { OwnServer, type Call } from '../fixtures/own-server';

/**
 * prepare → kopf → done, where kopf (test.steps) runs the sub-steps create_pod (succeeds at
 * once), is_ready (asks to be retried later until its 3rd attempt) and add_label (succeeds at
 * once), in the order written (neither alphabetical nor by length). As in Kopf's `execute`, a
 * sub-step retried later does not hold up the ones after it.
 */
const kopfFlow = (id: string, delayMs: number) => ({
  id,
  revision: 1,
  name: 'Kopf sub-steps',
  root: {
    kind: 'linear',
    name: 'root',
    children: [
      { name: 'prepare', type: 'test.echo', version: 1, config: { value: 'ready' } },
      { name: 'kopf', type: 'test.steps', version: 1, config: { steps: { create_pod: 1, is_ready: 3, add_label: 1 }, delayMs } },
      { name: 'done', type: 'test.echo', version: 1, config: { value: 'done' } },
    ],
    edges: [],
  },
  ui: { positions: { prepare: { x: 0, y: 0 }, kopf: { x: 300, y: 0 }, done: { x: 600, y: 0 } } },
});

const atomNode = (page: Page, name: string) => page.locator(`.react-flow__node[data-id="${name}"] .atom-node`);
const subStep = (page: Page, name: string) =>
  page.getByTestId('atom-drawer').locator(`[data-testid="substeps"] li[data-substep="${name}"]`);

/** The drawer's sub-steps as listed, top to bottom. */
const listedSubSteps = (page: Page) =>
  page
    .getByTestId('atom-drawer')
    .locator('[data-testid="substeps"] li')
    .evaluateAll((items) => items.map((li) => li.getAttribute('data-substep')));
/** The order they ran in: not alphabetical (add_label, create_pod, is_ready); is_ready, retried, keeps its place. */
const RUN_ORDER = ['create_pod', 'is_ready', 'add_label'];

/** The sub-step calls of the log as `step#attempt`, in call order. */
const stepCalls = (calls: readonly Call[]) =>
  calls.filter((c) => c.atom === 'kopf' && c.fn === 'step').map((c) => `${c.step}#${c.attempt}`);
const count = (calls: readonly Call[], atom: string, fn: Call['fn']) => calls.filter((c) => c.atom === atom && c.fn === fn).length;

/** The drawer's sub-steps once the atom has succeeded: each SUCCESS with its attempts. */
async function expectSubStepsDone(page: Page): Promise<void> {
  for (const [name, attempts] of [
    ['create_pod', '1 attempt'],
    ['is_ready', '3 attempts'],
    ['add_label', '1 attempt'],
  ] as const) {
    await expect(subStep(page, name)).toHaveAttribute('data-state', 'SUCCESS');
    await expect(subStep(page, name)).toContainText(new RegExp(`${attempts}$`));
  }
  await expect(page.getByTestId('atom-drawer').getByTestId('result-section')).toContainText('"is_ready": 3');
  expect(await listedSubSteps(page)).toEqual(RUN_ORDER);
}

test.describe('Kopf-style sub-steps', () => {
  test.describe.configure({ timeout: 120_000 });
  let server: OwnServer;
  test.use({ storageState: { cookies: [], origins: [] } });
  test.beforeEach(async () => {
    server = await OwnServer.start();
  });
  test.afterEach(async () => {
    await server.kill();
  });

  test('sub-steps show their own state and attempts live; a retried one completes; each succeeded sub-step ran once', async ({ page }) => {
    await server.signIn(page);
    const id = uniqueId('kopf');
    await api(page, 'flows.create', { definition: kopfFlow(id, 1200) });
    const { id: runId } = await api<{ id: string }>(page, 'runs.start', { flowId: id, inputs: {} });
    await page.goto(`${server.url}/runs/${runId}`);
    await atomNode(page, 'kopf').click();
    const drawer = page.getByTestId('atom-drawer');
    await expect(drawer).toHaveAttribute('data-drawer-atom', 'kopf');

    // mid-way: create_pod and add_label done, is_ready asked to be retried later
    await expect(subStep(page, 'is_ready')).toHaveAttribute('data-state', 'RETRY_LATER', { timeout: 20_000 });
    for (const name of ['create_pod', 'add_label']) {
      await expect(subStep(page, name)).toHaveAttribute('data-state', 'SUCCESS');
      await expect(subStep(page, name)).toContainText(/1 attempt$/);
    }
    await expect(subStep(page, 'is_ready')).toContainText(/is_ready attempt \d of 3/);
    expect(await listedSubSteps(page)).toEqual(RUN_ORDER);
    await expect(atomNode(page, 'kopf')).toHaveAttribute('data-state', /WAITING|RUNNING/);
    await screenshot(page, '30-substeps-waiting');

    await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'SUCCESS', { timeout: 30_000 });
    await expect(atomNode(page, 'kopf')).toHaveAttribute('data-state', 'SUCCESS');
    await expectSubStepsDone(page);
    await screenshot(page, '31-substeps-done');

    const calls = server.calls();
    expect(stepCalls(calls)).toEqual(['create_pod#1', 'is_ready#1', 'add_label#1', 'is_ready#2', 'is_ready#3']);
    // the body was entered once per is_ready attempt and left once
    expect(count(calls, 'kopf', 'execute')).toBe(3);
    expect(count(calls, 'kopf', 'leave')).toBe(1);
    expect(count(calls, 'prepare', 'execute')).toBe(1);
    expect(count(calls, 'done', 'execute')).toBe(1);
  });

  test('SIGKILL while a sub-step waits to be retried: after the restart the succeeded sub-steps are not called again, attempts carry on', async ({
    page,
  }) => {
    await server.signIn(page);
    const id = uniqueId('kopf-kill');
    await api(page, 'flows.create', { definition: kopfFlow(id, 2500) });
    const { id: runId } = await api<{ id: string }>(page, 'runs.start', { flowId: id, inputs: {} });
    await page.goto(`${server.url}/runs/${runId}`);
    await atomNode(page, 'kopf').click();
    await expect(subStep(page, 'is_ready')).toHaveAttribute('data-state', 'RETRY_LATER', { timeout: 20_000 });
    await expect(subStep(page, 'create_pod')).toHaveAttribute('data-state', 'SUCCESS');

    await server.kill();
    expect(stepCalls(server.calls())).toEqual(['create_pod#1', 'is_ready#1', 'add_label#1']);
    await server.boot();

    await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'SUCCESS', { timeout: 60_000 });
    await expectSubStepsDone(page);
    const calls = server.calls();
    // attempts carry on across the restart; create_pod and add_label ran once in all
    expect(stepCalls(calls)).toEqual(['create_pod#1', 'is_ready#1', 'add_label#1', 'is_ready#2', 'is_ready#3']);
    expect(count(calls, 'kopf', 'leave')).toBe(1);
    expect(count(calls, 'prepare', 'execute')).toBe(1);
    expect(count(calls, 'done', 'execute')).toBe(1);
  });
});
