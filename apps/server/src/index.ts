export { startServer, type RunningServer, type StartOptions } from './server.js';
export { ConfigError, readConfig, type ServerConfig } from './env.js';
export { ADMIN_EMAIL } from './bootstrap-admin.js';
