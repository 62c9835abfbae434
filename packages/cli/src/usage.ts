export const USAGE = `atomflow — run TaskFlow-style workflow definitions headless

Usage:
  atomflow validate FLOW.json [--inputs JSON]
  atomflow run FLOW.json [--inputs JSON] [--trace] [--db DIR | --database-url URL] [--stop-after NAME] [--base-url URL]
  atomflow resume [RUN_ID] (--db DIR | --database-url URL) [--flow FLOW2.json] [--trace] [--base-url URL]
  atomflow worker (--db DIR | --database-url URL) [--capacity N] [--lease-ttl MS] [--poll-ms MS] [--base-url URL]

Commands:
  validate   check a definition; prints every problem with its path
  run        run a flow (in memory unless --db/--database-url) until it stops
  resume     resume one run, or every unfinished run, from the durable store;
             with --flow, migrate it to that revision first (atoms matched by name)
  worker     claim and execute runs (leases), wake timers, apply queued operations;
             SIGTERM finishes the atoms in flight and releases the runs

Options:
  --trace              print a JSON line per committed transition, then {"final": …}
  --inputs JSON        run inputs as a JSON object
  --db DIR             embedded PostgreSQL (PGlite) data directory
  --database-url URL   PostgreSQL connection URL
  --stop-after NAME    suspend the run once atom NAME succeeds
  --base-url URL       where URL paths in configs point (http.request "/api/…"): the atomflow
                       server's address, e.g. http://127.0.0.1:3000; without it a path fails

Subflows: a "subflow" atom's flow ID is read from ID.json next to FLOW.json and inlined
(its atoms appear as <atom>.<name>).

Exit codes: 0 the run succeeded, 1 it ended otherwise (REVERTED, FAILURE, SUSPENDED…), 2 invalid input.
`;
