import { diffRevisions, parseFlowDefinitionOrThrow, type FlowDefinition } from '@atomflow/model';
import { describe, expect, it } from 'vitest';

import { migrationRows } from './migrate-plan';

const def = (revision: number, children: Array<Record<string, unknown>>): FlowDefinition =>
  parseFlowDefinitionOrThrow({ id: 'f', revision, root: { kind: 'linear', name: 'root', children } });

describe('migrationRows', () => {
  it('sorts atoms into kept, run again, version changed, new and dropped', () => {
    const a = def(1, [
      { name: 'a', type: 'test.echo', config: { value: 1 } },
      { name: 'b', type: 'test.echo' },
      { name: 'c', type: 'test.fail' },
      { name: 'gone', type: 'test.echo' },
    ]);
    const b = def(2, [
      { name: 'a', type: 'test.echo', config: { value: 2 } },
      { name: 'b', type: 'test.echo' },
      { name: 'c', type: 'test.echo' },
      { name: 'n', type: 'test.echo' },
    ]);
    const rows = migrationRows(diffRevisions(a, b), { a: 'SUCCESS', b: 'REVERTED', c: 'REVERT_FAILURE', gone: 'PENDING' });
    expect(rows).toEqual([
      { name: 'a', fate: 'keeps', state: 'SUCCESS', configChanged: true },
      { name: 'b', fate: 'reruns', state: 'REVERTED' },
      { name: 'c', fate: 'version', state: 'REVERT_FAILURE', detail: 'test.fail v1 → test.echo v1' },
      { name: 'n', fate: 'new' },
      { name: 'gone', fate: 'dropped', state: 'PENDING' },
    ]);
  });
});
