/**
 * Renders `{{name}}` / `{{name.path.0}}` placeholders from a values object. Deliberately not an
 * expression language (that is the sandboxed `transform` atom's job): a path lookup only.
 * Strings are inserted as they are, other values as JSON; a missing value renders as nothing.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{\{\s*([\w$-]+(?:\.[\w$-]+)*)\s*\}\}/g, (_match, path: string) => {
    const value = lookup(values, path.split('.'));
    if (value === undefined) return '';
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  });
}

function lookup(root: unknown, path: readonly string[]): unknown {
  let cur = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
