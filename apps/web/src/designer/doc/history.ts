import { applyChanges, type Change, type Doc } from './changes';

/** Undo/redo over immutable docs: every edit goes through `applyChanges`. */
export interface History {
  readonly past: readonly Doc[];
  readonly present: Doc;
  readonly future: readonly Doc[];
  /** The doc as last saved (or loaded): `present !== saved` means unsaved changes. */
  readonly saved: Doc;
}

export type HistoryAction =
  | { readonly type: 'apply'; readonly changes: readonly Change[] }
  | { readonly type: 'undo' }
  | { readonly type: 'redo' }
  | { readonly type: 'load'; readonly doc: Doc }
  | { readonly type: 'saved'; readonly doc: Doc };

const LIMIT = 200;

export function initHistory(doc: Doc): History {
  return { past: [], present: doc, future: [], saved: doc };
}

export function historyReducer(h: History, action: HistoryAction): History {
  switch (action.type) {
    case 'apply': {
      const next = applyChanges(h.present, action.changes);
      if (next === h.present) return h;
      return { ...h, past: [...h.past, h.present].slice(-LIMIT), present: next, future: [] };
    }
    case 'undo': {
      const prev = h.past[h.past.length - 1];
      if (!prev) return h;
      return { ...h, past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future] };
    }
    case 'redo': {
      const [next, ...rest] = h.future;
      if (!next) return h;
      return { ...h, past: [...h.past, h.present], present: next, future: rest };
    }
    case 'load':
      return initHistory(action.doc);
    case 'saved':
      // the saved revision number changes; undo keeps working on the edits before it
      return { ...h, present: action.doc, saved: action.doc };
    default: {
      const never: never = action;
      throw new Error(`unknown action ${JSON.stringify(never)}`);
    }
  }
}

export function isDirty(h: History): boolean {
  return h.present !== h.saved;
}
