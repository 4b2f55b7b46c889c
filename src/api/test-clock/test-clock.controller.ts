import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdvanceTestClockCommand } from '../../billing/commands/advance-test-clock.command';
import { retryDelayMs } from '../../billing/domain';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { ApiErrorResponses } from '../errors/api-error-responses.decorator';
import { ValidationError } from '../errors/validation.error';
import { AdvanceTestClockDto } from './advance-test-clock.dto';
import { TestClockDto } from './test-clock.dto';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Tests and demos only (ANTAEUS_TEST_CLOCK=true, refused in production): moves the
 * service's clock forward and fires the retry scan. 404 TEST_CLOCK_OFF on real time.
 */
@ApiTags('test clock')
@Controller('rest/v1/test-clock')
export class TestClockController {
  constructor(private readonly commands: CommandBus) {}

  @Post('advance')
  @HttpCode(HttpStatus.OK)
  @RequiresScope('operate')
  @ApiOperation({
    summary:
      'Move the test clock forward (ANTAEUS_TEST_CLOCK=true only), then run the retry scan once',
  })
  @ApiOkResponse({ type: TestClockDto })
  @ApiErrorResponses(400, 404)
  async advance(@Body() body: AdvanceTestClockDto): Promise<TestClockDto> {
    const result = await this.commands.execute(new AdvanceTestClockCommand(moveOf(body)));
    return TestClockDto.from(result);
  }
}

function moveOf({ by, to }: AdvanceTestClockDto): { byMs: number } | { to: Date } {
  if ((by === undefined) === (to === undefined)) {
    throw new ValidationError('give exactly one of by (such as "3d") or to (an ISO 8601 instant)');
  }
  if (by !== undefined) {
    const byMs = retryDelayMs(by);
    if (byMs === null || byMs === 0) {
      throw new ValidationError(
        `by: ${JSON.stringify(by)} is not a delay; write a number and s, m, h or d (e.g. "90m", "3d"), at most 366d`,
      );
    }
    return { byMs };
  }
  const at = new Date(to as string);
  if (!ISO_INSTANT.test(to as string) || Number.isNaN(at.getTime())) {
    throw new ValidationError(
      `to: ${JSON.stringify(to)} is not an ISO 8601 instant such as "2026-12-10T09:00:00Z"`,
    );
  }
  return { to: at };
}
