import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildOnce, E2E_BUILD, ROOT } from '../e2e/support/build-once';
import { ServiceProcess } from '../support/service/service-process';
import { waitFor } from '../support/wait-for';

const run = promisify(execFile);

/** The README's quick start: the first `sh` block under its heading. */
function quickStartBlock(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('\n## Quick start')[1];
  const block = section?.match(/```sh\n([\s\S]*?)```/)?.[1];
  if (!block) throw new Error('README.md has no ```sh block under "## Quick start"');
  return block.split('\n');
}

interface Expectation {
  /** The status the comment names (`# 201 ...`). */
  readonly status?: number;
  /** The `"field":value` pairs it shows, `...` values aside. */
  readonly fields: ReadonlyArray<readonly [string, unknown]>;
  /** `(again with the key: the same 201)`: a repeat answers exactly the same. */
  readonly sameAgain: boolean;
}

interface Step {
  readonly command: string;
  readonly expected: Expectation[];
}

interface QuickStart {
  /** The variables the README starts the service with (`A=b C=d npm start`). */
  readonly serviceEnv: Record<string, string>;
  /** `export ...` and `H=(...)`: what every request runs after. */
  readonly setup: string[];
  readonly steps: Step[];
}

function expectationOf(comment: string): Expectation {
  const text = comment.replace(/^\s*#\s*/, '');
  const status = /^(\d{3})\b/.exec(text)?.[1];
  const fields = [...text.matchAll(/"(\w+)":("[^"]*"|-?\d+(?:\.\d+)?|null|true|false)/g)]
    .filter(([, , value]) => !value.includes('...'))
    .map(([, key, value]) => [key, JSON.parse(value)] as const);
  return {
    ...(status ? { status: Number(status) } : {}),
    fields,
    sameAgain: /again with the key: the same/.test(text),
  };
}

/** Reads the block as a reader would run it: set-up lines, then each curl with the comments after it. */
function parseQuickStart(lines: readonly string[]): QuickStart {
  const setup: string[] = [];
  const steps: { command: string; expected: Expectation[] }[] = [];
  let serviceEnv: Record<string, string> | undefined;
  let token = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    if (line.trimStart().startsWith('#')) {
      steps.at(-1)?.expected.push(expectationOf(line));
      continue;
    }
    if (/\bnpm start\b/.test(line)) {
      const assignments = line
        .split(/\bnpm start\b/)[0]
        .trim()
        .split(/\s+/);
      serviceEnv = Object.fromEntries(
        assignments.map((assignment) => {
          const [name, value] = assignment.split('=');
          return [name, value === '$TOKEN' ? token : value];
        }),
      );
      continue;
    }
    if (line.startsWith('curl ')) {
      let command = line;
      while (command.endsWith('\\')) command = `${command}\n${lines[++i]}`;
      const [code, inline] = splitInlineComment(command);
      steps.push({ command: code, expected: inline ? [expectationOf(inline)] : [] });
      continue;
    }
    const exported = /^export TOKEN=(\S+)$/.exec(line);
    if (exported) token = exported[1];
    setup.push(line);
  }
  if (!serviceEnv) throw new Error('the quick start never starts the service (npm start)');
  return { serviceEnv, setup, steps };
}

/** `curl ... # comment` → the command and the comment (no `#` inside the commands' quotes here). */
function splitInlineComment(command: string): [string, string | undefined] {
  const at = command.search(/\s#\s/);
  return at < 0 ? [command, undefined] : [command.slice(0, at), command.slice(at)];
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

/**
 * The README's quick start, run with bash and curl as a new user would, against the
 * built service on the embedded store, started with the README's own settings: every
 * status and field its comments promise is what the service answers.
 */
describe('the README quick start', () => {
  const quickStart = parseQuickStart(quickStartBlock());
  const dataDir = mkdtempSync(join(tmpdir(), 'antaeus-quick-start-'));
  let service: ServiceProcess;

  beforeAll(async () => {
    await buildOnce();
    service = await ServiceProcess.start(
      'quick-start',
      {
        ...quickStart.serviceEnv,
        ANTAEUS_DATA_DIR: dataDir,
        // The README shows the happy path: no simulated declines or network faults.
        SIMULATED_DECLINED_RATE: '0',
        SIMULATED_CUSTOMER_NOT_FOUND_RATE: '0',
        SIMULATED_CURRENCY_MISMATCH_RATE: '0',
        SIMULATED_NETWORK_ERROR_RATE: '0',
        SIMULATED_AMBIGUOUS_CHARGED_RATE: '0',
        SIMULATED_AMBIGUOUS_NOT_CHARGED_RATE: '0',
      },
      E2E_BUILD,
    );
  }, 180_000);

  afterAll(async () => {
    await service?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function curl(command: string): Promise<Answer> {
    const bodyFile = join(dataDir, 'answer.json');
    const script = [
      'set -euo pipefail',
      ...quickStart.setup,
      `curl() { command curl -sS -o ${bodyFile} -w '%{http_code}' "$@"; }`,
      command.replaceAll('localhost:7000', `127.0.0.1:${service.port}`),
    ].join('\n');
    const { stdout } = await run('bash', ['-c', script], { cwd: ROOT });
    return { status: Number(stdout), body: readFileSync(bodyFile, 'utf8') };
  }

  function unmet(answer: Answer, expected: readonly Expectation[]): string[] {
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    return expected.flatMap(({ status, fields }) => [
      ...(status !== undefined && answer.status !== status ? [`status ${status}`] : []),
      ...fields
        .filter(([key, value]) => body[key] !== value)
        .map(([key, value]) => `${key} ${JSON.stringify(value)}`),
    ]);
  }

  it('shows at least a customer, an invoice, a run and the outcome', () => {
    const commands = quickStart.steps.map((step) => step.command).join('\n');
    expect(commands).toMatch(/POST \S+\/rest\/v1\/customers/);
    expect(commands).toMatch(/POST \S+\/rest\/v1\/invoices/);
    expect(commands).toMatch(/POST \S+\/rest\/v1\/billing-runs/);
    expect(quickStart.steps.flatMap((step) => step.expected.flatMap((e) => e.fields))).toEqual(
      expect.arrayContaining([['status', 'PAID']]),
    );
  });

  it('answers every request as its comment says', async () => {
    for (const { command, expected } of quickStart.steps) {
      const read = !/-X POST/.test(command);
      let answer = await curl(command);
      // A read may show a run's work a moment later ("a moment later" in the README).
      if (read && unmet(answer, expected).length > 0) {
        await waitFor(
          async () => {
            answer = await curl(command);
            return unmet(answer, expected).length === 0;
          },
          { timeoutMs: 30_000, intervalMs: 200, message: `${command} as its comment says` },
        );
      }
      expect({ command, unmet: unmet(answer, expected), answer }).toEqual({
        command,
        unmet: [],
        answer,
      });
      if (expected.some((each) => each.sameAgain)) {
        expect(await curl(command)).toEqual(answer);
      }
    }
  }, 120_000);
});
