'use client';

import { createContext, useContext, useSyncExternalStore } from 'react';

import type { AtomMark } from '../doc/to-canvas';

/** What a run view shows on an atom node, live. */
export interface NodeLive {
  readonly state: string | undefined;
  readonly mark: AtomMark | undefined;
}

const sameMark = (a: AtomMark | undefined, b: AtomMark | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.note === b.note && a.root === b.root && a.preview === b.preview);

/**
 * Live atom states and marks for the canvas, outside React Flow's nodes: a state change re-renders
 * only the node it concerns (each node subscribes to its own name), with no update of React
 * Flow's store — whose every update runs a selector per node and edge of the flow.
 */
export class LiveNodes {
  private readonly current = new Map<string, NodeLive>();
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly anyListeners = new Set<() => void>();

  /** Takes the new states and marks; tells only the nodes whose state or mark changed. */
  set(states: Readonly<Record<string, string>>, marks: Readonly<Record<string, AtomMark>>): void {
    const names = new Set([...this.current.keys(), ...Object.keys(states), ...Object.keys(marks)]);
    const changed: string[] = [];
    for (const name of names) {
      const before = this.current.get(name);
      const next: NodeLive = { state: states[name], mark: marks[name] };
      if (before && before.state === next.state && sameMark(before.mark, next.mark)) continue;
      this.current.set(name, next);
      changed.push(name);
    }
    for (const name of changed) for (const fn of this.listeners.get(name) ?? []) fn();
    if (changed.length) for (const fn of this.anyListeners) fn();
  }

  /** The same object until the node's state or mark changes (a useSyncExternalStore snapshot). */
  get(name: string): NodeLive | undefined {
    return this.current.get(name);
  }

  subscribe(name: string, fn: () => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Told once per `set` that changed anything (the zoomed-out canvas repaints all atoms at once). */
  subscribeAll(fn: () => void): () => void {
    this.anyListeners.add(fn);
    return () => this.anyListeners.delete(fn);
  }
}

export const LiveNodesContext = createContext<LiveNodes | null>(null);

const NONE = new LiveNodes();

/** The live state and mark of an atom node in a run view (undefined in the designer). */
export function useLiveNode(name: string): NodeLive | undefined {
  const live = useContext(LiveNodesContext) ?? NONE;
  return useSyncExternalStore(
    (fn) => live.subscribe(name, fn),
    () => live.get(name),
    () => live.get(name),
  );
}
