import { Injectable } from '@nestjs/common';
import { CommandExecutor } from '../command-executor';
import { installationDecider } from '../store/installation-decider';

export { INSTALLATION_STREAM } from '../store/installation-decider';

/**
 * When this installation first started, recorded once in the event log (the first
 * instance's `no_stream` append wins), so the catch-up of a missed run can tell "we were
 * down when it was due" from "we did not exist yet".
 */
@Injectable()
export class InstallationRecorder {
  constructor(private readonly executor: CommandExecutor) {}

  async installedAt(): Promise<Date> {
    const outcome = await this.executor.execute(
      installationDecider,
      { type: 'RecordInstallation' },
      { runId: null, causation: 'scheduler', causationId: null },
    );
    // Another instance that recorded it first makes the retry decide nothing: theirs wins.
    const installedAt = outcome.ok ? outcome.state.installedAt : null;
    if (installedAt === null) throw new Error('the installation record could not be written');
    return new Date(installedAt);
  }
}
