import { stateLook } from '../../lib/states';
import type { DiffMark } from '../doc/to-canvas';
import { PULSING, type FarAtom, type FarGroup, type FarScene } from './far-scene';

/**
 * Paints a FarScene into a 2D canvas: the zoomed-out canvas as one bitmap. Atoms are filled with
 * their state's colour (at this zoom a border is a fraction of a pixel, so colour must fill the
 * box to be seen), groups as their tinted containers, edges as thin step lines. Same-styled
 * shapes go into one path each: a 1,000-atom frame is a handful of fill and stroke calls.
 */

export interface FarPalette {
  /** a CSS variable's value (globals.css holds the palette); a fallback when absent */
  readonly cssVar: (name: string, fallback: string) => string;
}

export interface FarViewport {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
  readonly width: number;
  readonly height: number;
}

/** Colours the painter uses, read once from the page's CSS variables (one palette everywhere, UX.md). */
export interface FarColours {
  readonly state: (state: string) => string;
  readonly accent: string;
  readonly danger: string;
  readonly edge: string;
  readonly atomFill: string;
  readonly atomStroke: string;
  readonly pendingFill: string;
  readonly groupStroke: string;
  readonly groupFill: Readonly<Record<string, string>>;
  readonly muted: string;
  readonly text: string;
  readonly diffFill: Readonly<Record<DiffMark, string>>;
  readonly diffStroke: Readonly<Record<DiffMark, string>>;
}

export function farColours(p: FarPalette): FarColours {
  const st = (cls: string, fallback: string): string => p.cssVar(`--${cls}`, fallback);
  const success = st('st-success', '#2e9d4f');
  const failure = st('st-failure', '#d93025');
  const retrying = st('st-retrying', '#d99a06');
  const running = st('st-running', '#1e6fd9');
  // read once per look, not per atom per frame (getPropertyValue is a style lookup each time)
  const byClass = new Map<string, string>();
  return {
    state: (state) => {
      const cls = stateLook(state).className;
      let colour = byClass.get(cls);
      if (colour === undefined) byClass.set(cls, (colour = st(cls, '#9aa3ae')));
      return colour;
    },
    accent: p.cssVar('--accent', '#4f46e5'),
    danger: p.cssVar('--danger', '#c62828'),
    // React Flow's own edge colour (its stylesheet's variable)
    edge: p.cssVar('--xy-edge-stroke-default', '#b1b1b7'),
    atomFill: '#ffffff',
    atomStroke: p.cssVar('--node-border', '#c5ccd6'),
    pendingFill: '#e4e7ec',
    groupStroke: p.cssVar('--group-border', '#98a2b3'),
    // the DOM groups' tints (globals.css .flow-node), stronger: zoomed out they are thin slivers
    groupFill: { graph: 'rgba(238, 240, 255, 0.55)', linear: 'rgba(232, 245, 236, 0.55)', unordered: 'rgba(255, 244, 229, 0.6)' },
    muted: p.cssVar('--muted', '#6b7482'),
    text: p.cssVar('--text', '#1d2330'),
    diffFill: {
      added: p.cssVar('--diff-added-bg', '#effaf2'),
      removed: p.cssVar('--diff-removed-bg', '#fdf1f0'),
      changed: p.cssVar('--diff-changed-bg', '#fff9e8'),
      config: p.cssVar('--diff-config-bg', '#eef5ff'),
    },
    diffStroke: { added: success, removed: failure, changed: retrying, config: running },
  };
}

/**
 * Colour is never the only signal (UX.md): too small for its icon, a failed atom is crossed out and a
 * reverted one struck through, in white over its fill; an ignored one is dashed; labels carry the icon.
 */
export type StateGlyph = 'cross' | 'slash';
export function stateGlyph(state: string | undefined): StateGlyph | undefined {
  switch (state) {
    case 'FAILURE':
    case 'REVERT_FAILURE':
      return 'cross';
    case 'REVERTED':
      return 'slash';
    default:
      return undefined;
  }
}

/** States an atom is at rest in before or without running: drawn light, so what happens stands out. */
const QUIET = new Set(['PENDING', 'SUSPENDED']);

/** The fill of an atom: its state's colour in a run, white (or its diff tint) in the designer. */
export function atomFill(a: FarAtom, c: FarColours): string {
  if (a.state !== undefined) return QUIET.has(a.state) ? c.pendingFill : c.state(a.state);
  if (a.diff) return c.diffFill[a.diff];
  return c.atomFill;
}

/** Below this many screen pixels a corner radius is invisible: plain rectangles are cheaper. */
const MIN_RADIUS = 1.5;
/** Labels only while they can be read and there are few enough to draw every frame. */
const LABEL_MIN_ZOOM = 0.22;
const LABEL_MAX_ATOMS = 300;

type Rect = readonly [number, number, number, number];

function bucket<K>(map: Map<K, Rect[]>, key: K, r: Rect): void {
  const list = map.get(key);
  if (list) list.push(r);
  else map.set(key, [r]);
}

function addRect(ctx: CanvasRenderingContext2D, [x, y, w, h]: Rect, radius: number): void {
  if (radius >= MIN_RADIUS) ctx.roundRect(x, y, w, h, radius);
  else ctx.rect(x, y, w, h);
}

function fillAll(ctx: CanvasRenderingContext2D, buckets: Map<string, Rect[]>, radius: number): void {
  for (const [style, rects] of buckets) {
    ctx.fillStyle = style;
    ctx.beginPath();
    for (const r of rects) addRect(ctx, r, radius);
    ctx.fill();
  }
}

function strokeAll(
  ctx: CanvasRenderingContext2D,
  rects: readonly Rect[],
  style: string,
  width: number,
  radius: number,
  dash: number[] = [],
): void {
  if (!rects.length) return;
  ctx.strokeStyle = style;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.beginPath();
  for (const r of rects) addRect(ctx, r, radius);
  ctx.stroke();
  ctx.setLineDash([]);
}

function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, maxWidth: number): void {
  if (maxWidth < 16) return;
  let t = text;
  if (ctx.measureText(t).width > maxWidth) {
    while (t.length > 1 && ctx.measureText(`${t}…`).width > maxWidth) t = t.slice(0, -1);
    t = `${t}…`;
  }
  ctx.fillText(t, x, y);
}

/** The screen rectangle of a box, or null when it is entirely off screen. */
function onScreen(b: { x: number; y: number; w: number; h: number }, v: FarViewport): Rect | null {
  const x = v.x + b.x * v.zoom;
  const y = v.y + b.y * v.zoom;
  const w = b.w * v.zoom;
  const h = b.h * v.zoom;
  if (x + w < -8 || y + h < -8 || x > v.width + 8 || y > v.height + 8) return null;
  return [x, y, w, h];
}

function paintGroups(ctx: CanvasRenderingContext2D, groups: readonly FarGroup[], v: FarViewport, c: FarColours): void {
  const radius = 12 * v.zoom;
  for (const g of groups) {
    const r = onScreen(g, v);
    if (!r) continue;
    ctx.fillStyle = g.collapsed ? c.atomFill : g.diff ? c.diffFill[g.diff] : (c.groupFill[g.flowKind] ?? c.groupFill['graph']!);
    ctx.beginPath();
    addRect(ctx, r, radius);
    ctx.fill();
    const stroke = g.selected
      ? c.accent
      : g.problems
        ? c.danger
        : g.retryState
          ? c.state(g.retryState)
          : g.diff
            ? c.diffStroke[g.diff]
            : c.groupStroke;
    strokeAll(ctx, [r], stroke, g.selected || g.retryState ? 2 : 1, radius, g.selected || g.collapsed ? [] : [4, 3]);
  }
}

/** A group's name, with its retry controller (↻) and, in a run, its attempt k of n. */
export function groupLabel(g: FarGroup): string {
  return `${g.id}${g.retry ? ' ↻' : ''}${g.retryNote ? ` ${g.retryNote}` : ''}`;
}

/** Group names over everything else, on a light pill: what a glance at a zoomed-out flow reads first. */
function paintGroupNames(ctx: CanvasRenderingContext2D, groups: readonly FarGroup[], v: FarViewport, c: FarColours): void {
  ctx.font = '600 11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (const g of groups) {
    const r = onScreen(g, v);
    if (!r || r[2] < 60 || r[3] < 18) continue;
    const text = groupLabel(g);
    const width = Math.min(ctx.measureText(text).width, r[2] - 16) + 8;
    ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.fillRect(r[0] + 4, r[1] + 3, width, 15);
    ctx.fillStyle = g.selected ? c.accent : g.retryState ? c.state(g.retryState) : c.text;
    label(ctx, text, r[0] + 8, r[1] + 10.5, width - 8);
  }
}

/**
 * The corners of an edge drawn like React Flow's smoothstep edges, as flat x, y pairs ending at the
 * target: out of the source's right side and into the target's left side, a step at half way when the
 * target is to the right, around (out by `offset`, across between the two, in by `offset`) when it is not.
 */
export function edgePoints(x1: number, y1: number, x2: number, y2: number, offset: number): number[] {
  if (x2 >= x1 + 2 * offset) {
    const mx = (x1 + x2) / 2;
    return [mx, y1, mx, y2, x2, y2];
  }
  // same row: pass below both instead of through them
  const my = Math.abs(y2 - y1) < 1 ? y1 + 2 * offset : (y1 + y2) / 2;
  return [x1 + offset, y1, x1 + offset, my, x2 - offset, my, x2 - offset, y2, x2, y2];
}

function paintEdges(ctx: CanvasRenderingContext2D, scene: FarScene, v: FarViewport, c: FarColours): void {
  const groups: Array<{ style: string; width: number; dash: number[]; pick: (order: boolean, selected: boolean) => boolean }> = [
    { style: c.edge, width: 1, dash: [], pick: (order, selected) => !order && !selected },
    { style: c.edge, width: 1, dash: [4, 3], pick: (order, selected) => order && !selected },
    { style: c.accent, width: 2, dash: [], pick: (_order, selected) => selected },
  ];
  const head = 9 * v.zoom;
  // below ~2 px an arrowhead is a smudge: the step shape says the direction well enough
  const heads = head >= 2;
  for (const g of groups) {
    ctx.strokeStyle = g.style;
    ctx.fillStyle = g.style;
    ctx.lineWidth = g.width;
    ctx.setLineDash(g.dash);
    const headPath = new Path2D();
    ctx.beginPath();
    for (const e of scene.edges) {
      if (!g.pick(e.order, e.selected)) continue;
      const x1 = v.x + e.x1 * v.zoom;
      const y1 = v.y + e.y1 * v.zoom;
      const x2 = v.x + e.x2 * v.zoom;
      const y2 = v.y + e.y2 * v.zoom;
      if (Math.max(x1, x2) < 0 || Math.min(x1, x2) > v.width || Math.max(y1, y2) < 0 || Math.min(y1, y2) > v.height) continue;
      const points = edgePoints(x1, y1, x2, y2, 20 * v.zoom);
      ctx.moveTo(x1, y1);
      for (let k = 1; k < points.length; k += 2) ctx.lineTo(points[k - 1]!, points[k]!);
      if (heads) {
        headPath.moveTo(x2, y2);
        headPath.lineTo(x2 - head, y2 - head / 2);
        headPath.lineTo(x2 - head, y2 + head / 2);
      }
    }
    ctx.stroke();
    // fill closes each triangle by itself
    if (heads) ctx.fill(headPath);
  }
  ctx.setLineDash([]);
}

/** A running atom's halo: its colour, fading in and out over 1.2 s like the DOM node's (globals.css `pulse`). */
const PULSE_MS = 1200;
export function pulseAlpha(time: number): number {
  return 0.45 * (0.5 - 0.5 * Math.cos((2 * Math.PI * time) / PULSE_MS));
}

function paintAtoms(ctx: CanvasRenderingContext2D, atoms: readonly FarAtom[], v: FarViewport, c: FarColours, time: number): number {
  const radius = 8 * v.zoom;
  const fills = new Map<string, Rect[]>();
  const strokes = new Map<string, Rect[]>();
  const dashed = new Map<string, Rect[]>();
  const selected: Rect[] = [];
  const problems: Rect[] = [];
  const roots: Rect[] = [];
  const previews: Rect[] = [];
  const crossed: Rect[] = [];
  const slashed: Rect[] = [];
  const pulsing = new Map<string, Rect[]>();
  const shown: Array<[FarAtom, Rect]> = [];
  for (const a of atoms) {
    const r = onScreen(a, v);
    if (!r) continue;
    shown.push([a, r]);
    bucket(fills, atomFill(a, c), r);
    // a border only where it says something: white boxes need an edge, a removed atom is dashed
    if (a.diff === 'removed' || a.state === 'IGNORE' || a.state === 'CANCELLED')
      bucket(dashed, a.diff ? c.diffStroke[a.diff] : c.state(a.state!), r);
    else if (a.state === undefined || QUIET.has(a.state)) bucket(strokes, a.diff ? c.diffStroke[a.diff] : c.atomStroke, r);
    if (a.selected) selected.push(r);
    if (a.problems) problems.push(r);
    if (a.mark?.root) roots.push(r);
    if (a.mark?.preview) previews.push(r);
    if (a.state !== undefined && PULSING.has(a.state)) bucket(pulsing, c.state(a.state), r);
    const glyph = stateGlyph(a.state);
    if (glyph === 'cross') crossed.push(r);
    else if (glyph === 'slash') slashed.push(r);
  }
  // a box's outline `pad` pixels outside it: halos, problem / root-failure / preview / selection rings
  const ring = (rects: readonly Rect[], style: string, width: number, pad: number, dash: number[] = []): void =>
    strokeAll(
      ctx,
      rects.map(([x, y, w, h]) => [x - pad, y - pad, w + 2 * pad, h + 2 * pad] as const),
      style,
      width,
      radius + pad,
      dash,
    );
  const alpha = pulseAlpha(time);
  if (alpha > 0.02) {
    ctx.globalAlpha = alpha;
    for (const [style, rects] of pulsing) ring(rects, style, 4, 3);
    ctx.globalAlpha = 1;
  }
  fillAll(ctx, fills, radius);
  if (crossed.length || slashed.length) {
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
    ctx.lineWidth = Math.max(1.5, 2 * v.zoom);
    ctx.beginPath();
    // inset so the marks stay inside the rounded box
    for (const [x, y, w, h] of crossed) {
      const i = Math.min(w, h) * 0.2;
      ctx.moveTo(x + i, y + i);
      ctx.lineTo(x + w - i, y + h - i);
      ctx.moveTo(x + i, y + h - i);
      ctx.lineTo(x + w - i, y + i);
    }
    for (const [x, y, w, h] of slashed) {
      const i = Math.min(w, h) * 0.2;
      ctx.moveTo(x + i, y + h - i);
      ctx.lineTo(x + w - i, y + i);
    }
    ctx.stroke();
  }
  for (const [style, rects] of strokes) strokeAll(ctx, rects, style, 1, radius);
  for (const [style, rects] of dashed) strokeAll(ctx, rects, style, 1, radius, [3, 2]);
  ring(problems, c.danger, 2, 1);
  ring(roots, c.state('FAILURE'), 3, 3);
  ring(previews, c.accent, 2, 4, [4, 3]);
  ring(selected, c.accent, 2.5, 2);

  const [, , w0 = 0] = shown[0]?.[1] ?? [];
  if (v.zoom >= LABEL_MIN_ZOOM && shown.length <= LABEL_MAX_ATOMS && w0 >= 40) {
    ctx.font = '600 10px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (const [a, [x, y, w, h]] of shown) {
      ctx.fillStyle = a.state !== undefined && !QUIET.has(a.state) ? '#ffffff' : c.text;
      // in the upper half: the lower half stays the plain state colour (what a glance reads)
      label(ctx, a.state !== undefined ? `${stateLook(a.state).icon} ${a.id}` : a.id, x + 5, y + h * 0.32, w - 10);
    }
  }
  return shown.length;
}

/**
 * Clears and paints the whole scene for a viewport; returns how many atoms are on screen. `time`
 * (ms, any clock) sets the phase of running atoms' pulse.
 */
export function paintFar(ctx: CanvasRenderingContext2D, scene: FarScene, v: FarViewport, c: FarColours, time = 0): number {
  ctx.clearRect(0, 0, v.width, v.height);
  paintGroups(ctx, scene.groups, v, c);
  paintEdges(ctx, scene, v, c);
  const shown = paintAtoms(ctx, scene.atoms, v, c, time);
  paintGroupNames(ctx, scene.groups, v, c);
  return shown;
}

/** How a minimap maps flow coordinates to its pixels (kept from the last paint for its pointer). */
export interface MinimapMapping {
  readonly scale: number;
  readonly offsetX: number;
  readonly offsetY: number;
}

/**
 * The zoomed-out view's minimap (React Flow's cannot show nodes it is told are hidden): every atom
 * as a dot of its fill, groups as outlines, the visible area as the clear window in a grey mask.
 */
export function paintMinimap(
  ctx: CanvasRenderingContext2D,
  scene: FarScene,
  v: FarViewport,
  size: { readonly width: number; readonly height: number },
  c: FarColours,
): MinimapMapping {
  const view = { x: -v.x / v.zoom, y: -v.y / v.zoom, w: v.width / v.zoom, h: v.height / v.zoom };
  let x0 = view.x;
  let y0 = view.y;
  let x1 = view.x + view.w;
  let y1 = view.y + view.h;
  for (const b of [...scene.groups, ...scene.atoms]) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.w);
    y1 = Math.max(y1, b.y + b.h);
  }
  const pad = 5;
  const scale = Math.min((size.width - 2 * pad) / Math.max(1, x1 - x0), (size.height - 2 * pad) / Math.max(1, y1 - y0));
  // centred in the box
  const offsetX = (size.width - (x1 - x0) * scale) / 2 - x0 * scale;
  const offsetY = (size.height - (y1 - y0) * scale) / 2 - y0 * scale;
  const rect = (b: { x: number; y: number; w: number; h: number }): Rect => [
    offsetX + b.x * scale,
    offsetY + b.y * scale,
    b.w * scale,
    b.h * scale,
  ];
  ctx.clearRect(0, 0, size.width, size.height);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, size.width, size.height);
  strokeAll(ctx, scene.groups.map(rect), c.groupStroke, 1, 0);
  const fills = new Map<string, Rect[]>();
  for (const a of scene.atoms) {
    const [x, y, w, h] = rect(a);
    // at least a pixel: a 1,000-atom flow in 200 px still shows every atom
    bucket(fills, a.state === undefined && !a.diff ? c.atomStroke : atomFill(a, c), [x, y, Math.max(1, w), Math.max(1, h)]);
  }
  fillAll(ctx, fills, 0);
  // the mask: everything but the visible area, in four bands
  const [vx, vy, vw, vh] = rect(view);
  ctx.fillStyle = 'rgba(240, 240, 240, 0.6)';
  ctx.fillRect(0, 0, size.width, Math.max(0, vy));
  ctx.fillRect(0, vy + vh, size.width, Math.max(0, size.height - vy - vh));
  ctx.fillRect(0, vy, Math.max(0, vx), vh);
  ctx.fillRect(vx + vw, vy, Math.max(0, size.width - vx - vw), vh);
  strokeAll(ctx, [[vx, vy, vw, vh]], c.muted, 1, 0);
  return { scale, offsetX, offsetY };
}
