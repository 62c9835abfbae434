import { atomsRouter } from './router/atoms.js';
import { authRouter } from './router/auth.js';
import { flowsRouter } from './router/flows.js';
import { liveRouter } from './router/live.js';
import { runsRouter } from './router/runs.js';
import { usersRouter } from './router/users.js';
import { createTRPCRouter } from './trpc.js';

export const appRouter = createTRPCRouter({
  atoms: atomsRouter,
  auth: authRouter,
  flows: flowsRouter,
  live: liveRouter,
  runs: runsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
