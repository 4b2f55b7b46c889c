import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Pool } from 'pg';
import { measurement, secondsSince, type Measurement } from '../measurement';
import { CONCURRENCY } from '../settings';

const TABLE = 'CREATE TABLE ceiling (id bigserial PRIMARY KEY, payload text NOT NULL)';
const INSERT = "INSERT INTO ceiling (payload) VALUES ('x')";

/** pgbench from PATH or PostgreSQL's bin directory, or null. */
export function findPgbench(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'pgbench'))) return join(dir, 'pgbench');
  }
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : [];
  for (const version of versions.sort().reverse()) {
    const path = join('/usr/lib/postgresql', version, 'bin', 'pgbench');
    if (existsSync(path)) return path;
  }
  return null;
}

/**
 * The server's commit rate for one-row INSERT transactions with CONCURRENCY clients:
 * the physical limit any one-append-per-transaction design works under.
 */
export async function commitCeiling(
  connectionString: string,
  seconds: number,
): Promise<Measurement> {
  const setup = new Client({ connectionString });
  await setup.connect();
  try {
    await setup.query(TABLE);
  } finally {
    await setup.end();
  }
  const pgbench = findPgbench();
  return pgbench
    ? viaPgbench(pgbench, connectionString, seconds)
    : viaNodePool(connectionString, seconds);
}

async function viaPgbench(
  pgbench: string,
  connectionString: string,
  seconds: number,
): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'antaeus-ceiling-'));
  try {
    const script = join(dir, 'insert.sql');
    writeFileSync(script, `${INSERT};\n`);
    const args = ['-n', '-M', 'prepared', '-c', String(CONCURRENCY), '-j', '2'];
    args.push('-T', String(seconds), '-f', script, connectionString);
    const { stdout } = await promisify(execFile)(pgbench, args);
    const tps = /tps = ([\d.]+)/.exec(stdout);
    const processed = /number of transactions actually processed: (\d+)/.exec(stdout);
    if (!tps || !processed) throw new Error(`could not read pgbench's output:\n${stdout}`);
    const count = Number(processed[1]);
    return measurement(count, count / Number(tps[1]), { tool: 'pgbench', clients: CONCURRENCY });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function viaNodePool(connectionString: string, seconds: number): Promise<Measurement> {
  const pool = new Pool({ connectionString, max: CONCURRENCY });
  try {
    const started = process.hrtime.bigint();
    const deadline = Date.now() + seconds * 1000;
    let commits = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < deadline) {
          await pool.query(INSERT);
          commits += 1;
        }
      }),
    );
    return measurement(commits, secondsSince(started), {
      tool: 'node-pg pool',
      clients: CONCURRENCY,
    });
  } finally {
    await pool.end();
  }
}
