/**
 * Errors the app raises on purpose. Each has a stable `code` that tests and API
 * clients rely on; the message is for people and may change.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends AppError {
  constructor(message = 'There is nothing at this address.') {
    super(404, 'not_found', message);
  }
}

/** A query-string parameter that cannot be used; names the parameter. */
export class BadParameter extends AppError {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(400, 'bad_parameter', `${parameter}: ${message}`, { parameter });
  }
}
