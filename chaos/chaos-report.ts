import type { ChaosOptions, ProviderMode, SimulatorKind } from './chaos-options';
import type { MoneyFindings } from '../test/support/service/money-checks';
import {
  UNKNOWN_CAUSES,
  type OutageUnknown,
  type UnknownAttribution,
  type UnknownCause,
} from './unknown-causes';

/** What one chaos run did and found; with --json, the last stdout line. */
export interface ChaosReport {
  readonly seed: number;
  readonly mode: ProviderMode;
  readonly simulator: SimulatorKind;
  readonly invoices: number;
  readonly instances: number;
  /** Kills carried out. */
  readonly kills: number;
  readonly killsPlanned: number;
  /** Per kill, the attempts the victim had claimed and not seen end (in-flight-at-kills.ts). */
  readonly inFlightAtKills: readonly number[];
  readonly pgRestarts: number;
  readonly pgRestartPlanned: boolean;
  readonly durationS: number;
  readonly paid: number;
  readonly failed: number;
  readonly unknown: number;
  /** Each UNKNOWN invoice's cause, from evidence (unknown-causes.ts); they add up to `unknown`. */
  readonly unknownByCause: Readonly<Record<UnknownCause, number>>;
  /** UNKNOWN stranded by each kill, beside `inFlightAtKills`, its bound. */
  readonly unknownPerKill: readonly number[];
  /** Each outage's UNKNOWN against its bound (in flight when it began, plus the probes). */
  readonly unknownPerOutage: readonly OutageUnknown[];
  /** UNKNOWN the provider did process: its lookup can still settle them. */
  readonly unknownProcessed: number;
  /** Each bound on UNKNOWN a kill or an outage broke (a problem each). */
  readonly unknownBoundsBroken: readonly string[];
  /** FAILED with reason NETWORK: the provider never gave a definite answer. */
  readonly failedNetwork: number;
  /** Provider outages played (--outages / --faults). */
  readonly outages: number;
  readonly doubleCharges: number;
  readonly lostInvoices: number;
  readonly chargedButNotPaidOrUnknown: number;
  readonly ambiguousRetries: number;
  readonly replaysCharged: number;
  readonly unexpectedExits: number;
  readonly settled: boolean;
  readonly auditOk: boolean;
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
  /** Where the ledger, the logs and PostgreSQL's data were kept; null when removed. */
  readonly keptIn: string | null;
  readonly ok: boolean;
}

/** The facts of a run that got to its checks. */
export interface RunFacts {
  readonly options: ChaosOptions;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly kills: number;
  readonly inFlightAtKills: readonly number[];
  readonly unknownCauses: UnknownAttribution;
  readonly pgRestarts: number;
  /** Null when the run settled in time; otherwise where it stood. */
  readonly unsettled: string | null;
  readonly counts: {
    readonly paid: number;
    readonly failed: number;
    readonly unknown: number;
    readonly failedNetwork: number;
  };
  readonly findings: MoneyFindings;
  readonly audit: { readonly code: number; readonly output: string };
  readonly unexpectedExits: readonly string[];
  readonly restartFailures: readonly string[];
  readonly skippedSteps: number;
  readonly keptIn: string | null;
}

const AUDIT_LINES_SHOWN = 30;
const UNEXPLAINED_SHOWN = 5;

/** The verdict: ok only if the run settled, no money check found anything and the audit passed. */
export function chaosReport(facts: RunFacts): ChaosReport {
  const { options, findings, audit } = facts;
  const auditOk = audit.code === 0;
  const problems = [
    ...(facts.unsettled === null ? [] : [facts.unsettled]),
    ...findings.problems,
    ...(auditOk ? [] : [`audit exited ${audit.code}:\n${lastLines(audit.output)}`]),
    ...facts.restartFailures.map((id) => `${id} could not be started again`),
    ...unknownProblems(facts.unknownCauses),
  ];
  const warnings = [
    ...facts.unexpectedExits,
    ...(facts.skippedSteps > 0
      ? [`${facts.skippedSteps} planned step(s) skipped: the run ended before their progress point`]
      : []),
    ...(facts.unknownCauses.byCause.timeout > 0
      ? [
          `${facts.unknownCauses.byCause.timeout} UNKNOWN from timeouts with no kill or fault to blame: the provider or the machine was too slow for the instances' timeouts`,
        ]
      : []),
    ...(findings.replaysCharged > 0
      ? [
          `${findings.replaysCharged} charge(s) of a key already charged counted once: the in-process simulator's memory is per process (a real idempotent provider answers from memory)`,
        ]
      : []),
  ];
  return {
    ...base(options, facts.startedAt, facts.endedAt),
    kills: facts.kills,
    inFlightAtKills: facts.inFlightAtKills,
    pgRestarts: facts.pgRestarts,
    ...facts.counts,
    unknownByCause: facts.unknownCauses.byCause,
    unknownPerKill: facts.unknownCauses.perKill,
    unknownPerOutage: facts.unknownCauses.perOutage,
    unknownProcessed: facts.unknownCauses.processedByProvider,
    unknownBoundsBroken: [...facts.unknownCauses.broken, ...facts.unknownCauses.outagesOverBound],
    doubleCharges: findings.doubleCharges.length,
    lostInvoices: findings.lostInvoices.length,
    chargedButNotPaidOrUnknown: findings.chargedButNotPaidOrUnknown.length,
    ambiguousRetries: findings.ambiguousRetries.length,
    replaysCharged: findings.replaysCharged,
    unexpectedExits: facts.unexpectedExits.length,
    settled: facts.unsettled === null,
    auditOk,
    problems,
    warnings,
    keptIn: facts.keptIn,
    ok: problems.length === 0,
  };
}

/** A run that could not be carried out (PostgreSQL would not start, a build is missing...). */
export function brokenRunReport(
  options: ChaosOptions,
  startedAt: number,
  error: unknown,
  keptIn: string | null,
): ChaosReport {
  const message = error instanceof Error ? describeError(error) : String(error);
  return {
    ...base(options, startedAt, Date.now()),
    kills: 0,
    inFlightAtKills: [],
    pgRestarts: 0,
    paid: 0,
    failed: 0,
    unknown: 0,
    unknownByCause: noCauses(),
    unknownPerKill: [],
    unknownPerOutage: [],
    unknownProcessed: 0,
    unknownBoundsBroken: [],
    failedNetwork: 0,
    doubleCharges: 0,
    lostInvoices: 0,
    chargedButNotPaidOrUnknown: 0,
    ambiguousRetries: 0,
    replaysCharged: 0,
    unexpectedExits: 0,
    settled: false,
    auditOk: false,
    problems: [`the run could not be carried out: ${message}`],
    warnings: [],
    keptIn,
    ok: false,
  };
}

/**
 * An UNKNOWN nobody can explain, or more UNKNOWN than a kill or an outage may strand
 * (docs/design.md §2.7, invariant 7), makes the run not ok: the product stranded an
 * attempt it should not have, or the report's reading of the evidence is wrong. Either
 * way a person must look, with the evidence kept.
 */
function unknownProblems(causes: UnknownAttribution): string[] {
  const { unexplained } = causes;
  const listed = unexplained.slice(0, UNEXPLAINED_SHOWN).map((line) => `\n  ${line}`);
  const more = unexplained.length > UNEXPLAINED_SHOWN ? `\n  ...` : '';
  return [
    ...(unexplained.length > 0
      ? [
          `${unexplained.length} UNKNOWN not explained by a kill, an outage, a lost answer or a timeout:${listed.join('')}${more}`,
        ]
      : []),
    ...[...causes.broken, ...causes.outagesOverBound].map((bound) => `bound broken: ${bound}`),
  ];
}

export function noCauses(): Record<UnknownCause, number> {
  return Object.fromEntries(UNKNOWN_CAUSES.map((cause) => [cause, 0])) as Record<
    UnknownCause,
    number
  >;
}

function base(options: ChaosOptions, startedAt: number, endedAt: number) {
  return {
    seed: options.seed,
    mode: options.provider,
    simulator: options.simulator,
    invoices: options.invoices,
    instances: options.instances,
    killsPlanned: options.kills,
    pgRestartPlanned: options.pgRestart,
    outages: options.outages.length,
    durationS: Math.round((endedAt - startedAt) / 100) / 10,
  };
}

function describeError(error: Error): string {
  const cause = error.cause instanceof Error ? `\n  caused by: ${describeError(error.cause)}` : '';
  return `${error.message}${cause}`;
}

function lastLines(text: string): string {
  return text.trimEnd().split('\n').slice(-AUDIT_LINES_SHOWN).join('\n');
}

/** The report for people: one screen. */
export function formatChaosReport(report: ChaosReport): string {
  const pg = report.pgRestartPlanned ? `, PostgreSQL crash-restarts ${report.pgRestarts}/1` : '';
  const lines = [
    `chaos seed ${report.seed}: ${report.ok ? 'OK' : 'NOT OK'}`,
    `  provider ${report.mode} (${report.simulator}), ${report.invoices} invoices, ${report.instances} instances`,
    `  kills ${report.kills}/${report.killsPlanned}${pg}, ${report.durationS} s`,
    ...(report.kills > 0
      ? [
          `  calls in flight at each kill: ${report.inFlightAtKills.join(', ')}; UNKNOWN from each: ${report.unknownPerKill.join(', ')}`,
        ]
      : []),
    `  invoices: ${report.paid} PAID, ${report.failed} FAILED (${report.failedNetwork} NETWORK), ${report.unknown} UNKNOWN${report.settled ? '' : ' (did not settle)'}`,
    ...(report.unknown > 0 ? [`  UNKNOWN by cause: ${describeCauses(report)}`] : []),
    ...(report.outages > 0
      ? [
          `  provider outages ${report.outages}: ${report.failedNetwork} FAILED (NETWORK) in all; UNKNOWN per outage (bound: in flight when it began + probes): ${describeOutages(report.unknownPerOutage)}`,
        ]
      : []),
    `  (a) double charges: ${report.doubleCharges}`,
    `  (b) lost invoices: ${report.lostInvoices}; charged but not PAID/UNKNOWN: ${report.chargedButNotPaidOrUnknown}`,
    `  (c) audit: ${report.auditOk ? 'ok' : 'FAILED'}`,
    `  (d) ambiguous attempts retried: ${report.mode === 'idempotent' ? 'n/a (idempotent provider)' : report.ambiguousRetries}`,
  ];
  if (report.problems.length > 0) {
    lines.push('  problems:', ...report.problems.map((problem) => indent(`- ${problem}`)));
  }
  if (report.warnings.length > 0) {
    lines.push('  warnings:', ...report.warnings.map((warning) => indent(`- ${warning}`)));
  }
  if (report.keptIn !== null) lines.push(`  evidence kept in ${report.keptIn}`);
  return lines.join('\n');
}

function describeCauses(report: ChaosReport): string {
  const causes = UNKNOWN_CAUSES.filter((cause) => report.unknownByCause[cause] > 0).map(
    (cause) => `${cause} ${report.unknownByCause[cause]}`,
  );
  const processed =
    report.unknownProcessed > 0
      ? ` (${report.unknownProcessed} processed by the provider: its lookup can still settle them)`
      : '';
  return `${causes.join(', ')}${processed}`;
}

function describeOutages(outages: readonly OutageUnknown[]): string {
  if (outages.length === 0) return 'none played';
  return outages
    .map((o) => `#${o.outage} ${o.unknown} (bound ${o.bound} = ${o.inFlightAtStart} + ${o.probes})`)
    .join(', ');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
