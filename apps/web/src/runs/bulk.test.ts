import { describe, expect, it } from 'vitest';

import { bulkBlocker, clickSelect, runBlocker, toggleAll } from './bulk';

const rows = ['a', 'b', 'c', 'd', 'e'];

describe('bulk selection', () => {
  it('a click toggles one row; a shift-click selects the range from the anchor, in either direction', () => {
    let s = clickSelect(new Set(), rows, 'b', false, undefined);
    expect([...s.selected]).toEqual(['b']);
    s = clickSelect(s.selected, rows, 'd', true, s.anchor);
    expect([...s.selected].sort()).toEqual(['b', 'c', 'd']);
    s = clickSelect(s.selected, rows, 'a', true, 'c');
    expect([...s.selected].sort()).toEqual(['a', 'b', 'c', 'd']);
    // shift-clicking a selected row clears the range
    s = clickSelect(s.selected, rows, 'c', true, 'a');
    expect([...s.selected]).toEqual(['d']);
    expect(clickSelect(new Set(['x']), rows, 'e', true, 'gone').selected).toEqual(new Set(['x', 'e']));
  });

  it('select-all selects the rows shown, or clears them when all are selected', () => {
    expect(toggleAll(new Set(['a']), rows)).toEqual(new Set(rows));
    expect(toggleAll(new Set([...rows, 'other']), rows)).toEqual(new Set(['other']));
    expect(toggleAll(new Set(), [])).toEqual(new Set());
  });
});

describe('bulk actions', () => {
  it('follow the engine’s state rules', () => {
    expect(runBlocker('retryFromFailure', 'REVERTED')).toBeUndefined();
    expect(runBlocker('retryFromFailure', 'SUCCESS')).toMatch(/SUCCESS: only FAILURE, REVERTED or CANCELLED/);
    expect(runBlocker('cancel', 'RUNNING')).toBeUndefined();
    expect(runBlocker('cancel', 'SUSPENDED')).toBeUndefined();
    expect(runBlocker('cancel', 'SUCCESS')).toMatch(/cannot be cancelled/);
  });

  it('are enabled only when every selected run allows them, and say which runs do not', () => {
    const sel = [
      { id: 'aaaaaaaa-1', state: 'FAILURE' },
      { id: 'bbbbbbbb-2', state: 'SUCCESS' },
    ];
    expect(bulkBlocker('retryFromFailure', sel.slice(0, 1), true, 'operator')).toBeUndefined();
    expect(bulkBlocker('retryFromFailure', sel, true, 'operator')).toBe(
      'run bbbbbbbb is SUCCESS: only FAILURE, REVERTED or CANCELLED runs can be retried',
    );
    expect(bulkBlocker('cancel', sel, true, 'operator')).toBe('run bbbbbbbb is SUCCESS: it cannot be cancelled');
    expect(bulkBlocker('cancel', [], true, 'operator')).toBe('select runs first');
    expect(bulkBlocker('cancel', sel, false, 'viewer')).toBe('your role (viewer) can only watch runs');
  });
});
