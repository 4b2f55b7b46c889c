import type { RecordedEvent } from '../../event-store/recorded-event';
import {
  decideInstallation,
  evolveInstallation,
  initialInstallationState,
  type InstallationRecorded,
  type InstallationState,
  type RecordInstallation,
} from '../domain';
import { deterministicEventId } from './deterministic-event-id';
import type { StreamDecider } from './stream-decider';

export const INSTALLATION_STREAM = 'antaeus-installation';

/** The one installation stream; the first instance's `no_stream` append wins. */
export const installationDecider: StreamDecider<
  RecordInstallation,
  InstallationState,
  InstallationRecorded,
  never
> = {
  idOf: () => INSTALLATION_STREAM,
  streamName: () => INSTALLATION_STREAM,
  initialState: initialInstallationState,
  evolve: evolveInstallation,
  decide: decideInstallation,
  fromRecorded,
  eventId: (event) =>
    deterministicEventId(event.type, event.data.instanceId, event.data.installedAt),
};

function fromRecorded(recorded: RecordedEvent): InstallationRecorded {
  if (recorded.type !== 'InstallationRecorded') {
    throw new Error(
      `${recorded.stream} holds a ${recorded.type}; only InstallationRecorded belongs there`,
    );
  }
  return { type: recorded.type, data: recorded.data } as unknown as InstallationRecorded;
}
