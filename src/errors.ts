/** Typed errors, mapped to HTTP responses in one place (src/http/errors.ts). */

export interface FieldError {
  /** The form field or JSON property, e.g. "narrative" or "phones[2]". */
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Input that fails validation: rendered as a GOV.UK error summary or a JSON error naming fields. */
export class ValidationError extends AppError {
  override name = 'ValidationError';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '), 400);
  }
}

export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  constructor(
    readonly kind: string,
    readonly id?: string,
  ) {
    super(`${kind} not found`, 404);
  }
}

/** The actor may not do this. Services throw it; routes never decide access alone. */
export class ForbiddenError extends AppError {
  override name = 'ForbiddenError';
  constructor(readonly permission: string) {
    super(`Not allowed: ${permission}`, 403);
  }
}

export class UnauthenticatedError extends AppError {
  override name = 'UnauthenticatedError';
  constructor() {
    super('Sign in required', 401);
  }
}

/** Optimistic locking: someone else changed the record since it was read. */
export class ConflictError extends AppError {
  override name = 'ConflictError';
  constructor(message = 'Someone else changed this record since you opened it.') {
    super(message, 409);
  }
}

export class RateLimitedError extends AppError {
  override name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super('Too many requests', 429);
  }
}

/** Converts a zod error into field errors, naming each field by its path. */
export function fieldErrorsFromIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): FieldError[] {
  return issues.map((i) => ({
    field: i.path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '') || 'body',
    message: i.message,
  }));
}
