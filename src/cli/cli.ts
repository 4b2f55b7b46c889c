import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { readDebug } from '../config/load-config';
import { CliModule } from './cli.module';

/**
 * npm run cli -- <command>. Exit code 0 on success; 1 on bad usage, on failure, and
 * (audit) on any violation. Errors print their message; ANTAEUS_DEBUG=true adds the stack.
 */
function fail(error: unknown): never {
  const debug = readDebug();
  console.error(error instanceof Error && !debug ? `error: ${error.message}` : error);
  process.exit(1);
}

// forRoot() loads the configuration, which throws on bad settings: inside the chain.
Promise.resolve()
  .then(() =>
    CommandFactory.run(CliModule.forRoot(), {
      logger: ['warn', 'error'],
      errorHandler: fail,
      serviceErrorHandler: fail,
    }),
  )
  .catch(fail);
