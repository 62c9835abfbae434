import { describe, expect, it } from 'vitest';

import { parseFlowDefinitionOrThrow } from './parse.js';
import { sameDefinition } from './same-definition.js';
import { atom, def, linear } from './testing/fixtures.js';

const kopf = (steps: Record<string, number>) =>
  def(linear('f', [atom('kopf', { type: 'test.steps', config: { steps, delayMs: 0 } })]), { revision: 1 });

describe('sameDefinition', () => {
  it('the same definition, also as another copy, is the same', () => {
    const a = kopf({ create_pod: 1, is_ready: 3, add_label: 1 });
    expect(sameDefinition(a, a)).toBe(true);
    expect(sameDefinition(a, JSON.parse(JSON.stringify(a)))).toBe(true);
  });

  it('keys the author wrote in another order make another definition (steps run in that order)', () => {
    expect(sameDefinition(kopf({ create_pod: 1, is_ready: 3, add_label: 1 }), kopf({ add_label: 1, create_pod: 1, is_ready: 3 }))).toBe(
      false,
    );
    const positions = (p: Record<string, { x: number; y: number }>) => ({ ...kopf({ a: 1 }), ui: { positions: p, collapsed: [] } });
    // a record's keys are the author's (positions by atom)…
    expect(
      sameDefinition(positions({ kopf: { x: 1, y: 2 }, gone: { x: 0, y: 0 } }), positions({ gone: { x: 0, y: 0 }, kopf: { x: 1, y: 2 } })),
    ).toBe(false);
    // …a position's x and y are the schema's
    expect(sameDefinition(positions({ kopf: { x: 1, y: 2 } }), positions({ kopf: { y: 2, x: 1 } }))).toBe(true);
  });

  it("the schema's own fields in another order (as jsonb stored them before migration 0005) are the same", () => {
    const a = parseFlowDefinitionOrThrow({
      id: 'f',
      revision: 1,
      root: {
        kind: 'linear',
        name: 'root',
        children: [{ name: 'kopf', type: 'test.steps', version: 1, config: { steps: { zeta: 1, a: 2 } } }],
      },
    });
    // jsonb's order: keys by length, then bytes
    const stored = JSON.parse(
      '{"id":"f","root":{"kind":"linear","name":"root","edges":[],"children":[{"name":"kopf","type":"test.steps","config":{"steps":{"zeta":1,"a":2}},"inject":{},"rebind":{},"version":1,"requires":[]}]},"revision":1}',
    ) as unknown;
    expect(JSON.stringify(stored)).not.toBe(JSON.stringify(a));
    expect(sameDefinition(stored, a)).toBe(true);
    expect(sameDefinition(JSON.parse(JSON.stringify(stored).replace('"zeta":1,"a":2', '"a":2,"zeta":1')) as unknown, a)).toBe(false);
  });

  it('other content is another definition; what does not parse is compared as text', () => {
    expect(sameDefinition(kopf({ a: 1 }), kopf({ a: 2 }))).toBe(false);
    expect(sameDefinition({ not: 'a flow' }, { not: 'a flow' })).toBe(true);
    expect(sameDefinition({ not: 'a flow', x: 1 }, { x: 1, not: 'a flow' })).toBe(false);
  });
});
