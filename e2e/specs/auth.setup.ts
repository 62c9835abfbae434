import { join } from 'node:path';

import { expect, test as setup } from '@playwright/test';

import { screenshot } from '../fixtures/helpers';

setup('sign in as the admin', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await screenshot(page, '01-login');
  await page.getByLabel('Email').fill('admin@localhost');
  await page.getByLabel('Password').fill(process.env['E2E_ADMIN_PASSWORD']!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Flows', exact: true })).toBeVisible();
  await page.context().storageState({ path: join(process.env['E2E_DATA_DIR']!, 'admin.json') });
});
