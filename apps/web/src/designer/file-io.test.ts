import { diffRevisions, parseFlowDefinitionOrThrow } from '@atomflow/model';
import { describe, expect, it } from 'vitest';

import { toDefinition, toDoc } from './doc/changes';
import { historyReducer, initHistory, isDirty } from './doc/history';
import { exportText, readDefinition } from './file-io';

const stored = parseFlowDefinitionOrThrow({
  id: 'kopf',
  revision: 3,
  root: {
    kind: 'linear',
    name: 'root',
    children: [
      { name: 'kopf', type: 'test.steps', config: { steps: { create_pod: 1, is_ready: 3, add_label: 1 }, delayMs: 0 } },
      { name: 'done', type: 'test.echo', config: { value: 1 } },
    ],
  },
});

const stepsOf = (def: ReturnType<typeof toDefinition>): string[] => {
  const kopf = def.root.children.find((n) => n.name === 'kopf');
  return Object.keys((kopf && 'config' in kopf ? (kopf.config['steps'] as object) : undefined) ?? {});
};

/** What the designer's Import does with a file: read it, replace the doc (keeping this flow's id and revision). */
function importInto(text: string) {
  const read = readDefinition(text);
  if (!read.ok) throw new Error(JSON.stringify(read.problems));
  const h = initHistory(toDoc(stored));
  return historyReducer(h, { type: 'apply', changes: [{ type: 'replace', doc: { ...toDoc(read.value), revision: h.present.revision } }] });
}

describe('designer import of a file that only reorders keys', () => {
  it('is applied: unsaved changes, saved and exported in the new order, marked as a config change', () => {
    const text = exportText(stored).replace(
      /"create_pod": 1,\s*"is_ready": 3,\s*"add_label": 1/,
      '"add_label": 1, "create_pod": 1, "is_ready": 3',
    );
    expect(text).not.toBe(exportText(stored));
    const h = importInto(text);
    expect(isDirty(h)).toBe(true);
    const toSave = toDefinition(h.present);
    expect(stepsOf(toSave)).toEqual(['add_label', 'create_pod', 'is_ready']);
    expect(exportText(toSave)).toContain('"add_label": 1,\n');
    // the visual diff against the stored revision marks it
    expect(diffRevisions(stored, toSave).configChanged).toEqual(['kopf']);
  });

  it('the file as exported changes nothing the diff or the steps see', () => {
    const toSave = toDefinition(importInto(exportText(stored)).present);
    expect(stepsOf(toSave)).toEqual(['create_pod', 'is_ready', 'add_label']);
    expect(diffRevisions(stored, toSave).configChanged).toEqual([]);
  });
});
