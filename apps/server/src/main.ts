import { ADMIN_EMAIL } from './bootstrap-admin.js';
import { ConfigError, readConfig } from './env.js';
import { startServer } from './server.js';

/** `npm start`: the server from the environment's configuration; SIGTERM/SIGINT stop it gracefully. */
async function main(): Promise<void> {
  let config;
  try {
    config = readConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`atomflow: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const server = await startServer({ config, dev: process.argv.includes('--dev') });
  const where = config.databaseUrl !== undefined ? 'PostgreSQL (DATABASE_URL)' : config.dataDir;
  process.stdout.write(
    `atomflow is listening on ${server.url} (database: ${where}, ${server.worker ? `worker ${server.worker.id}` : 'no worker: API only'})\n`,
  );
  if (server.examples.length > 0) process.stdout.write(`First start: added example flows to open and run: ${server.examples.join(', ')}\n`);
  if (server.adminPassword !== undefined)
    process.stdout.write(
      `\nFirst start: created the admin user.\n  email:    ${ADMIN_EMAIL}\n  password: ${server.adminPassword}\nThis password is shown once; change it after signing in.\n\n`,
    );
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`atomflow: ${signal} again, exiting at once\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`atomflow: ${signal}: stopping (atoms in flight finish first)\n`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`atomflow: error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`atomflow: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
