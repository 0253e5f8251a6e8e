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

/** A query-string parameter given at most once, trimmed; '' when absent. */
export function singleParam(query: Record<string, unknown>, name: string): string {
  const value = query[name];
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new BadParameter(name, 'give this parameter once, as plain text');
  return value.trim();
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

/**
 * Saving over a newer version: carries what is stored now, so the page can show it
 * beside what the analyst typed. Nothing was written.
 */
export class VersionConflict<T> extends AppError {
  constructor(readonly current: T) {
    super(409, 'version_conflict', 'Someone else saved a newer version while you were editing. Nothing was overwritten.');
  }
}

/** A save that needs the analyst to confirm a warning first (e.g. a likely duplicate). */
export class NeedsConfirmation extends AppError {
  constructor(
    code: string,
    message: string,
    readonly matches: ReadonlyArray<{ href: string; label: string }>,
  ) {
    super(422, code, message);
  }
}
