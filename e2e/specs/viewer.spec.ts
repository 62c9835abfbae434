import { expect, test } from '@playwright/test';

import { orderFlow } from '../fixtures/flows';
import { api, createFlow, node, uniqueId } from '../fixtures/helpers';

test('a viewer sees flows read-only: no palette, no save, no run, disabled fields', async ({ page, browser }) => {
  const id = uniqueId('viewed');
  const email = `${uniqueId('viewer')}@example.com`;
  await page.goto('/');
  await createFlow(page, orderFlow(id));
  await api(page, 'users.create', { email, name: 'Vera Viewer', role: 'viewer', password: 'viewer-password-1' });

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const viewer = await context.newPage();
  await viewer.goto(`/flows/${id}`);
  await expect(viewer).toHaveURL(/\/login\?next=/);
  await viewer.getByLabel('Email').fill(email);
  await viewer.getByLabel('Password').fill('viewer-password-1');
  await viewer.getByRole('button', { name: 'Sign in' }).click();
  await expect(viewer).toHaveURL(new RegExp(`/flows/${id}$`));
  await expect(viewer.getByTestId('save-status')).toContainText('read-only');
  await expect(viewer.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: '▶ Run' })).toHaveCount(0);
  await expect(viewer.getByLabel('Atom palette')).toHaveCount(0);
  await node(viewer, 'receive').click();
  await expect(viewer.locator('#atom-name')).toBeDisabled();
  await viewer.goto('/');
  await expect(viewer.getByRole('button', { name: '+ New flow' })).toHaveCount(0);
  await context.close();
});
