'use client';

import { useEffect, useState, type InputHTMLAttributes } from 'react';

type BaseProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'onBlur' | 'onKeyDown'>;

/** A text input that keeps a draft and commits on blur or Enter (one undo step per edit, not per key). */
export function CommitInput({ value, onCommit, ...rest }: BaseProps & { value: string; onCommit: (text: string) => void }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    if (draft !== value) onCommit(draft);
  };
  return (
    <input
      {...rest}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setDraft(value);
      }}
    />
  );
}

/** The same for multi-line text (JSON): commits on blur or Ctrl+Enter. */
export function CommitTextArea({
  value,
  onCommit,
  ...rest
}: {
  value: string;
  onCommit: (text: string) => void;
  'aria-label'?: string;
  rows?: number;
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
  disabled?: boolean;
}) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    if (draft !== value) onCommit(draft);
  };
  return (
    <textarea
      {...rest}
      className="code"
      value={draft}
      spellCheck={false}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) commit();
      }}
    />
  );
}

/** `a, b , c` → ['a', 'b', 'c'] */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Rows of key → value (rebind, inject, headers); values are text, or JSON when `json`. */
export function KeyValueEditor({
  label,
  value,
  onChange,
  json = false,
  keyPlaceholder = 'name',
  valuePlaceholder = 'value',
}: {
  label: string;
  value: Readonly<Record<string, unknown>>;
  onChange: (next: Record<string, unknown>) => void;
  json?: boolean;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
}) {
  const entries = Object.entries(value);
  const [error, setError] = useState<string | null>(null);
  const show = (v: unknown) => (json ? JSON.stringify(v) : String(v));
  const parse = (text: string): { ok: true; v: unknown } | { ok: false } => {
    if (!json) return { ok: true, v: text };
    try {
      return { ok: true, v: JSON.parse(text) as unknown };
    } catch {
      // a bare word is meant as text
      return /^[^"{[\d-]/.test(text.trim()) && !['true', 'false', 'null'].includes(text.trim()) ? { ok: true, v: text } : { ok: false };
    }
  };
  const set = (i: number, k: string, text: string) => {
    const p = parse(text);
    if (!p.ok) {
      setError(`${k}: not valid JSON`);
      return;
    }
    setError(null);
    const next = entries.map(([ek, ev], j) => (j === i ? [k, p.v] : [ek, ev]));
    onChange(Object.fromEntries(next.filter(([ek]) => ek !== '')));
  };
  return (
    <fieldset className="kv">
      <legend>{label}</legend>
      {entries.map(([k, v], i) => (
        <div className="kv-row" key={`${i}:${k}`}>
          <CommitInput
            aria-label={`${label} name ${i + 1}`}
            value={k}
            placeholder={keyPlaceholder}
            onCommit={(t) => set(i, t.trim(), show(v))}
          />
          <CommitInput
            aria-label={`${label} value ${i + 1}`}
            value={show(v)}
            placeholder={valuePlaceholder}
            onCommit={(t) => set(i, k, t)}
          />
          <button
            className="icon"
            aria-label={`Remove ${k}`}
            onClick={() => onChange(Object.fromEntries(entries.filter((_, j) => j !== i)))}
          >
            ×
          </button>
        </div>
      ))}
      <AddRow
        label={label}
        keyPlaceholder={keyPlaceholder}
        valuePlaceholder={valuePlaceholder}
        onAdd={(k, text) => {
          const p = parse(text);
          if (!p.ok) return setError(`${k}: not valid JSON`);
          setError(null);
          onChange({ ...value, [k]: p.v });
        }}
      />
      {error ? <p className="field-error">{error}</p> : null}
    </fieldset>
  );
}

function AddRow({
  label,
  onAdd,
  keyPlaceholder,
  valuePlaceholder,
}: {
  label: string;
  onAdd: (k: string, v: string) => void;
  keyPlaceholder: string;
  valuePlaceholder: string;
}) {
  const [k, setK] = useState('');
  const [v, setV] = useState('');
  const add = () => {
    if (!k.trim()) return;
    onAdd(k.trim(), v);
    setK('');
    setV('');
  };
  return (
    <div className="kv-row">
      <input
        aria-label={`New ${label} name`}
        value={k}
        placeholder={keyPlaceholder}
        onChange={(e) => setK(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && add()}
      />
      <input
        aria-label={`New ${label} value`}
        value={v}
        placeholder={valuePlaceholder}
        onChange={(e) => setV(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && add()}
      />
      <button className="icon" aria-label={`Add ${label}`} onClick={add} disabled={!k.trim()}>
        +
      </button>
    </div>
  );
}
