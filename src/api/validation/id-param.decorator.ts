import { Param } from '@nestjs/common';
import { ParseEntityIdPipe } from './parse-entity-id.pipe';

/** A path id checked with the domain's id rule; a bad one is a 400 naming `name`. */
export function IdParam(name: string): ParameterDecorator {
  return Param(name, new ParseEntityIdPipe(name));
}
