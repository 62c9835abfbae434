'use client';

import type { JsonSchema } from '@atomflow/api';
import { useState, type ReactNode } from 'react';

import { fieldsOf, parseJson, parseNumber, setKey, type Field } from '../form/schema-form';
import { FlowSelect } from './FlowSelect';
import { CommitInput, CommitTextArea, KeyValueEditor } from './inputs';

interface FieldProps {
  readonly field: Field;
  readonly path: string;
  readonly value: unknown;
  readonly errors: ReadonlyMap<string, string>;
  readonly onChange: (value: unknown) => void;
  readonly readOnly: boolean;
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p className="field-error" id={id} role="alert">
      {message}
    </p>
  ) : null;
}

function Label({ field, id }: { field: Field; id: string }) {
  return (
    <label htmlFor={id} className="field-label">
      {field.label}
      {field.required ? (
        <span className="required" aria-label="required">
          {' '}
          *
        </span>
      ) : null}
    </label>
  );
}

/** One field's frame: its label (unless the control carries its own), the control, its error and hint. */
function FieldShell({
  field,
  id,
  error,
  hint,
  labelled = true,
  className = 'field',
  children,
}: {
  field: Field;
  id: string;
  error: string | undefined;
  hint: ReactNode;
  labelled?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={className}>
      {labelled ? <Label field={field} id={id} /> : null}
      {children}
      <FieldError id={`${id}-error`} message={error} />
      {hint}
    </div>
  );
}

function FieldView({ field, path, value, errors, onChange, readOnly }: FieldProps) {
  const id = `cfg-${path}`;
  const [local, setLocal] = useState<string | undefined>();
  const error = local ?? errors.get(path);
  const described = { 'aria-invalid': error !== undefined, 'aria-describedby': error ? `${id}-error` : undefined };
  const hint = field.description ? <p className="field-hint">{field.description}</p> : null;
  const placeholder = field.default !== undefined ? `default: ${JSON.stringify(field.default)}` : undefined;
  const shell = { field, id, error, hint };
  // text that must parse first (number, JSON): a parse error stays local until the text is fixed
  const commitParsed = (r: { value?: unknown } | { error: string }): void => {
    if ('error' in r) setLocal(r.error);
    else {
      setLocal(undefined);
      onChange(r.value);
    }
  };
  switch (field.kind) {
    case 'text':
      if (field.widget === 'code' || field.widget === 'flow')
        return (
          <FieldShell {...shell}>
            {field.widget === 'code' ? (
              <CommitTextArea
                id={id}
                {...described}
                disabled={readOnly}
                rows={4}
                value={typeof value === 'string' ? value : ''}
                onCommit={(t) => onChange(t === '' ? undefined : t)}
              />
            ) : (
              <FlowSelect id={id} {...described} disabled={readOnly} value={typeof value === 'string' ? value : ''} onChange={onChange} />
            )}
          </FieldShell>
        );
      return (
        <FieldShell {...shell}>
          <CommitInput
            id={id}
            {...described}
            disabled={readOnly}
            type={field.format === 'uri' ? 'url' : 'text'}
            value={typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value)}
            placeholder={placeholder}
            onCommit={(t) => onChange(t === '' ? undefined : t)}
          />
        </FieldShell>
      );
    case 'number':
      return (
        <FieldShell {...shell}>
          <CommitInput
            id={id}
            {...described}
            disabled={readOnly}
            inputMode="decimal"
            value={value === undefined ? '' : String(value)}
            placeholder={placeholder ?? (field.minimum !== undefined ? `≥ ${field.minimum}` : undefined)}
            onCommit={(t) => commitParsed(parseNumber(t, field.integer))}
          />
        </FieldShell>
      );
    case 'enum':
      return (
        <FieldShell {...shell}>
          <select
            id={id}
            {...described}
            disabled={readOnly}
            value={value === undefined ? '' : String(value)}
            onChange={(e) => onChange(e.target.value === '' ? undefined : field.options.find((o) => String(o) === e.target.value))}
          >
            <option value="">{field.default !== undefined ? `(default: ${String(field.default)})` : '(not set)'}</option>
            {field.options.map((o) => (
              <option key={String(o)} value={String(o)}>
                {String(o)}
              </option>
            ))}
          </select>
        </FieldShell>
      );
    case 'boolean':
      return (
        <FieldShell {...shell} labelled={false} className="field field-check">
          <label className="check">
            <input
              id={id}
              type="checkbox"
              disabled={readOnly}
              checked={value === true || (value === undefined && field.default === true)}
              onChange={(e) => onChange(e.target.checked)}
            />{' '}
            {field.label}
          </label>
        </FieldShell>
      );
    case 'object': {
      const obj = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
      return (
        <fieldset className="field-group">
          <legend>{field.label}</legend>
          {field.fields.map((f) => (
            <FieldView
              key={f.key}
              field={f}
              path={`${path}.${f.key}`}
              value={obj[f.key]}
              errors={errors}
              readOnly={readOnly}
              onChange={(v) => {
                const next = setKey(obj, f.key, v);
                onChange(Object.keys(next).length ? next : undefined);
              }}
            />
          ))}
          <FieldError id={`${id}-error`} message={error} />
        </fieldset>
      );
    }
    case 'array': {
      const list = Array.isArray(value) ? value : [];
      return (
        <fieldset className="field-group">
          <legend>{field.label}</legend>
          {list.map((item, i) => (
            <div className="kv-row" key={i}>
              <FieldView
                field={{ ...field.item, label: `${field.label} ${i + 1}` }}
                path={`${path}.${i}`}
                value={item}
                errors={errors}
                readOnly={readOnly}
                onChange={(v) => onChange(list.map((x, j) => (j === i ? v : x)))}
              />
              {!readOnly ? (
                <button
                  className="icon"
                  aria-label={`Remove ${field.label} ${i + 1}`}
                  onClick={() => onChange(list.length > 1 ? list.filter((_, j) => j !== i) : undefined)}
                >
                  ×
                </button>
              ) : null}
            </div>
          ))}
          {!readOnly ? (
            <button
              className="small"
              onClick={() =>
                onChange([
                  ...list,
                  field.item.kind === 'number'
                    ? 0
                    : field.item.kind === 'boolean'
                      ? false
                      : field.item.kind === 'enum'
                        ? field.item.options[0]
                        : '',
                ])
              }
            >
              + Add {field.label.toLowerCase()}
            </button>
          ) : null}
          <FieldError id={`${id}-error`} message={error} />
          {hint}
        </fieldset>
      );
    }
    case 'map':
      return (
        <FieldShell {...shell} labelled={false}>
          <KeyValueEditor
            label={field.label}
            value={value && typeof value === 'object' ? (value as Record<string, unknown>) : {}}
            onChange={(v) => onChange(Object.keys(v).length ? v : undefined)}
          />
        </FieldShell>
      );
    case 'json':
      return (
        <FieldShell
          {...shell}
          hint={field.description ? <p className="field-hint">{field.description} (JSON)</p> : <p className="field-hint">Any JSON value</p>}
        >
          <CommitTextArea
            id={id}
            aria-invalid={error !== undefined}
            rows={3}
            value={value === undefined ? '' : JSON.stringify(value, null, 2)}
            onCommit={(t) => commitParsed(parseJson(t))}
          />
        </FieldShell>
      );
    default: {
      const never: never = field;
      return <p>{String(never)}</p>;
    }
  }
}

/** A config form generated from the atom's JSON Schema; `errors` maps dotted config paths to messages. */
export function ConfigForm({
  schema,
  value,
  errors,
  onChange,
  readOnly,
}: {
  schema: JsonSchema | null;
  value: Readonly<Record<string, unknown>>;
  errors: ReadonlyMap<string, string>;
  onChange: (next: Record<string, unknown>) => void;
  readOnly: boolean;
}) {
  const fields = fieldsOf(schema);
  if (!schema) return <p className="muted">This atom type takes no configuration.</p>;
  if (fields.length === 0) return <p className="muted">No configuration fields.</p>;
  return (
    <div className="config-form">
      {fields.map((f) => (
        <FieldView
          key={f.key}
          field={f}
          path={f.key}
          value={value[f.key]}
          errors={errors}
          readOnly={readOnly}
          onChange={(v) => onChange(setKey(value, f.key, v))}
        />
      ))}
      {errors.get('') ? <p className="field-error">{errors.get('')}</p> : null}
    </div>
  );
}
