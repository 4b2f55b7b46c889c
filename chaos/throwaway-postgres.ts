import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from '../test/support/service/free-port';

const run = promisify(execFile);
const PG_CTL_TIMEOUT_S = 60;

/**
 * A PostgreSQL cluster of its own (initdb into a directory of the run's, started on a
 * free port), so that crashing it with `pg_ctl restart -m immediate` touches nobody else's
 * server. fsync stays on: a crash must not lose what was committed. As root, initdb and
 * pg_ctl run as the postgres user, since initdb refuses root.
 */
export class ThrowawayPostgres {
  private stopped = false;

  private constructor(
    private readonly bin: string,
    readonly dir: string,
    readonly port: number,
  ) {}

  /** Creates the cluster in `<parent>/pg` and starts it; `parent` must exist. */
  static async start(parent: string): Promise<ThrowawayPostgres> {
    const bin = postgresBinDir();
    const dir = join(parent, 'pg');
    mkdirSync(dir);
    const server = new ThrowawayPostgres(bin, dir, await freePort());
    try {
      if (isRoot()) {
        // The postgres user must reach its directory through the parent, and own it.
        chmodSync(parent, 0o711);
        chownSync(dir, postgresId('-u'), postgresId('-g'));
      }
      await server.pg('initdb', [
        ...['-D', server.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8'],
        ...['--locale=C', '--no-sync', '--no-instructions'],
      ]);
      await server.pgCtl('start', ['-o', server.serverOptions()]);
      return server;
    } catch (error) {
      server.stop();
      throw new Error(`Could not start a throwaway PostgreSQL in ${dir} (log: ${server.logFile})`, {
        cause: error,
      });
    }
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  get logFile(): string {
    return join(this.dir, 'postgres.log');
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Creates an empty database; returns its URL. */
  async createDatabase(name: string): Promise<string> {
    const client = new Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  /** A crash: the server stops without a checkpoint and recovers from its WAL on start. */
  async crashRestart(): Promise<void> {
    await this.pgCtl('restart', ['-m', 'immediate', '-o', this.serverOptions()]);
  }

  /** Stops the server at once (immediate: nothing is left to keep); the directory stays. */
  stop(): void {
    if (this.stopped || !existsSync(join(this.dataDir, 'postmaster.pid'))) return;
    this.stopped = true;
    try {
      execFileSync(...this.command('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', 'stop']), {
        stdio: 'ignore',
      });
    } catch {
      // Already down: nothing to stop.
    }
  }

  private serverOptions(): string {
    return [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${this.dir}`,
      '-c fsync=on',
      '-c synchronous_commit=on',
      '-c shared_buffers=32MB',
      '-c max_connections=100',
    ].join(' ');
  }

  private pgCtl(action: string, args: readonly string[]): Promise<void> {
    const common = ['-D', this.dataDir, '-l', this.logFile, '-w', '-t', String(PG_CTL_TIMEOUT_S)];
    return this.pg('pg_ctl', [...common, ...args, action]);
  }

  private async pg(program: string, args: readonly string[]): Promise<void> {
    const [file, argv] = this.command(program, args);
    try {
      await run(file, argv, { timeout: (PG_CTL_TIMEOUT_S + 30) * 1000 });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`${program} ${args.join(' ')} failed:\n${stdout}${stderr}`, {
        cause: error,
      });
    }
  }

  private command(program: string, args: readonly string[]): [string, string[]] {
    const path = join(this.bin, program);
    return isRoot() ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, [...args]];
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function postgresId(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
}

/** Where initdb and pg_ctl live: `pg_config --bindir`, else the newest /usr/lib/postgresql/N/bin. */
export function postgresBinDir(): string {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // No pg_config on PATH: look where Debian and Ubuntu put the server.
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => join(debian, version, 'bin')));
  }
  const found = candidates.find((dir) =>
    ['initdb', 'pg_ctl', 'postgres'].every((program) => existsSync(join(dir, program))),
  );
  if (found === undefined) {
    throw new Error(
      'The PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found through ' +
        '`pg_config --bindir` or in /usr/lib/postgresql/*/bin: install the PostgreSQL server ' +
        '(Debian: apt-get install postgresql)',
    );
  }
  return found;
}
