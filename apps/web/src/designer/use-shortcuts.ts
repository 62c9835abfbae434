'use client';

import { useEffect, useRef } from 'react';

export interface Shortcuts {
  undo(): void;
  redo(): void;
  copy(): void;
  paste(): void;
  duplicate(): void;
  remove(): void;
  save(): void;
  fitView(): void;
  focusPalette(): void;
  selectAll(): void;
  clearSelection(): void;
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

/** The designer's keyboard: Ctrl/Cmd+Z, Shift+Z, C, V, D, S, A, Delete, F, /, Escape. */
export function useShortcuts(actions: Shortcuts): void {
  const ref = useRef(actions);
  ref.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = ref.current;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        a.save();
        return;
      }
      if (typing(e.target) || document.querySelector('[role="dialog"]')) return;
      if (mod && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) a.redo();
        else a.undo();
      } else if (mod && key === 'y') {
        e.preventDefault();
        a.redo();
      } else if (mod && key === 'c') a.copy();
      else if (mod && key === 'v') {
        e.preventDefault();
        a.paste();
      } else if (mod && key === 'd') {
        e.preventDefault();
        a.duplicate();
      } else if (mod && key === 'a') {
        e.preventDefault();
        a.selectAll();
      } else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) {
        e.preventDefault();
        a.remove();
      } else if (!mod && key === 'f') a.fitView();
      else if (!mod && e.key === '/') {
        e.preventDefault();
        a.focusPalette();
      } else if (e.key === 'Escape') a.clearSelection();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
