import { expect, test, type Page } from '@playwright/test';

import { api, openDesigner, screenshot, uniqueId } from '../fixtures/helpers';

/**
 * Zoomed out below 40 % the canvas is painted into one <canvas> (FarCanvas), not a DOM node per atom.
 * What users do there must still work: see states in colour, hover to see what a box is, click to
 * select or open an atom, right-click for its operations, Shift-drag to select several, use the
 * minimap, and zoom back in to DOM nodes with the selection kept.
 */

const COLS = 12;
const N = 60;
/** The designer's atom box (apps/web geometry: ATOM_W × ATOM_H). */
const ATOM_W = 220;
const ATOM_H = 72;

function wideFlow(id: string): { definition: Record<string, unknown>; positions: Record<string, { x: number; y: number }> } {
  const positions: Record<string, { x: number; y: number }> = {};
  const children = Array.from({ length: N }, (_, i) => {
    positions[`a${i + 1}`] = { x: (i % COLS) * 320, y: Math.floor(i / COLS) * 160 };
    return { name: `a${i + 1}`, type: 'test.echo', version: 1, config: { value: i + 1 } };
  });
  return {
    definition: { id, revision: 1, name: 'Wide', root: { kind: 'unordered', name: 'root', children, edges: [] }, ui: { positions } },
    positions,
  };
}

/** The screen point of a flow point, through the viewport's transform. */
async function screenPoint(page: Page, at: { x: number; y: number }): Promise<{ x: number; y: number }> {
  return page.evaluate((at) => {
    const t = document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform;
    const m = /translate\(\s*([-\d.e]+)px,\s*([-\d.e]+)px\)\s*scale\(([\d.e]+)\)/.exec(t)!;
    const box = document.querySelector('.react-flow')!.getBoundingClientRect();
    const zoom = Number(m[3]);
    return { x: box.x + Number(m[1]) + at.x * zoom, y: box.y + Number(m[2]) + at.y * zoom };
  }, at);
}

/** The screen point of an atom's centre (`fy` down its height) at its layout position. */
function atomPoint(page: Page, at: { x: number; y: number }, fy = 0.5): Promise<{ x: number; y: number }> {
  return screenPoint(page, { x: at.x + ATOM_W / 2, y: at.y + ATOM_H * fy });
}

/** The far canvas's colour at a screen point, as `r,g,b`. */
async function pixel(page: Page, p: { x: number; y: number }): Promise<string> {
  return page.evaluate((p) => {
    const canvas = document.querySelector<HTMLCanvasElement>('.far-canvas')!;
    const r = canvas.getBoundingClientRect();
    const dpr = canvas.width / r.width;
    const d = canvas.getContext('2d')!.getImageData(Math.round((p.x - r.x) * dpr), Math.round((p.y - r.y) * dpr), 1, 1).data;
    return `${d[0]},${d[1]},${d[2]}`;
  }, p);
}

/** A CSS colour of the page's palette as `r,g,b`. */
async function paletteRgb(page: Page, variable: string): Promise<string> {
  return page.evaluate((variable) => {
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.fillStyle = getComputedStyle(document.documentElement).getPropertyValue(variable).trim();
    ctx.fillRect(0, 0, 1, 1);
    return Array.from(ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)).join(',');
  }, variable);
}

test('designer zoomed out: atoms painted, hover names one, click selects it, drag moves it (undoable), Shift-drag selects several, minimap moves the view, zooming in keeps the selection', async ({
  page,
}) => {
  const { definition, positions } = wideFlow(uniqueId('far'));
  await page.goto('/');
  await api(page, 'flows.create', { definition });
  await openDesigner(page, definition['id'] as string);

  const canvas = page.getByTestId('canvas');
  await expect(canvas).toHaveAttribute('data-zoom-far', 'true');
  await expect(page.getByTestId('far-canvas')).toHaveAttribute('data-atoms', String(N));
  // what a screen reader is told of the painted view
  await expect(page.getByRole('img', { name: `Zoomed-out view of ${N} atoms; zoom in to reach them one by one` })).toBeVisible();
  // no DOM node per atom, and the far canvas's own minimap instead of React Flow's
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await expect(page.getByTestId('far-minimap')).toBeVisible();
  await expect(page.locator('.react-flow__minimap')).toHaveCount(0);

  const a7 = await atomPoint(page, positions['a7']!);
  await page.mouse.move(a7.x, a7.y);
  await expect(page.getByTestId('far-tip')).toContainText('a7');
  await page.mouse.click(a7.x, a7.y);
  await expect(page.getByTestId('atom-inspector')).toHaveAttribute('data-atom', 'a7');
  await screenshot(page, 'designer-zoomed-out');

  // drag a7 down by half a row: painted there, the doc changed (undo enabled), undo puts it back
  const target = await screenPoint(page, { x: positions['a7']!.x + ATOM_W / 2, y: positions['a7']!.y + ATOM_H / 2 + 80 });
  await page.mouse.move(a7.x, a7.y);
  await page.mouse.down();
  await page.mouse.move(target.x, target.y, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByTestId('save-status')).toContainText('unsaved changes');
  // what is under the pointer is what was last painted: hover (wiggling, so each try is a new move) until it says
  const tipAt = (p: { x: number; y: number }) => {
    let wiggle = 0;
    return async (): Promise<string> => {
      await page.mouse.move(p.x, p.y + (wiggle++ % 2));
      return (await page.getByTestId('far-tip').count()) ? await page.getByTestId('far-tip').innerText() : '';
    };
  };
  await expect.poll(tipAt(target)).toContain('a7');
  await expect.poll(tipAt(a7)).toBe('');
  await page.getByRole('button', { name: /undo/i }).click();
  await expect.poll(tipAt(target)).toBe('');
  await expect.poll(tipAt(a7)).toContain('a7');

  // Shift-drag around a1..a3 (the first row's first three atoms)
  const from = await screenPoint(page, { x: positions['a1']!.x - 40, y: positions['a1']!.y - 40 });
  const to = await screenPoint(page, { x: positions['a3']!.x + ATOM_W + 40, y: positions['a3']!.y + ATOM_H + 40 });
  await page.keyboard.down('Shift');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(page.locator('.inspector h2')).toHaveText('3 selected');

  // a click on the minimap's corner centres the view there
  const before = await page.locator('.react-flow__viewport').getAttribute('style');
  const mini = (await page.getByTestId('far-minimap').boundingBox())!;
  await page.mouse.click(mini.x + mini.width - 8, mini.y + mini.height - 8);
  await expect.poll(() => page.locator('.react-flow__viewport').getAttribute('style')).not.toBe(before);

  // zoomed in (the wheel, around a2), atoms are DOM nodes again, still selected
  await page.keyboard.press('f');
  for (let i = 0; i < 12 && (await canvas.getAttribute('data-zoom-far')) === 'true'; i++) {
    const a2 = await atomPoint(page, positions['a2']!);
    await page.mouse.move(a2.x, a2.y);
    await page.mouse.wheel(0, -300);
    await page.waitForTimeout(100);
  }
  await expect(canvas).not.toHaveAttribute('data-zoom-far', 'true');
  await expect(page.getByTestId('far-canvas')).toHaveCount(0);
  await expect(page.locator('.react-flow__minimap')).toBeVisible();
  await expect(page.locator('.inspector h2')).toHaveText('3 selected');
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(3);
});

test('run page zoomed out: states painted in the palette, right-click opens the atom menu, click opens the drawer', async ({ page }) => {
  const { definition, positions } = wideFlow(uniqueId('far-run'));
  await page.goto('/');
  await api(page, 'flows.create', { definition });
  const { id: runId } = await api<{ id: string }>(page, 'runs.start', { flowId: definition['id'], inputs: {} });
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'SUCCESS', { timeout: 30_000 });
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-zoom-far', 'true');

  // below the middle of the box: the name (drawn when the zoom allows) sits in the upper half
  const a7 = await atomPoint(page, positions['a7']!, 0.8);
  const success = await paletteRgb(page, '--st-success');
  await expect.poll(() => pixel(page, a7)).toBe(success);
  await screenshot(page, 'run-zoomed-out');

  await page.mouse.click(a7.x, a7.y, { button: 'right' });
  const menu = page.getByTestId('context-menu');
  await expect(menu).toContainText('a7');
  await menu.getByRole('menuitem', { name: 'Details' }).click();
  await expect(page.getByTestId('atom-drawer')).toHaveAttribute('data-drawer-atom', 'a7');

  // a left click on another atom opens its drawer straight away
  await page.getByTestId('atom-drawer').getByRole('button', { name: /close/i }).click();
  const a12 = await atomPoint(page, positions['a12']!);
  await page.mouse.click(a12.x, a12.y);
  await expect(page.getByTestId('atom-drawer')).toHaveAttribute('data-drawer-atom', 'a12');
});

test('run page zoomed out: a running atom is painted in the running colour and its halo pulses', async ({ page }) => {
  const { definition, positions } = wideFlow(uniqueId('far-pulse'));
  const root = definition['root'] as { children: Array<Record<string, unknown>> };
  root.children[6] = { name: 'a7', type: 'test.sleep', version: 1, config: { ms: 6000, value: 7 } };
  await page.goto('/');
  await api(page, 'flows.create', { definition });
  const { id: runId } = await api<{ id: string }>(page, 'runs.start', { flowId: definition['id'], inputs: {} });
  await page.goto(`/runs/${runId}`);
  await expect(page.locator('[data-testid="run-atoms"] li[data-atom="a7"]')).toHaveAttribute('data-state', 'RUNNING');
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-zoom-far', 'true');

  const centre = await atomPoint(page, positions['a7']!, 0.8);
  await expect.poll(() => pixel(page, centre)).toBe(await paletteRgb(page, '--st-running'));
  // just outside the box's left side: the halo fades in and out
  const left = await screenPoint(page, positions['a7']!);
  const halo = { x: left.x - 3, y: centre.y };
  const seen = new Set<string>();
  for (let i = 0; i < 12; i++) {
    seen.add(await pixel(page, halo));
    await page.waitForTimeout(100);
  }
  expect(seen.size).toBeGreaterThan(2);
  // the tooltip says what it is and that it runs
  await page.mouse.move(centre.x, centre.y);
  await expect(page.getByTestId('far-tip')).toContainText('a7');
  await expect(page.getByTestId('far-tip')).toContainText('Running');
});

test('run page zoomed out: colour is not the only signal — a failed run’s reverted atoms are struck through', async ({ page }) => {
  const { definition, positions } = wideFlow(uniqueId('far-fail'));
  const root = definition['root'] as { children: Array<Record<string, unknown>> };
  root.children[6] = { name: 'a7', type: 'test.fail', version: 1, config: {} };
  await page.goto('/');
  await api(page, 'flows.create', { definition });
  const { id: runId } = await api<{ id: string }>(page, 'runs.start', { flowId: definition['id'], inputs: {} });
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId('run-state')).not.toHaveAttribute('data-state', /RUNNING|PENDING/, { timeout: 30_000 });
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-zoom-far', 'true');
  const state = await page.locator('[data-testid="run-atoms"] li[data-atom="a1"]').getAttribute('data-state');
  expect(state).toBe('REVERTED');
  // the box keeps its state's colour, with a white stroke through its middle
  const a1 = positions['a1']!;
  const fill = await paletteRgb(page, '--st-reverted');
  await expect.poll(async () => pixel(page, await atomPoint(page, a1, 0.85))).toBe(fill);
  // the stroke is thin and anti-aliased: clearly lighter than the fill, not necessarily pure white
  const sum = (rgb: string): number => rgb.split(',').reduce((n, v) => n + Number(v), 0);
  const middle = await pixel(page, await atomPoint(page, a1, 0.5));
  expect(sum(middle)).toBeGreaterThan(sum(fill) + 120);
  await screenshot(page, 'run-zoomed-out-reverted');
});
