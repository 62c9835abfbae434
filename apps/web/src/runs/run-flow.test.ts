import { describe, expect, it } from 'vitest';

import { runFlow } from './run-flow';

describe('runFlow: the flow a run is of, as users know it', () => {
  it('a plain run names its own flow and revision', () => {
    expect(runFlow({ flowId: 'orders', revision: 3, meta: {} })).toEqual({ flowId: 'orders', revision: 3, withSubflows: false });
  });

  it('a run with subflows names the flow revision it was started from, not the companion', () => {
    const run = { flowId: 'orders.expanded', revision: 7, meta: { expandedFrom: { flowId: 'orders', revision: 2 } } };
    expect(runFlow(run)).toEqual({ flowId: 'orders', revision: 2, withSubflows: true });
  });

  it('a companion run without its meta still names the flow', () => {
    expect(runFlow({ flowId: 'orders.expanded', revision: 7 })).toEqual({ flowId: 'orders', revision: 7, withSubflows: true });
  });
});
