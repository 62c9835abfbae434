import { z } from 'zod';

/** Names of atoms, flows and data: printable, no surrounding whitespace. */
const NameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((s) => s.trim() === s, 'must not start or end with whitespace');

const DataNameSchema = NameSchema;

export const BackoffSchema = z.strictObject({
  /** Multiplier applied to the delay after every attempt (exponential backoff). */
  factor: z.number().min(1, 'must be ≥ 1').max(100, 'must be ≤ 100').default(2),
  /** Upper bound of a single delay. */
  maxDelayMs: z.number().int().min(0).max(86_400_000, 'must be ≤ 1 day').optional(),
});

const retryCommon = {
  name: NameSchema.optional(),
  provides: DataNameSchema.optional(),
};

export const RetrySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('times'),
    ...retryCommon,
    attempts: z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(10_000, 'must be ≤ 10000'),
    revertAll: z.boolean().optional(),
    delayMs: z.number().int().min(0, 'must be ≥ 0').max(86_400_000, 'must be ≤ 1 day').optional(),
    backoff: BackoffSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('forEach'),
    ...retryCommon,
    values: z.array(z.unknown()).min(1, 'must list at least one value'),
    revertAll: z.boolean().optional(),
  }),
  z.strictObject({
    kind: z.literal('parameterizedForEach'),
    ...retryCommon,
    from: DataNameSchema,
    revertAll: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('alwaysRevert'), ...retryCommon }),
  z.strictObject({ kind: z.literal('alwaysRevertAll'), ...retryCommon }),
]);
export type RetryDefinition = z.infer<typeof RetrySchema>;
export type RetryKind = RetryDefinition['kind'];

export const AtomNodeSchema = z.strictObject({
  name: NameSchema,
  type: z.string().min(1, 'must not be empty'),
  version: z.number().int('must be a whole number').min(1, 'must be ≥ 1').default(1),
  description: z.string().max(2000).optional(),
  config: z.record(z.string(), z.unknown()).default({}),
  requires: z.array(DataNameSchema).default([]),
  /** One name (stores the whole result) or several (splits an array result by position). */
  provides: z.union([DataNameSchema, z.array(DataNameSchema)], { error: 'must be a name or a list of names' }).optional(),
  /** input name → stored name to read it from */
  rebind: z.record(z.string(), DataNameSchema).default({}),
  /** input name → constant value (shadows stored values) */
  inject: z.record(z.string(), z.unknown()).default({}),
});
export type AtomNode = z.infer<typeof AtomNodeSchema>;
export type AtomNodeInput = z.input<typeof AtomNodeSchema>;

export const FLOW_KINDS = ['linear', 'unordered', 'graph'] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];

export const EdgeSchema = z.strictObject({ from: NameSchema, to: NameSchema });
export type Edge = z.infer<typeof EdgeSchema>;

export const FlowNodeSchema = z.strictObject({
  kind: z.enum(FLOW_KINDS),
  name: NameSchema,
  description: z.string().max(2000).optional(),
  retry: RetrySchema.optional(),
  get children(): z.ZodDefault<z.ZodArray<typeof NodeSchema>> {
    return z.array(NodeSchema).default([]);
  },
  edges: z.array(EdgeSchema).default([]),
});
export type FlowNode = z.infer<typeof FlowNodeSchema>;
export type FlowNodeInput = z.input<typeof FlowNodeSchema>;

export const NodeSchema = z.union([FlowNodeSchema, AtomNodeSchema]);
export type Node = FlowNode | AtomNode;

export const PositionSchema = z.strictObject({ x: z.number(), y: z.number() });

export const UiSchema = z.strictObject({
  positions: z.record(z.string(), PositionSchema).default({}),
  collapsed: z.array(z.string()).default([]),
});

export const FlowOptionsSchema = z.strictObject({
  /** TaskFlow's `defer_reverts`: a REVERT with no parent controller reverts the enclosing flow too. */
  deferReverts: z.boolean().default(false),
  /** Most atoms executing at once in this run. */
  maxParallel: z.number().int().min(1).max(1000).optional(),
});

export const FlowIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200)
  .regex(/^([A-Za-z0-9][A-Za-z0-9._-]*)?$/, 'may contain letters, digits, ".", "_" and "-" only');

export const FlowDefinitionSchema = z.strictObject({
  id: FlowIdSchema,
  revision: z.number().int().min(1, 'must be ≥ 1').default(1),
  name: z.string().max(200).optional(),
  description: z.string().max(5000).optional(),
  root: FlowNodeSchema,
  /** Names the run expects as inputs (optional: unsatisfied requires are inputs anyway). */
  inputs: z.array(DataNameSchema).optional(),
  options: FlowOptionsSchema.optional(),
  ui: UiSchema.optional(),
});
export type FlowDefinition = z.infer<typeof FlowDefinitionSchema>;
export type FlowDefinitionInput = z.input<typeof FlowDefinitionSchema>;

export function isFlowNode(node: Node): node is FlowNode {
  return 'kind' in node;
}

/** The name a retry controller appears under (TaskFlow: `<flow name>-retry` by default). */
export function retryName(flow: FlowNode): string | undefined {
  if (!flow.retry) return undefined;
  return flow.retry.name ?? `${flow.name}-retry`;
}

/** Normalises `provides` to a list of names. */
export function providedNames(provides: string | readonly string[] | undefined): string[] {
  if (provides === undefined) return [];
  return typeof provides === 'string' ? [provides] : [...provides];
}
