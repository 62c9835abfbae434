import { existsSync } from 'node:fs';

import { afterEach, describe, expect, it } from 'vitest';

import { recordCall } from './call-log.js';
import { testCallsFile } from './env.js';
import { useCallLog } from './testing/call-log-file.js';

describe('call log', () => {
  const logs: ReturnType<typeof useCallLog>[] = [];
  afterEach(() => {
    for (const l of logs.splice(0).reverse()) l.dispose();
  });

  it('is off without ATOMFLOW_TEST_CALLS', () => {
    const log = useCallLog();
    logs.push(log);
    delete process.env['ATOMFLOW_TEST_CALLS'];
    expect(testCallsFile()).toBeUndefined();
    recordCall({ atom: 'a', fn: 'leave' });
    expect(existsSync(log.file)).toBe(false);
  });

  it('reads the variable at call time: each case can use its own file', () => {
    const first = useCallLog();
    logs.push(first);
    recordCall({ atom: 'a', fn: 'execute', args: { x: 1 } });
    const second = useCallLog();
    logs.push(second);
    recordCall({ atom: 'b', fn: 'revert', result: 2 });
    expect(first.read()).toEqual([{ atom: 'a', fn: 'execute', args: { x: 1 } }]);
    expect(second.read()).toEqual([{ atom: 'b', fn: 'revert', result: 2 }]);
  });

  it('appends one line per call, in call order, and never throws on odd values', () => {
    const log = useCallLog();
    logs.push(log);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    recordCall({ atom: 'a', fn: 'execute', args: { big: 10n } });
    recordCall({ atom: 'a', fn: 'execute', args: { cyclic } });
    recordCall({ atom: 'a', fn: 'step', step: 's', attempt: 1 });
    const lines = log.read();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({ atom: 'a', fn: 'execute', args: { big: '10' } });
    expect(lines[1]).toMatchObject({ atom: 'a', fn: 'execute', unserialisable: expect.stringContaining('circular') });
    expect(lines[2]).toEqual({ atom: 'a', fn: 'step', step: 's', attempt: 1 });
  });
});
