import type { AppRouter } from '@atomflow/api';
import type { inferRouterOutputs } from '@trpc/server';

type Outputs = inferRouterOutputs<AppRouter>;
export type RunData = Outputs['runs']['get'];
export type AtomData = RunData['atoms'][number];
export type OperationPreview = Outputs['runs']['preview'];
