import 'reflect-metadata';
import { ConfigError, loadConfig } from './app/config.js';
import { StartupError } from './app/database.js';
import { startApp } from './app/server.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  let app;
  try {
    app = await startApp(config);
  } catch (err) {
    console.error(err instanceof StartupError ? err.message : `Startup failed: ${(err as Error).message}`);
    process.exit(1);
  }
  let signalled = false;
  const onSignal = (signal: string) => {
    if (signalled) return;
    signalled = true;
    app.services.logger.info('signal received', { signal });
    app
      .stop()
      .then(() => process.exit(0))
      .catch((err) => {
        console.error(`Shutdown failed: ${(err as Error).message}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

void main();
