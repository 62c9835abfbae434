import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { fieldsOf, labelOf, parseJson, parseNumber, setKey } from './schema-form';

const schema = z.toJSONSchema(
  z.object({
    url: z.url().describe('Where to'),
    method: z.enum(['GET', 'POST']).default('GET'),
    timeoutMs: z.number().int().positive().default(1000),
    ratio: z.number().min(0).max(1).optional(),
    follow: z.boolean().optional(),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.json().optional(),
    expectStatus: z.array(z.number().int()).optional(),
    auth: z.object({ user: z.string(), pass: z.string().optional() }).optional(),
  }),
  { io: 'input', unrepresentable: 'any' },
) as Record<string, unknown>;

describe('fieldsOf (JSON Schema → form fields)', () => {
  it('maps each kind of property to a field', () => {
    const fields = fieldsOf(schema);
    expect(fields.map((f) => [f.key, f.kind, f.required])).toEqual([
      ['url', 'text', true],
      ['method', 'enum', false],
      ['timeoutMs', 'number', false],
      ['ratio', 'number', false],
      ['follow', 'boolean', false],
      ['headers', 'map', false],
      ['body', 'json', false],
      ['expectStatus', 'array', false],
      ['auth', 'object', false],
    ]);
    expect(fields[0]).toMatchObject({ label: 'Url', description: 'Where to', format: 'uri' });
    expect(fields[1]).toMatchObject({ options: ['GET', 'POST'], default: 'GET' });
    expect(fields[2]).toMatchObject({ integer: true, default: 1000 });
    expect(fields[3]).toMatchObject({ integer: false, minimum: 0, maximum: 1 });
    const auth = fields[8]!;
    expect(auth.kind === 'object' ? auth.fields.map((f) => [f.key, f.required]) : []).toEqual([
      ['user', true],
      ['pass', false],
    ]);
  });

  it('carries a known widget hint of a string (code, flow) and ignores others', () => {
    const fields = fieldsOf(
      z.toJSONSchema(
        z.object({
          expression: z.string().meta({ widget: 'code' }),
          flowId: z.string().meta({ widget: 'flow' }),
          other: z.string().meta({ widget: 'rainbow' }),
        }),
        { io: 'input' },
      ),
    );
    expect(fields.map((f) => (f.kind === 'text' ? [f.key, f.widget] : [f.key, f.kind]))).toEqual([
      ['expression', 'code'],
      ['flowId', 'flow'],
      ['other', undefined],
    ]);
  });

  it('no schema, no fields', () => {
    expect(fieldsOf(null)).toEqual([]);
  });
});

describe('field values', () => {
  it('parses numbers and JSON with a reason when they are not', () => {
    expect(parseNumber(' 42 ', true)).toEqual({ value: 42 });
    expect(parseNumber('', true)).toEqual({ value: undefined });
    expect(parseNumber('soon', false)).toEqual({ error: 'must be a number' });
    expect(parseNumber('1.5', true)).toEqual({ error: 'must be a whole number' });
    expect(parseJson('{"a":1}')).toEqual({ value: { a: 1 } });
    expect(parseJson('{')).toMatchObject({ error: expect.stringContaining('not valid JSON') as unknown });
  });

  it('sets or removes a key', () => {
    expect(setKey({ a: 1 }, 'b', 2)).toEqual({ a: 1, b: 2 });
    expect(setKey({ a: 1 }, 'a', undefined)).toEqual({});
  });

  it('labels keys for people', () => {
    expect(labelOf('timeoutMs')).toBe('Timeout ms');
    expect(labelOf('fail_times')).toBe('Fail times');
  });
});
