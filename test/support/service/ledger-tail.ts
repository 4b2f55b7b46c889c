import { closeSync, openSync, readSync } from 'node:fs';
import type { LedgerEntry } from './ledger-entry';

/**
 * Follows a ledger file as the services append to it, reading only the new bytes each
 * time: cheap enough to poll every millisecond, so a kill can land right after a
 * charge, before its instance has recorded the answer.
 */
export class LedgerTail {
  private offset = 0;
  private partial = '';

  constructor(private readonly path: string) {}

  /** The entries appended since the last call. */
  next(): LedgerEntry[] {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (error) {
      // Not created yet: the simulator opens it when it starts.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    try {
      const chunks: Buffer[] = [];
      const buffer = Buffer.alloc(64 * 1024);
      for (let read; (read = readSync(fd, buffer, 0, buffer.length, this.offset)) > 0;) {
        chunks.push(Buffer.from(buffer.subarray(0, read)));
        this.offset += read;
      }
      const lines = (this.partial + Buffer.concat(chunks).toString('utf8')).split('\n');
      this.partial = lines.pop() ?? '';
      return lines.filter((line) => line !== '').map((line) => JSON.parse(line) as LedgerEntry);
    } finally {
      closeSync(fd);
    }
  }
}
