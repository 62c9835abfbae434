'use client';

import { createContext, useContext } from 'react';

import type { Change } from '../doc/changes';

export interface DesignerActions {
  readonly apply: (changes: readonly Change[]) => void;
  readonly readOnly: boolean;
}

export const DesignerContext = createContext<DesignerActions>({ apply: () => undefined, readOnly: true });

export function useDesigner(): DesignerActions {
  return useContext(DesignerContext);
}
