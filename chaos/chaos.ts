import { parseChaosArgs } from './chaos-options';
import { formatChaosReport } from './chaos-report';
import { runChaos } from './chaos-run';
import { Cleanup } from './cleanup';
import { ownBuild } from '../test/support/service/service-build';

/**
 * npm run chaos -- [options] (see --help). Progress on stderr; the summary on stdout,
 * with --json ending in one JSON line. Exit 0 ok, 1 not ok, 2 bad arguments.
 */
async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseChaosArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`chaos: ${parsed.message}\nRun with --help to see the options.`);
    return 2;
  }
  const options = parsed.options;
  const startedAt = Date.now();
  const log = (line: string) => {
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1).padStart(6);
    process.stderr.write(`[chaos ${options.seed} ${seconds}s] ${line}\n`);
  };
  const cleanup = new Cleanup();
  cleanup.onSignals(log);
  const report = await runChaos(options, { build: ownBuild(), log, cleanup });
  console.log(formatChaosReport(report));
  if (options.json) console.log(JSON.stringify(report));
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('chaos: unexpected failure', error);
    process.exit(1);
  },
);
