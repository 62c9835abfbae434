import { describe, expect, it } from 'vitest';

import { opBlocker, toOperation } from './operations';

describe('opBlocker', () => {
  it('disables everything for a viewer, saying why', () => {
    expect(opBlocker({ canRun: false, role: 'viewer', preview: { allowed: true } })).toBe('your role (viewer) can only watch runs');
  });
  it('passes on the preview reason', () => {
    expect(opBlocker({ canRun: true, role: 'operator', preview: { allowed: false, reason: 'the run is RUNNING' } })).toBe(
      'the run is RUNNING',
    );
    expect(opBlocker({ canRun: true, role: 'operator', preview: { allowed: false } })).toBe('not allowed now');
    expect(opBlocker({ canRun: true, role: 'operator', preview: undefined })).toBe('checking…');
    expect(opBlocker({ canRun: true, role: 'operator', preview: { allowed: true } })).toBeUndefined();
  });
});

describe('toOperation', () => {
  it('names the atom only for atom operations', () => {
    expect(toOperation('retryAtom', 'a')).toEqual({ type: 'retryAtom', atom: 'a' });
    expect(toOperation('revertRun', 'a')).toEqual({ type: 'revertRun' });
    expect(toOperation('markSuccess', 'a', { ok: 1 })).toEqual({ type: 'markSuccess', atom: 'a', result: { ok: 1 } });
    expect(toOperation('approve', 'gate')).toEqual({ type: 'approve', atom: 'gate' });
    expect(toOperation('reject', 'gate')).toEqual({ type: 'reject', atom: 'gate' });
  });
});
