import { readFile } from 'node:fs/promises';

import { expect, test } from '@playwright/test';

import { piled } from '../fixtures/flows';
import { api, createFlow, openDesigner, uniqueId } from '../fixtures/helpers';

test('export then import gives the same flow; a bad file is explained', async ({ page }, testInfo) => {
  const id = uniqueId('roundtrip');
  await page.goto('/');
  await createFlow(page, piled(id));
  await openDesigner(page, id);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
  expect(download.suggestedFilename()).toBe(`${id}.r1.json`);
  const file = testInfo.outputPath('export.json');
  await download.saveAs(file);
  const exported = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const original = await api<{ revision: { definition: unknown } }>(page, 'flows.get', { flowId: id }, 'query');
  expect(exported).toEqual(original.revision.definition);

  // delete it, import the file: the same flow again
  await api(page, 'flows.delete', { flowId: id });
  await page.goto('/');
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page).toHaveURL(new RegExp(`/flows/${id}$`));
  const imported = await api<{ revision: { definition: unknown } }>(page, 'flows.get', { flowId: id }, 'query');
  expect(imported.revision.definition).toEqual(exported);
  await expect(page.locator('.react-flow__node-atom')).toHaveCount(5);

  // a broken file: nothing saved, and the reason with its path
  await page.goto('/');
  await page.getByTestId('import-file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({ id: 'broken', root: { kind: 'linear', name: 'root', children: [{ name: 'x', type: 'test.echo', version: 0 }] } }),
    ),
  });
  await expect(page.getByTestId('import-error')).toContainText('root.children.0');
  await page.keyboard.press('Escape');
  await page
    .getByTestId('import-file')
    .setInputFiles({ name: 'garbage.json', mimeType: 'application/json', buffer: Buffer.from('{"id": ') });
  await expect(page.getByTestId('import-error')).toContainText('not valid JSON');
});
