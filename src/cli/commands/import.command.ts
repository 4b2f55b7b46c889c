import { stat } from 'node:fs/promises';
import { Optional } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Command, CommandRunner, Option } from 'nest-commander';
import { ProjectionsRunner } from '../../../projections/projections-runner';
import { parsePositiveInteger } from '../parse-options';
import { ProgressBar } from '../progress-bar';
import { IMPORT_KINDS, isImportKind } from '../import/import-kind';
import { describeSummary } from '../import/import-summary';
import { Importer } from '../import/importer';
import { ImportFile, importFormatOf } from '../import/read-import-file';
import { RejectsFile } from '../import/rejects-file';

interface ImportOptions {
  rejects?: string;
  batchSize?: number;
}

/** The batch route's limit: a batch of the import is one CreateInvoiceBatchCommand. */
const MAX_BATCH = 1_000;
/** Batches (or registrations) in flight: enough to keep the store busy while one is decided. */
const IN_FLIGHT = { invoices: 4, customers: 32 } as const;

@Command({
  name: 'import',
  arguments: '<kind> <file>',
  description:
    'Import customers or invoices from a CSV (header row) or NDJSON file, by extension. Bad lines go to a rejects file; a re-run writes nothing twice',
})
export class ImportCommand extends CommandRunner {
  constructor(
    private readonly commands: CommandBus,
    @Optional() private readonly projections?: ProjectionsRunner,
  ) {
    super();
  }

  async run([kind, file]: string[], options: ImportOptions): Promise<void> {
    if (!isImportKind(kind)) {
      throw new Error(`import what? ${JSON.stringify(kind)}: one of ${IMPORT_KINDS.join(', ')}`);
    }
    const format = importFormatOf(file);
    if (format === null) {
      throw new Error(`${file}: the format is chosen by extension: .csv, .ndjson or .jsonl`);
    }
    const size = (await stat(file)).size;
    // An import only appends: the read model is the service's to project (or the next
    // process's to start), not this process's, whose CPU bounds the import's rate.
    await this.projections?.stopHere();
    const rejects = new RejectsFile(options.rejects ?? `${file}.rejects.csv`);
    const importer = new Importer(kind, this.commands, rejects, {
      batchSize: options.batchSize ?? MAX_BATCH,
      inFlight: IN_FLIGHT[kind],
    });
    const input = new ImportFile(file, kind, format);
    const bar = new ProgressBar(`importing ${kind}`, 'KiB', Math.ceil(size / 1024));
    const started = performance.now();
    try {
      await importer.import(input.records(), () => {
        if (importer.summary.records % 1_000 === 0) bar.update(Math.ceil(input.bytesRead / 1024));
      });
      bar.update(Math.ceil(size / 1024));
    } finally {
      bar.stop();
      await rejects.close();
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(describeSummary(kind, file, importer.summary, seconds, rejects.path));
    if (importer.summary.rejected > 0) process.exitCode = 1;
  }

  @Option({
    flags: '--rejects <file>',
    description: 'where the rejected lines go, as CSV line,id,reason (default <file>.rejects.csv)',
  })
  parseRejects(value: string): string {
    return value;
  }

  @Option({
    flags: '--batch-size <n>',
    description: `invoices per batch, 1 to ${MAX_BATCH} (default ${MAX_BATCH})`,
  })
  parseBatchSize(value: string): number {
    const size = parsePositiveInteger('--batch-size', value);
    if (size > MAX_BATCH) throw new Error(`--batch-size must be at most ${MAX_BATCH}, got ${size}`);
    return size;
  }
}
