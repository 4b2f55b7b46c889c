/** What an import did, line by line. */
export interface ImportSummary {
  /** Records read (blank lines and the CSV header are not records). */
  records: number;
  /** Written by this import. */
  created: number;
  /** Already there with the same facts (a re-run, or the same line twice): nothing written. */
  existing: number;
  /** Refused, each with its line and reason in the rejects file. */
  rejected: number;
}

export function emptySummary(): ImportSummary {
  return { records: 0, created: 0, existing: 0, rejected: 0 };
}

/** The summary's lines, as the CLI prints them. */
export function describeSummary(
  kind: string,
  file: string,
  summary: ImportSummary,
  seconds: number,
  rejectsFile: string,
): string {
  const rate = Math.round(summary.records / Math.max(seconds, 0.001));
  const lines = [
    `Imported ${kind} from ${file} in ${seconds.toFixed(1)} s (${rate.toLocaleString('en-US')} lines/s):`,
    `  ${summary.records.toLocaleString('en-US')} lines read`,
    `  ${summary.created.toLocaleString('en-US')} new`,
    `  ${summary.existing.toLocaleString('en-US')} already there (same facts; nothing written)`,
    `  ${summary.rejected.toLocaleString('en-US')} rejected` +
      (summary.rejected > 0 ? `: line and reason of each in ${rejectsFile}` : ''),
  ];
  return lines.join('\n');
}
