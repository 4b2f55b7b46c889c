import { createReadStream, type ReadStream } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { CSV_COLUMNS, csvRecordToBody, type ImportKind } from './import-kind';
import { parseCsvLine } from './parse-csv-line';

export type ImportFormat = 'csv' | 'ndjson';

/** One record of the file: the body the REST route would take, or why the line is not one. */
export type ImportRecord =
  | { readonly line: number; readonly body: unknown }
  | { readonly line: number; readonly error: string };

/** The format, by the file's extension: `.csv`, or `.ndjson` / `.jsonl`. */
export function importFormatOf(file: string): ImportFormat | null {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.ndjson' || extension === '.jsonl') return 'ndjson';
  return null;
}

/** Thrown when the file cannot be read as a whole (its CSV header): nothing is imported. */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
}

/**
 * The file's records, one line at a time (never the whole file in memory), numbered as a
 * text editor numbers lines. Blank lines are skipped. `bytesRead` tells how far it got.
 */
export class ImportFile {
  private readonly stream: ReadStream;

  constructor(
    private readonly file: string,
    private readonly kind: ImportKind,
    private readonly format: ImportFormat,
  ) {
    this.stream = createReadStream(file);
  }

  get bytesRead(): number {
    return this.stream.bytesRead;
  }

  async *records(): AsyncGenerator<ImportRecord> {
    const lines = createInterface({ input: this.stream, crlfDelay: Infinity });
    let header: string[] | null = null;
    let line = 0;
    for await (const text of lines) {
      line += 1;
      if (text.trim() === '') continue;
      if (this.format === 'ndjson') {
        yield parseJsonLine(line, text);
      } else if (header === null) {
        header = this.header(text, line);
      } else {
        yield csvRecord(this.kind, header, line, text);
      }
    }
  }

  private header(text: string, line: number): string[] {
    const parsed = parseCsvLine(text.replace(/^\uFEFF/, ''));
    if ('error' in parsed)
      throw new ImportFileError(`${this.file}:${line}: header: ${parsed.error}`);
    const header = parsed.cells.map((cell) => cell.trim());
    const { required, optional } = CSV_COLUMNS[this.kind];
    const missing = required.filter((column) => !header.includes(column));
    const unknown = header.filter((column) => ![...required, ...optional].includes(column));
    const twice = header.filter((column, i) => header.indexOf(column) !== i);
    const problems = [
      missing.length > 0 ? `missing column(s) ${missing.join(', ')}` : null,
      unknown.length > 0 ? `unknown column(s) ${unknown.join(', ')}` : null,
      twice.length > 0 ? `repeated column(s) ${twice.join(', ')}` : null,
    ].filter((problem) => problem !== null);
    if (problems.length > 0) {
      throw new ImportFileError(
        `${this.file}:${line}: the CSV header of ${this.kind} needs ${required.join(', ')} ` +
          `(optional: ${optional.join(', ')}): ${problems.join('; ')}`,
      );
    }
    return header;
  }
}

function parseJsonLine(line: number, text: string): ImportRecord {
  try {
    return { line, body: JSON.parse(text) as unknown };
  } catch (error) {
    return { line, error: `not a JSON object: ${(error as Error).message}` };
  }
}

function csvRecord(kind: ImportKind, header: string[], line: number, text: string): ImportRecord {
  const parsed = parseCsvLine(text);
  if ('error' in parsed) return { line, error: parsed.error };
  if (parsed.cells.length !== header.length) {
    return {
      line,
      error: `${parsed.cells.length} cell(s), the header has ${header.length} (${header.join(', ')})`,
    };
  }
  const record = new Map(header.map((column, i) => [column, parsed.cells[i]]));
  return { line, body: csvRecordToBody(kind, record) };
}
