import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module';

/**
 * npm run cli -- <command>. Exit code 0 on success; 1 on bad usage, on failure, and
 * (audit) on any violation. Errors print their message; ANTAEUS_DEBUG=1 adds the stack.
 */
function fail(error: unknown): never {
  const debug = process.env.ANTAEUS_DEBUG === '1';
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
