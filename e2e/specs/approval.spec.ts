import { expect, test, type Page } from '@playwright/test';

import { api, createFlow, screenshot, uniqueId } from '../fixtures/helpers';

/** prepare → gate (an approval with a form) → pay (takes what the approver entered). */
const refundFlow = (id: string) => ({
  id,
  name: 'Refund approval',
  root: {
    kind: 'linear',
    name: 'root',
    children: [
      { name: 'prepare', type: 'test.echo', config: { value: 'prepared' } },
      {
        name: 'gate',
        type: 'approval',
        version: 1,
        config: {
          title: 'Approve the refund',
          instructions: 'Check the order before refunding.',
          // fields in an order that is neither alphabetical, by length, nor required-first: the form keeps it
          form: {
            type: 'object',
            properties: { ticket: { type: 'string' }, amount: { type: 'number' }, note: { type: 'string' } },
            required: ['amount'],
          },
        },
        provides: 'decision',
      },
      { name: 'pay', type: 'test.echo', requires: ['decision'], config: { pick: 'decision' } },
    ],
  },
});

const atomNode = (page: Page, name: string) => page.locator(`.react-flow__node[data-id="${name}"] .atom-node`);
const runState = (page: Page) => page.getByTestId('run-state');

async function waitingRun(page: Page, id: string): Promise<string> {
  await page.goto('/');
  await createFlow(page, refundFlow(id));
  const run = await api<{ id: string }>(page, 'runs.start', { flowId: id, inputs: {} });
  await page.goto(`/runs/${run.id}`);
  await expect(runState(page)).toHaveAttribute('data-state', 'WAITING', { timeout: 20_000 });
  await expect(atomNode(page, 'gate')).toHaveAttribute('data-state', 'WAITING');
  await expect(atomNode(page, 'gate')).toContainText('awaiting approval');
  return run.id;
}

test('an approval gate waits; approving it in its form lets the run finish with the entered value', async ({ page }) => {
  const id = uniqueId('refund');
  const runId = await waitingRun(page, id);

  // the runs list says the run awaits a person
  await page.goto(`/runs?flowId=${encodeURIComponent(id)}`);
  await expect(page.locator(`tr[data-run="${runId}"]`)).toContainText('awaiting approval');
  await page.goto(`/runs/${runId}`);

  await atomNode(page, 'gate').click();
  const drawer = page.getByTestId('atom-drawer');
  const section = drawer.getByTestId('approval-section');
  await expect(section).toHaveAttribute('data-awaiting', 'true');
  await expect(section).toContainText('Approve the refund');
  await expect(section).toContainText('Check the order before refunding.');
  await screenshot(page, '40-approval-waiting');

  await section.locator('button[data-op="approve"]').click();
  const confirm = page.getByTestId('confirm-op');
  await expect(confirm.getByTestId('touched')).toContainText('gate');
  await expect(atomNode(page, 'gate')).toHaveAttribute('data-preview', 'SUCCESS');
  // the form's fields come in the order the flow's author wrote them
  const fieldIds = await confirm.locator('input[id^="cfg-"], textarea[id^="cfg-"]').evaluateAll((els) => els.map((e) => e.id));
  expect(fieldIds).toEqual(['cfg-ticket', 'cfg-amount', 'cfg-note']);
  // the required amount left empty: an inline error, nothing sent
  await confirm.getByRole('button', { name: /Confirm approve/ }).click();
  await expect(confirm.locator('.field-error')).toContainText('required');
  await expect(runState(page)).toHaveAttribute('data-state', 'WAITING');

  await confirm.getByLabel('Amount').fill('42.5');
  await confirm.getByLabel('Amount').press('Tab');
  await confirm.getByLabel('Note').fill('refund approved');
  await confirm.getByLabel('Note').press('Tab');
  await screenshot(page, '41-approval-form');
  await confirm.getByRole('button', { name: /Confirm approve/ }).click();
  await expect(confirm).toHaveCount(0);

  await expect(runState(page)).toHaveAttribute('data-state', 'SUCCESS', { timeout: 20_000 });
  await expect(atomNode(page, 'gate')).toHaveAttribute('data-state', 'SUCCESS');
  await expect(atomNode(page, 'pay')).toHaveAttribute('data-state', 'SUCCESS');
  await expect(drawer.getByTestId('result-section')).toContainText('"amount": 42.5');
  await expect(drawer.getByTestId('result-section')).toContainText('"note": "refund approved"');
  await expect(section.getByTestId('approval-decision')).toContainText('Approved by admin@localhost');
  const run = await api<{ atoms: Array<{ name: string; result: unknown }> }>(page, 'runs.get', { runId }, 'query');
  expect(run.atoms.find((a) => a.name === 'gate')?.result).toEqual({ amount: 42.5, note: 'refund approved' });
  expect(run.atoms.find((a) => a.name === 'pay')?.result).toEqual({ amount: 42.5, note: 'refund approved' });
  await screenshot(page, '42-approval-approved');
});

test('rejecting an approval gate with a reason fails it and reverts what ran before it', async ({ page }) => {
  const id = uniqueId('refund-no');
  await waitingRun(page, id);
  // from the canvas context menu this time
  await atomNode(page, 'gate').click({ button: 'right' });
  await page.getByTestId('context-menu').locator('button[data-op="reject"]').click();
  const confirm = page.getByTestId('confirm-op');
  // the preview says what the rejection reverts
  await expect(confirm.locator('[data-touched="prepare"]')).toContainText('then revert');
  await confirm.getByLabel('Reason').fill('customer already refunded');
  await confirm.getByRole('button', { name: /Confirm reject/ }).click();

  await expect(runState(page)).toHaveAttribute('data-state', 'REVERTED', { timeout: 20_000 });
  await expect(atomNode(page, 'gate')).toHaveAttribute('data-state', 'REVERTED');
  await expect(atomNode(page, 'prepare')).toHaveAttribute('data-state', 'REVERTED');
  await expect(atomNode(page, 'pay')).toHaveAttribute('data-state', 'PENDING');
  await expect(page.locator('.run-failure')).toContainText('ApprovalRejected');
  await expect(page.locator('.run-failure')).toContainText('customer already refunded');
  await atomNode(page, 'gate').click();
  const section = page.getByTestId('approval-section');
  await expect(section).toHaveAttribute('data-awaiting', 'false');
  await expect(section.getByTestId('approval-decision')).toContainText('Rejected by admin@localhost');
  await screenshot(page, '43-approval-rejected');
});

test('a viewer sees the gate awaiting approval but cannot decide, and is told why', async ({ page, browser }) => {
  const id = uniqueId('refund-view');
  const runId = await waitingRun(page, id);
  const email = `${uniqueId('viewer')}@example.com`;
  await api(page, 'users.create', { email, name: 'Vic Viewer', role: 'viewer', password: 'viewer-password-1' });
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const viewer = await context.newPage();
  await viewer.goto(`/runs/${runId}`);
  await viewer.getByLabel('Email').fill(email);
  await viewer.getByLabel('Password').fill('viewer-password-1');
  await viewer.getByRole('button', { name: 'Sign in' }).click();
  await expect(atomNode(viewer, 'gate')).toContainText('awaiting approval', { timeout: 20_000 });
  await atomNode(viewer, 'gate').click();
  const section = viewer.getByTestId('approval-section');
  for (const op of ['approve', 'reject']) {
    const button = section.locator(`button[data-op="${op}"]`);
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute('title', 'your role (viewer) can only watch runs');
  }
  await context.close();
});
