import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** The rejected lines of an import, as CSV: `line,id,reason`, one row per line refused. */
export class RejectsFile {
  private readonly out: WriteStream;
  count = 0;

  constructor(readonly path: string) {
    this.out = createWriteStream(path);
    this.out.write('line,id,reason\n');
  }

  add(line: number, id: string | null, reason: string): void {
    this.count += 1;
    this.out.write(`${line},${quote(id ?? '')},${quote(reason)}\n`);
  }

  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""').replace(/\r?\n/g, ' ')}"` : cell;
}
