import { InvalidArgumentError } from 'commander';
import { providerSimCommand, toProviderSimOptions } from './provider-sim-options';
import { ProviderSimServer } from './provider-sim-server';

/**
 * `npm run provider-sim -- --ledger FILE [...]`: the payment provider as its own process.
 * Prints one JSON line when it listens ({"event":"listening","url":...}), and its stats
 * as one JSON line when SIGTERM or SIGINT stops it.
 */
async function main(): Promise<void> {
  const command = providerSimCommand().parse();
  let options;
  try {
    options = toProviderSimOptions(command.opts());
  } catch (error) {
    if (error instanceof InvalidArgumentError) command.error(`error: ${error.message}`);
    throw error;
  }
  const server = new ProviderSimServer(options);
  const url = await server.start();
  const { idempotent, lookup, seed } = options.provider;
  console.log(
    JSON.stringify({
      event: 'listening',
      url,
      pid: process.pid,
      mode: idempotent ? 'idempotent' : 'non-idempotent',
      lookup,
      seed,
      ledger: options.provider.ledgerFile,
    }),
  );
  const stop = () => {
    void server.stop().then(() => {
      console.log(JSON.stringify({ event: 'stopped', stats: server.stats() }));
      process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
