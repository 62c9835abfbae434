import { expect, test, type Page } from '@playwright/test';

import { api, uniqueId } from '../fixtures/helpers';
import { OwnServer } from '../fixtures/own-server';
import { TcpProxy } from '../fixtures/tcp-proxy';

type Json = Record<string, unknown>;

/** s1 → s2 → … → sN, each holding its worker for `ms`. */
const slowChain = (id: string, n: number, ms: number): Json => {
  const names = Array.from({ length: n }, (_, i) => `s${i + 1}`);
  return {
    id,
    revision: 1,
    name: 'Slow chain',
    root: {
      kind: 'linear',
      name: 'root',
      children: names.map((name) => ({ name, type: 'test.sleep', version: 1, config: { ms, value: name } })),
      edges: [],
    },
    ui: { positions: Object.fromEntries(names.map((name, i) => [name, { x: 260 * i, y: 0 }])) },
  };
};

const atomNode = (page: Page, name: string) => page.locator(`.react-flow__node[data-id="${name}"] .atom-node`);
const runState = (page: Page) => page.getByTestId('run-state');

interface RunData {
  lastSeq: number;
  atoms: Array<{ name: string; state: string; attempts: number }>;
}

/** The seqs of the event log's rows, in page order. */
async function shownSeqs(page: Page): Promise<number[]> {
  await page.getByRole('tab', { name: /Events/ }).click();
  return page.locator('[data-testid="event-log"] tr[data-seq]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));
}

/** Every event of the run once, in seq order, as the server has them: 1 … lastSeq. */
async function expectEveryEventOnce(page: Page, runId: string): Promise<void> {
  const data = await api<RunData>(page, 'runs.get', { runId }, 'query');
  await expect.poll(() => shownSeqs(page)).toEqual(Array.from({ length: data.lastSeq }, (_, i) => i + 1));
}

function executions(server: OwnServer): Map<string, number> {
  const count = new Map<string, number>();
  for (const c of server.calls()) if (c.fn === 'execute') count.set(c.atom, (count.get(c.atom) ?? 0) + 1);
  return count;
}

test.describe('the run page survives its server', () => {
  test.describe.configure({ timeout: 150_000 });
  let server: OwnServer;
  test.use({ storageState: { cookies: [], origins: [] } });
  test.beforeEach(async () => {
    server = await OwnServer.start();
  });
  test.afterEach(async () => {
    await server.kill();
  });

  test('SIGKILL mid-run, start again: the page shows it reconnecting, catches up, the run succeeds, no succeeded atom runs twice', async ({
    page,
  }) => {
    await server.signIn(page);
    const id = uniqueId('restart');
    await api(page, 'flows.create', { definition: slowChain(id, 6, 1200) });
    const { id: runId } = await api<{ id: string }>(page, 'runs.start', { flowId: id, inputs: {} });
    await page.goto(`${server.url}/runs/${runId}`);
    await expect(page.getByTestId('live-status')).toHaveAttribute('data-live', 'live');

    // kill it while s3 is RUNNING: s1 and s2 have succeeded
    await expect(atomNode(page, 's3')).toHaveAttribute('data-state', 'RUNNING', { timeout: 20_000 });
    await server.kill();
    const succeededBefore = ['s1', 's2'];
    for (const name of succeededBefore) await expect(atomNode(page, name)).toHaveAttribute('data-state', 'SUCCESS');

    // the user sees that the live view is stale while the server is down
    await expect(page.getByTestId('live-status')).toHaveAttribute('data-live', 'reconnecting', { timeout: 10_000 });
    await expect(page.getByTestId('live-status')).toContainText('reconnecting');
    await page.waitForTimeout(2_000);
    await expect(page.getByTestId('live-status')).toHaveAttribute('data-live', 'reconnecting');

    await server.boot();
    await expect(page.getByTestId('live-status')).toHaveAttribute('data-live', 'live', { timeout: 20_000 });
    // the new process takes the run over once the dead worker's lease has run out
    await expect(runState(page)).toHaveAttribute('data-state', 'SUCCESS', { timeout: 60_000 });
    for (let i = 1; i <= 6; i++) await expect(atomNode(page, `s${i}`)).toHaveAttribute('data-state', 'SUCCESS');

    // atoms that had succeeded were not executed again; every execution is one the run counted
    const runs = executions(server);
    for (const name of succeededBefore) expect(runs.get(name), name).toBe(1);
    const data = await api<RunData>(page, 'runs.get', { runId }, 'query');
    for (const a of data.atoms) expect(runs.get(a.name) ?? 0, `${a.name} executions vs attempts`).toBe(a.attempts);
    // s3 was cut off mid-execution and ran again; the rest once each
    expect(runs.get('s3')).toBeGreaterThanOrEqual(1);
    for (const name of ['s4', 's5', 's6']) expect(runs.get(name), name).toBe(1);

    await expectEveryEventOnce(page, runId);
  });

  test('a network drop mid-run: the page shows it, catches up, nothing missed, nothing shown twice', async ({ page }) => {
    const proxy = await TcpProxy.start(server.port);
    try {
      await server.signIn(page, proxy.url);
      const id = uniqueId('offline');
      await api(page, 'flows.create', { definition: slowChain(id, 5, 800) });
      const { id: runId } = await api<{ id: string }>(page, 'runs.start', { flowId: id, inputs: {} });
      await page.goto(`${proxy.url}/runs/${runId}`);
      await expect(page.getByTestId('live-status')).toHaveAttribute('data-live', 'live');
      await expect(atomNode(page, 's2')).toHaveAttribute('data-state', 'RUNNING', { timeout: 20_000 });

      proxy.drop();
      await expect(page.getByTestId('live-status')).toHaveAttribute('data-live', 'reconnecting', { timeout: 10_000 });
      // the run goes on without the page: events it has to catch up on
      await page.waitForTimeout(2_500);
      const seenWhileDown = await shownSeqs(page);
      proxy.restore();

      await expect(page.getByTestId('live-status')).toHaveAttribute('data-live', 'live', { timeout: 20_000 });
      await expect(runState(page)).toHaveAttribute('data-state', 'SUCCESS', { timeout: 30_000 });
      const runs = executions(server);
      for (let i = 1; i <= 5; i++) expect(runs.get(`s${i}`), `s${i}`).toBe(1);
      await expectEveryEventOnce(page, runId);
      expect((await shownSeqs(page)).length).toBeGreaterThan(seenWhileDown.length);
    } finally {
      await proxy.close();
    }
  });
});
