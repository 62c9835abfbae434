import { describe, expect, it } from 'vitest';

import { atom, sample } from './fixtures';
import { historyReducer, initHistory, isDirty } from './history';

describe('historyReducer', () => {
  it('undoes and redoes edits; back at the saved doc it is clean again', () => {
    let h = initHistory(sample());
    h = historyReducer(h, { type: 'apply', changes: [{ type: 'add', parent: 'root', node: atom('e'), positions: {} }] });
    expect(isDirty(h)).toBe(true);
    h = historyReducer(h, { type: 'undo' });
    expect(isDirty(h)).toBe(false);
    expect(h.present.root.children).toHaveLength(3);
    h = historyReducer(h, { type: 'redo' });
    expect(h.present.root.children).toHaveLength(4);
    expect(historyReducer(h, { type: 'redo' })).toBe(h);
  });

  it('a new edit clears the redo stack; a no-op edit is not an undo step', () => {
    let h = initHistory(sample());
    h = historyReducer(h, { type: 'apply', changes: [{ type: 'remove', name: 'd' }] });
    h = historyReducer(h, { type: 'undo' });
    h = historyReducer(h, { type: 'apply', changes: [{ type: 'remove', name: 'a' }] });
    expect(h.future).toEqual([]);
    expect(historyReducer(h, { type: 'apply', changes: [{ type: 'remove', name: 'nope' }] })).toBe(h);
  });

  it('saving marks the doc clean and keeps the past', () => {
    let h = initHistory(sample());
    h = historyReducer(h, { type: 'apply', changes: [{ type: 'remove', name: 'd' }] });
    h = historyReducer(h, { type: 'saved', doc: { ...h.present, revision: 2 } });
    expect(isDirty(h)).toBe(false);
    expect(h.past).toHaveLength(1);
  });
});
