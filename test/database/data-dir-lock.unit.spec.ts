import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLock } from '../../src/database/data-dir-lock';

describe('DataDirLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'antaeus-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets one holder in and refuses a second, naming the holder', () => {
    const lock = DataDirLock.acquire(dir);
    expect(readFileSync(join(dir, 'antaeus.lock'), 'utf8')).toBe(String(process.pid));
    expect(() => DataDirLock.acquire(dir)).toThrow(`in use by process ${process.pid}`);
    lock.release();
    DataDirLock.acquire(dir).release();
  });

  it('takes over a lock left by a process that died', () => {
    const exited = spawnSync(process.execPath, ['-e', 'process.exit(0)']);
    writeFileSync(join(dir, 'antaeus.lock'), String(exited.pid));
    const lock = DataDirLock.acquire(dir);
    expect(readFileSync(join(dir, 'antaeus.lock'), 'utf8')).toBe(String(process.pid));
    lock.release();
  });
});
