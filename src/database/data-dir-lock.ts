import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PGlite keeps one PostgreSQL backend per process over its data directory: two processes
 * on one directory would corrupt it. The first takes this lock file (created exclusively);
 * a second is refused with a message, unless the holder's process is gone.
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static acquire(dataDir: string): DataDirLock {
    const path = join(dataDir, 'antaeus.lock');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = Number(readFileSync(path, 'utf8'));
        if (isAlive(holder)) {
          throw new Error(
            `The embedded store in ${dataDir} is in use by process ${holder}: stop it first, or point DATABASE_URL at a PostgreSQL server to share one store`,
            { cause: error },
          );
        }
        rmSync(path, { force: true }); // left by a process that died: take it over
      }
    }
    throw new Error(`Could not lock the embedded store in ${dataDir}`);
  }

  release(): void {
    rmSync(this.path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
