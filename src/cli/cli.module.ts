import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { serviceModules } from '../app.module';
import { AuditCommand } from './commands/audit.command';
import { BillingCommand, BillingRunSubCommand } from './commands/billing-run.command';
import {
  ProjectionsCommand,
  ProjectionsRebuildSubCommand,
} from './commands/projections-rebuild.command';
import { ImportCommand } from './commands/import.command';
import { SeedCommand } from './commands/seed.command';

/**
 * The operators' CLI: the service's modules without HTTP and without the background
 * loops (scheduler, run watcher, sweep), and the commands.
 */
@Module({})
export class CliModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: serviceModules(config, { background: false }),
      providers: [
        SeedCommand,
        BillingCommand,
        BillingRunSubCommand,
        ProjectionsCommand,
        ProjectionsRebuildSubCommand,
        AuditCommand,
        ImportCommand,
      ],
    };
  }
}
