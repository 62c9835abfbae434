import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Points ATOMFLOW_TEST_CALLS at a fresh temporary file for one test; `read()` parses its lines. */
export function useCallLog(): { file: string; read: () => unknown[]; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'atomflow-calls-'));
  const file = join(dir, 'calls.jsonl');
  const previous = process.env['ATOMFLOW_TEST_CALLS'];
  process.env['ATOMFLOW_TEST_CALLS'] = file;
  return {
    file,
    read: () => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return [];
      }
      return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as unknown);
    },
    dispose: () => {
      if (previous === undefined) delete process.env['ATOMFLOW_TEST_CALLS'];
      else process.env['ATOMFLOW_TEST_CALLS'] = previous;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
