import { accept, type Decision } from './decision';
import type { DecideContext } from './decide-context';

/*
 * The installation record: when this installation first started, written once, so the
 * catch-up of a missed run can tell "we were down when it was due" from "we did not
 * exist yet".
 */

export type InstallationRecorded = {
  readonly type: 'InstallationRecorded';
  readonly data: { readonly installedAt: string; readonly instanceId: string };
};

export type RecordInstallation = { readonly type: 'RecordInstallation' };

export type InstallationState = { readonly installedAt: string | null };

export const initialInstallationState: InstallationState = Object.freeze({ installedAt: null });

/** The first record wins; later ones are ignored, never a corruption. */
export function evolveInstallation(
  state: InstallationState,
  event: InstallationRecorded,
): InstallationState {
  return state.installedAt === null ? { installedAt: event.data.installedAt } : state;
}

/** Records the installation now, unless it is recorded already (then nothing to append). */
export function decideInstallation(
  _command: RecordInstallation,
  state: InstallationState,
  context: DecideContext,
): Decision<InstallationRecorded, never> {
  if (state.installedAt !== null) return accept();
  return accept({
    type: 'InstallationRecorded',
    data: { installedAt: context.now, instanceId: context.instanceId },
  });
}
