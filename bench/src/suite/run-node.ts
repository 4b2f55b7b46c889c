import { spawn } from 'node:child_process';

export interface NodeRun {
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock seconds from spawn to exit. */
  readonly wallSeconds: number;
}

export interface RunNodeOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Called for each stdout line the moment it arrives, with process.hrtime.bigint(). */
  readonly onLine?: (line: string, at: bigint) => void;
  /** Called once the child exists, with its pid (to sample /proc/<pid>, say). */
  readonly onSpawn?: (pid: number) => void;
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20 * 60_000;

/** Runs `node <args>`; rejects with its stderr when it exits non-zero or times out. */
export function runNode(args: readonly string[], options: RunNodeOptions = {}): Promise<NodeRun> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const at = process.hrtime.bigint();
    stdout += chunk;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onLine?.(line, at);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (partial) options.onLine?.(partial, process.hrtime.bigint());
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code === 0) return resolve({ stdout, stderr, wallSeconds });
      const why = signal ? `was killed (${signal})` : `exited with ${code}`;
      reject(new Error(`node ${args.join(' ')} ${why}:\n${tail(stderr || stdout)}`));
    });
  });
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
