import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';
import { serverInfo, type ServerInfo } from './scratch-database';

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly platform: string;
  readonly node: string;
  readonly postgres: ServerInfo;
  readonly loadAverageAtStart: readonly number[];
  readonly peerVersions: Readonly<Record<string, string>>;
  /** The commit under test; `-dirty` when the work tree had changes. */
  readonly antaeusRevision: string;
}

const PEERS = [
  'graphile-worker',
  'pg-boss',
  '@event-driven-io/emmett',
  '@event-driven-io/emmett-postgresql',
];

export async function machineInfo(): Promise<MachineInfo> {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${platform()} ${release()}`,
    node: process.version,
    postgres: await serverInfo(),
    loadAverageAtStart: loadavg(),
    peerVersions: Object.fromEntries(PEERS.map((name) => [name, installedVersion(name)])),
    antaeusRevision: revision(),
  };
}

function installedVersion(name: string): string {
  const file = join(REPO_ROOT, 'bench', 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function revision(): string {
  try {
    const args = ['describe', '--always', '--dirty'];
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown (not a git work tree)';
  }
}
