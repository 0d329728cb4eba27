import { ObjectType } from 'type-graphql';
import { ErrorResult } from '../../common/errors.js';

@ObjectType({ implements: ErrorResult, description: 'A competitor name, or a competitor listing URL, is already recorded. Nothing was written.' })
export class DuplicateResearchKeyError extends ErrorResult {
  static create(field: string, value: string): DuplicateResearchKeyError {
    return Object.assign(new DuplicateResearchKeyError(), {
      errorCode: 'DUPLICATE_KEY',
      message: `${field} "${value}" is already recorded`,
      field,
    });
  }
}
