import { periodOf } from '../domain';
import { latestFire } from './latest-fire';
import { periodLengthOf } from './period-length';

export interface MissedRunInput {
  readonly cron: string;
  readonly timeZone: string;
  /** When this installation first started (recorded durably, see InstallationRecorder). */
  readonly installedAt: Date;
  readonly now: Date;
}

export interface MissedRun {
  /** The period of the run that should have started: its month, or its day (periodLengthOf). */
  readonly period: string;
  readonly scheduledAt: Date;
}

/**
 * The scheduled run the service should have started while it was down: the latest fire
 * time before now, if it came after the installation. A fresh install has none (it
 * does not bill at its first start). Only the latest period is caught up: a run charges
 * every PENDING invoice due by the day it starts, whatever period it was issued in. The caller starts it only if
 * that period's run stream does not exist.
 */
export function findMissedRun(input: MissedRunInput): MissedRun | null {
  const { cron, timeZone, installedAt, now } = input;
  if (now.getTime() <= installedAt.getTime()) return null;
  const scheduledAt = latestFire(cron, timeZone, installedAt, now);
  if (scheduledAt === null) return null;
  const length = periodLengthOf(cron, timeZone);
  return { period: periodOf(scheduledAt, timeZone, length), scheduledAt };
}
