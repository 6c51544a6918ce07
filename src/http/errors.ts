/** One place that maps errors to responses: GOV.UK error pages for people, JSON for APIs. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, RateLimitedError, UnauthenticatedError, ValidationError } from '../errors.ts';
import type { Logger } from '../logger.ts';

export function wantsJson(req: FastifyRequest): boolean {
  if (req.url.startsWith('/api/')) return true;
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

function statusOf(err: FastifyError | AppError): number {
  if (err instanceof AppError) return err.status;
  const code = (err as FastifyError).statusCode;
  return typeof code === 'number' && code >= 400 && code < 600 ? code : 500;
}

export function createErrorHandler(logger: Logger, production: boolean) {
  return async function handle(err: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) {
    const status = statusOf(err);
    if (status >= 500) {
      logger.error({ reqId: req.id, route: req.routeOptions.url, err: { type: err.name, message: err.message, stack: err.stack } }, 'request failed');
    }
    if (err instanceof UnauthenticatedError && !wantsJson(req)) {
      return reply.redirect(`/staff/sign-in?returnTo=${encodeURIComponent(req.url)}`, 303);
    }
    if (err instanceof RateLimitedError) reply.header('Retry-After', String(err.retryAfterSeconds));
    const fieldErrors =
      err instanceof ValidationError
        ? err.errors
        : status === 400
          ? [{ field: 'body', message: 'The information sent could not be read. Check it and try again.' }]
          : [];
    if (wantsJson(req)) {
      const body: Record<string, unknown> = { error: errorCode(status), message: publicMessage(status, err, production) };
      if (fieldErrors.length) body.errors = fieldErrors;
      return reply.code(status).type('application/json').send(body);
    }
    const template = status === 404 ? 'errors/404.njk' : status >= 500 ? 'errors/500.njk' : 'errors/problem.njk';
    return reply.code(status).view(template, {
      status,
      title: titleFor(status),
      message: publicMessage(status, err, production),
      errorList: fieldErrors.map((e) => ({ text: e.message, href: `#${e.field}` })),
    });
  };
}

function errorCode(status: number): string {
  return (
    { 400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'rate_limited' }[status] ??
    (status >= 500 ? 'internal_error' : 'error')
  );
}

function titleFor(status: number): string {
  return (
    {
      400: 'There is a problem with what was sent',
      401: 'You need to sign in',
      403: 'You do not have access to this page',
      409: 'Someone else changed this',
      413: 'What you sent is too large',
      415: 'That type of content is not accepted',
      429: 'Too many attempts',
    }[status] ?? 'There is a problem'
  );
}

function publicMessage(status: number, err: Error, production: boolean): string {
  if (status >= 500) return production ? 'Sorry, there is a problem with the service. Try again later.' : 'Sorry, there is a problem with the service.';
  if (err instanceof AppError) return err.message;
  if (status === 413) return 'What you sent is larger than we accept. Make it smaller and try again.';
  if (status === 415) return 'That type of content is not accepted here.';
  if (status === 400) return 'The information sent could not be read. Check it and try again.';
  return titleFor(status);
}
