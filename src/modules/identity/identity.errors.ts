import { ObjectType } from 'type-graphql';
import { ErrorResult } from '../../common/errors.js';

@ObjectType({ implements: ErrorResult, description: 'Email or password is wrong, or the account is deactivated. Deliberately does not say which.' })
export class InvalidCredentialsError extends ErrorResult {
  static create(): InvalidCredentialsError {
    return Object.assign(new InvalidCredentialsError(), {
      errorCode: 'INVALID_CREDENTIALS',
      message: 'Email or password is incorrect',
      field: null,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'An account with this email already exists.' })
export class EmailTakenError extends ErrorResult {
  static create(field = 'email'): EmailTakenError {
    return Object.assign(new EmailTakenError(), {
      errorCode: 'EMAIL_TAKEN',
      message: 'An account with this email already exists',
      field,
    });
  }
}
