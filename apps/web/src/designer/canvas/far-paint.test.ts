import { describe, expect, it } from 'vitest';

import { atomFill, edgePoints, farColours, groupLabel, pulseAlpha, stateGlyph } from './far-paint';
import type { FarAtom, FarGroup } from './far-scene';

const palette = new Map([
  ['--st-running', '#1e6fd9'],
  ['--st-success', '#2e9d4f'],
  ['--st-failure', '#d93025'],
  ['--st-waiting', '#0d9488'],
]);
const colours = farColours({ cssVar: (name, fallback) => palette.get(name) ?? fallback });

const atom = (extra: Partial<FarAtom>): FarAtom => ({
  kind: 'atom',
  id: 'a',
  type: 't',
  x: 0,
  y: 0,
  w: 220,
  h: 72,
  selected: false,
  problems: 0,
  diff: undefined,
  state: undefined,
  mark: undefined,
  ...extra,
});

describe('far canvas colours', () => {
  it("fills an atom of a run with its state's colour from the page palette", () => {
    expect(atomFill(atom({ state: 'RUNNING' }), colours)).toBe('#1e6fd9');
    expect(atomFill(atom({ state: 'SUCCESS' }), colours)).toBe('#2e9d4f');
    expect(atomFill(atom({ state: 'FAILURE' }), colours)).toBe('#d93025');
    // states sharing a look share its colour (RESUMING looks like RUNNING)
    expect(atomFill(atom({ state: 'RESUMING' }), colours)).toBe('#1e6fd9');
  });

  it('keeps atoms at rest light, so what runs stands out', () => {
    expect(atomFill(atom({ state: 'PENDING' }), colours)).toBe(colours.pendingFill);
    expect(atomFill(atom({ state: 'SUSPENDED' }), colours)).toBe(colours.pendingFill);
    expect(colours.pendingFill).not.toBe(colours.state('RUNNING'));
  });

  it('fills designer atoms white, or with their diff tint', () => {
    expect(atomFill(atom({}), colours)).toBe('#ffffff');
    expect(atomFill(atom({ diff: 'added' }), colours)).toBe(colours.diffFill.added);
    expect(atomFill(atom({ diff: 'removed' }), colours)).not.toBe(atomFill(atom({ diff: 'added' }), colours));
  });

  it('falls back to the built-in palette when the page has no variable', () => {
    const bare = farColours({ cssVar: (_n, fallback) => fallback });
    expect(bare.state('REVERTED')).toBe('#9aa3ae');
    expect(bare.accent).toBe('#4f46e5');
  });
});

describe('far canvas colours, read once', () => {
  it('looks each state colour up once, not per atom per frame', () => {
    let reads = 0;
    const c = farColours({
      cssVar: (_n, fallback) => {
        reads++;
        return fallback;
      },
    });
    const before = reads;
    for (let i = 0; i < 1000; i++) c.state(i % 2 ? 'RUNNING' : 'SUCCESS');
    expect(reads - before).toBe(2);
  });
});

describe('far canvas running pulse and group labels', () => {
  it('fades a running halo in and out over 1.2 s', () => {
    expect(pulseAlpha(0)).toBeCloseTo(0, 5);
    expect(pulseAlpha(600)).toBeGreaterThan(0.4);
    expect(pulseAlpha(1200)).toBeCloseTo(0, 5);
    expect(pulseAlpha(300)).toBeGreaterThan(0);
    expect(pulseAlpha(300)).toBeLessThan(pulseAlpha(600));
  });

  it("names a group with its retry controller and, in a run, the controller's attempt", () => {
    const g = (extra: Partial<FarGroup>): FarGroup => ({
      kind: 'flow',
      id: 'payments',
      x: 0,
      y: 0,
      w: 400,
      h: 200,
      selected: false,
      problems: 0,
      diff: undefined,
      flowKind: 'linear',
      collapsed: false,
      depth: 0,
      retryState: undefined,
      retryNote: undefined,
      retry: false,
      ...extra,
    });
    expect(groupLabel(g({}))).toBe('payments');
    expect(groupLabel(g({ retry: true }))).toBe('payments ↻');
    expect(groupLabel(g({ retry: true, retryNote: 'attempt 2 of 3' }))).toBe('payments ↻ attempt 2 of 3');
  });
});

describe('far canvas edges', () => {
  it('steps at half way to a target on the right', () => {
    expect(edgePoints(0, 0, 100, 40, 5)).toEqual([50, 0, 50, 40, 100, 40]);
  });

  it('goes around to a target on the left or below: out, across between the two, in', () => {
    expect(edgePoints(100, 0, 0, 60, 5)).toEqual([105, 0, 105, 30, -5, 30, -5, 60, 0, 60]);
  });

  it('passes below both boxes to a target on the left in the same row', () => {
    const p = edgePoints(100, 10, 0, 10, 5);
    expect(p.slice(2, 4)).toEqual([105, 20]);
    expect(p.slice(-2)).toEqual([0, 10]);
  });
});

describe('far canvas: colour is not the only signal', () => {
  it('crosses out failed atoms and strikes through reverted ones; others carry no mark', () => {
    expect(stateGlyph('FAILURE')).toBe('cross');
    expect(stateGlyph('REVERT_FAILURE')).toBe('cross');
    expect(stateGlyph('REVERTED')).toBe('slash');
    for (const state of ['SUCCESS', 'RUNNING', 'PENDING', 'WAITING', undefined]) expect(stateGlyph(state)).toBeUndefined();
  });
});
