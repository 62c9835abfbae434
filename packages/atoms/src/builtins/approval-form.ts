import { ValidationError, type Problem } from '@atomflow/model';
import { z } from 'zod';

/** A field of an approval form: a JSON Schema of a string, number, integer, boolean or enum. */
export const ApprovalFieldSchema = z
  .strictObject({
    type: z.enum(['string', 'number', 'integer', 'boolean']).optional(),
    title: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    enum: z
      .array(z.union([z.string().max(500), z.number()]))
      .min(1)
      .max(200)
      .optional(),
    default: z.union([z.string().max(10_000), z.number(), z.boolean()]).optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    minLength: z.number().int().min(0).optional(),
    maxLength: z.number().int().min(0).optional(),
  })
  .refine((f) => f.type !== undefined || f.enum !== undefined, {
    message: 'a field needs a type (string, number, integer, boolean) or an enum',
  });

export type ApprovalField = z.infer<typeof ApprovalFieldSchema>;

/** The form an approver fills in: a JSON Schema object of simple fields. */
export const ApprovalFormSchema = z
  .strictObject({
    type: z.literal('object'),
    title: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    properties: z.record(z.string().min(1).max(100), ApprovalFieldSchema).default({}),
    required: z.array(z.string().max(100)).max(100).optional(),
    additionalProperties: z.literal(false).optional(),
  })
  .superRefine((form, ctx) => {
    (form.required ?? []).forEach((name, i) => {
      if (!(name in form.properties))
        ctx.addIssue({ code: 'custom', path: ['required', i], message: `"${name}" is not a field of the form` });
    });
  });

export type ApprovalForm = z.infer<typeof ApprovalFormSchema>;

function fieldSchema(f: ApprovalField): z.ZodType {
  if (f.enum) {
    const allowed = f.enum;
    return z.custom((v) => allowed.some((a) => a === v), { message: `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}` });
  }
  switch (f.type) {
    case 'string': {
      let s = z.string();
      if (f.minLength !== undefined) s = s.min(f.minLength);
      if (f.maxLength !== undefined) s = s.max(f.maxLength);
      return s;
    }
    case 'number':
    case 'integer': {
      let n = f.type === 'integer' ? z.number().int() : z.number();
      if (f.minimum !== undefined) n = n.min(f.minimum);
      if (f.maximum !== undefined) n = n.max(f.maximum);
      return n;
    }
    case 'boolean':
      return z.boolean();
    default:
      return z.unknown();
  }
}

/** A zod schema of the values a form accepts: its fields, required ones required, nothing else. */
export function formValueSchema(form: ApprovalForm): z.ZodType<Record<string, unknown>> {
  const required = new Set(form.required ?? []);
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(form.properties)) {
    const s = fieldSchema(field);
    shape[name] = required.has(name) ? s : s.optional();
  }
  return z.strictObject(shape);
}

/**
 * Checks a value an approver entered against the form; returns it, or throws a ValidationError
 * whose problems name each wrong field (`value.amount`).
 */
export function checkFormValue(form: ApprovalForm, value: unknown): Record<string, unknown> {
  const r = formValueSchema(form).safeParse(value ?? {});
  if (r.success) return r.data;
  const problems: Problem[] = r.error.issues.map((i) => ({
    path: ['value', ...i.path.map(String)].join('.'),
    code: 'schema',
    message: i.code === 'invalid_type' && i.input === undefined ? 'required' : i.message,
  }));
  throw new ValidationError(problems);
}
