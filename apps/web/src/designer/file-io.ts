import { parseFlowDefinition, type FlowDefinition, type Problem } from '@atomflow/model';

/** Saves `text` as a file in the browser. */
export function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A definition file's text → the definition, or every reason it is not one (with paths). */
export function readDefinition(text: string): { ok: true; value: FlowDefinition } | { ok: false; problems: Problem[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path: '(file)', code: 'schema', message: `not valid JSON: ${(e as Error).message}` }] };
  }
  const parsed = parseFlowDefinition(raw);
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, problems: parsed.problems };
}

export function exportText(def: FlowDefinition): string {
  return `${JSON.stringify(def, null, 2)}\n`;
}
