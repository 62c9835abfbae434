/** A glyph per atom category / type (the palette and the nodes use the same one). */
const BY_TYPE: Record<string, string> = {
  'http.request': '⇄',
  delay: '◔',
  approval: '☑',
  log: '✎',
  transform: 'ƒ',
  subflow: '⧉',
};

const BY_CATEGORY: Record<string, string> = {
  Network: '⇄',
  'Flow control': '◔',
  Utility: '✎',
  Testing: '⚗',
};

export function atomIcon(type: string, category: string | null): string {
  return BY_TYPE[type] ?? (category ? BY_CATEGORY[category] : undefined) ?? (type.startsWith('test.') ? '⚗' : '◆');
}

export const FLOW_ICONS = { linear: '→', unordered: '⇉', graph: '⋔' } as const;

export const FLOW_HELP = {
  linear: 'children run one after another, left to right',
  unordered: 'children run independently, in parallel',
  graph: 'order from connections and requires/provides',
} as const;
