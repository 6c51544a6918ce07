/**
 * Reporting routes: the guided public report (/report), the reporter's follow-up
 * (/report/follow-up), the JSON API (/api/v1/reports) and the staff pages (/staff/reports).
 * Public pages set no cookie and work without JavaScript; handlers stay thin.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createErrorHandler } from '../../http/errors.ts';
import type { AppDeps } from '../../http/app.ts';
import { actorOf, requireStaff } from '../../auth/guard.ts';
import { ValidationError, type FieldError } from '../../errors.ts';
import { isStep, nextStep, pageDef, previousStep, summaryRows, valuesFor, type Step } from './journey.ts';
import { ChallengeRequiredError, type UploadedFile } from './reports.service.ts';
import { MAX_PHOTOS } from './photos.ts';

type Body = Record<string, unknown>;
const V = 'reporting/views';

const errorList = (errors: FieldError[]) => errors.map((e) => ({ text: e.message, href: `#${e.field}` }));
const errorMap = (errors: FieldError[]) => Object.fromEntries(errors.map((e) => [e.field, { text: e.message }]));
const str = (v: unknown) => (typeof v === 'string' ? v : '');

export async function reportingRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const svc = deps.services.reporting;
  const { config } = deps.platform;
  const submitLimit = { bucket: 'report:submit', perMinute: config.publicPostsPerMinute };
  // Saving a page is cheap and a report takes a dozen of them, so the per-page limit is higher.
  const pageLimit = { bucket: 'report:page', perMinute: config.publicPostsPerMinute * 4 };
  // Guessing receipts: a tight bucket shared by every receipt-bearing request.
  const receiptLimit = { bucket: 'report:receipt', perMinute: Math.min(5, config.publicPostsPerMinute) };

  const expired = (reply: FastifyReply) => reply.code(404).view(`${V}/expired.njk`, { title: 'Your report has timed out or was already sent' });

  async function renderStep(reply: FastifyReply, draftId: string, step: Step, extra: { errors?: FieldError[]; values?: Record<string, string>; returnTo?: string } = {}) {
    const draft = await svc.getDraft(draftId);
    if (!draft) return expired(reply);
    const back = extra.returnTo === 'check' ? `/report/${draftId}/check` : previousStep(step) ? `/report/${draftId}/${previousStep(step)}` : '/report';
    const errors = extra.errors ?? [];
    const ctx = {
      draftId,
      step,
      backLink: back,
      returnTo: extra.returnTo === 'check' ? 'check' : '',
      values: extra.values ?? valuesFor(draft.content),
      errorList: errorList(errors),
      fieldErrors: errorMap(errors),
    };
    if (errors.length) reply.code(400);
    if (step === 'photos') return reply.view(`${V}/photos.njk`, { ...ctx, title: 'Add photos (optional)', photos: draft.photos, maxPhotos: MAX_PHOTOS, canAdd: draft.photos.length < MAX_PHOTOS });
    if (step === 'contact') return reply.view(`${V}/contact.njk`, { ...ctx, title: 'Do you want to give contact details?' });
    if (step === 'contact-details') return reply.view(`${V}/contact-details.njk`, { ...ctx, title: 'Your contact details' });
    if (step === 'check') {
      const pow = svc.pow.required() ? svc.pow.challenge() : null;
      return reply.view(`${V}/check.njk`, { ...ctx, title: 'Check your answers before sending your report', backLink: `/report/${draftId}/contact`, rows: summaryRows(draft.content, draft.photos.length), pow });
    }
    const page = pageDef(step)!;
    return reply.view(`${V}/question.njk`, { ...ctx, title: page.title, page });
  }

  // --- guided report --------------------------------------------------------------------------

  app.get('/report', async (_req, reply) => reply.view(`${V}/start.njk`, { title: 'Report what you have seen' }));

  app.post('/report/start', { config: { rateLimit: pageLimit } }, async (_req, reply) => {
    const draftId = await svc.createDraft();
    return reply.redirect(`/report/${draftId}/danger`, 303);
  });

  app.get<{ Params: { draftId: string; step: string }; Querystring: { return?: string } }>('/report/:draftId/:step', async (req, reply) => {
    const { draftId, step } = req.params;
    if (step === 'danger-now') {
      if (!(await svc.getDraft(draftId))) return expired(reply);
      return reply.view(`${V}/danger-now.njk`, { title: 'Call 999 now if someone is in danger', draftId, backLink: `/report/${draftId}/danger`, returnTo: req.query.return === 'check' ? 'check' : '' });
    }
    if (!isStep(step)) return reply.callNotFound();
    return renderStep(reply, draftId, step, { returnTo: str(req.query.return) });
  });

  app.post<{ Params: { draftId: string; step: string } }>('/report/:draftId/:step', { config: { rateLimit: pageLimit } }, async (req, reply) => {
    const { draftId, step } = req.params;
    if (step === 'photos') return photosPost(req, reply, draftId);
    if (!isStep(step) || step === 'check') return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    const returnTo = str(body.returnTo) === 'check' ? 'check' : '';
    const res = await svc.saveDraftPage(draftId, step, body);
    if (!res) return expired(reply);
    if (!res.ok) return renderStep(reply, draftId, step, { errors: res.errors, values: res.values, returnTo });
    if (step === 'danger' && res.content.dangerNow) return reply.redirect(`/report/${draftId}/danger-now${returnTo ? '?return=check' : ''}`, 303);
    if (step === 'contact' && res.content.contact) return reply.redirect(`/report/${draftId}/contact-details${returnTo ? '?return=check' : ''}`, 303);
    return reply.redirect(`/report/${draftId}/${returnTo || nextStep(step)}`, 303);
  });

  async function photosPost(req: FastifyRequest, reply: FastifyReply, draftId: string) {
    if (!req.isMultipart()) {
      // "Continue" without choosing a file may arrive url-encoded from the no-photos form.
      const body = (req.body ?? {}) as Body;
      return reply.redirect(`/report/${draftId}/${str(body.returnTo) === 'check' ? 'check' : 'contact'}`, 303);
    }
    const files: UploadedFile[] = [];
    const fields: Record<string, string> = {};
    const errors: FieldError[] = [];
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          if (!part.filename) {
            await part.toBuffer().catch(() => undefined);
            continue;
          }
          try {
            files.push({ filename: part.filename, data: await part.toBuffer() });
          } catch {
            files.push({ filename: part.filename, data: null, tooLarge: true });
          }
        } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
      }
    } catch {
      errors.push({ field: 'photos', message: `Some photos were not added: add up to ${MAX_PHOTOS} photos, each smaller than ${Math.floor(config.uploadLimit / 1_048_576)} MB` });
    }
    const returnTo = fields.returnTo === 'check' ? 'check' : '';
    const refused = await svc.addDraftPhotos(draftId, files);
    if (refused === null) return expired(reply);
    errors.push(...refused);
    if (errors.length) return renderStep(reply, draftId, 'photos', { errors, returnTo });
    if (files.length) return reply.redirect(`/report/${draftId}/photos${returnTo ? '?return=check' : ''}`, 303);
    return reply.redirect(`/report/${draftId}/${returnTo || 'contact'}`, 303);
  }

  app.post<{ Params: { draftId: string; photoId: string } }>('/report/:draftId/photos/:photoId/remove', { config: { rateLimit: pageLimit } }, async (req, reply) => {
    if (!(await svc.removeDraftPhoto(req.params.draftId, req.params.photoId))) return expired(reply);
    return reply.redirect(`/report/${req.params.draftId}/photos`, 303);
  });

  app.post<{ Params: { draftId: string } }>('/report/:draftId/submit', { config: { rateLimit: submitLimit } }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    try {
      const out = await svc.submitDraft(req.params.draftId, str(body.altcha) || undefined);
      if (!out) return expired(reply);
      // Rendered in the response to the POST, never redirected, so the receipt is in no URL.
      return reply.view(`${V}/confirmation.njk`, { title: 'Report sent', reference: out.reference, receipt: out.receipt });
    } catch (err) {
      if (err instanceof ChallengeRequiredError) {
        return reply.code(429).header('Retry-After', '60').view(`${V}/wait.njk`, { title: 'Wait a minute, then send your report again', draftId: req.params.draftId });
      }
      if (err instanceof ValidationError) return renderStep(reply, req.params.draftId, 'what', { errors: err.errors });
      throw err;
    }
  });

  // --- reporter follow-up -------------------------------------------------------------------

  app.get('/report/follow-up', async (_req, reply) => reply.view(`${V}/follow-up.njk`, { title: 'Follow up your report' }));

  async function thread(reply: FastifyReply, receipt: string, extra: { errors?: FieldError[]; sent?: boolean; message?: string } = {}) {
    const view = await svc.openFollowUp(receipt);
    if (!view) {
      const errors = [{ field: 'receipt', message: 'Enter the receipt code exactly as it was shown, like K7PQ-2XMD-9RTA-0HWE-5NBC' }];
      return reply.code(400).view(`${V}/follow-up.njk`, { title: 'Follow up your report', errorList: errorList(errors), fieldErrors: errorMap(errors), receipt });
    }
    const errors = extra.errors ?? [];
    if (errors.length) reply.code(400);
    return reply.view(`${V}/follow-up-thread.njk`, {
      title: `Your report ${view.reference}`,
      report: view,
      receipt,
      sent: extra.sent ?? false,
      message: extra.message ?? '',
      errorList: errorList(errors),
      fieldErrors: errorMap(errors),
    });
  }

  app.post('/report/follow-up', { config: { rateLimit: receiptLimit } }, async (req, reply) => {
    return thread(reply, str(((req.body ?? {}) as Body).receipt).slice(0, 100));
  });

  app.post('/report/follow-up/reply', { config: { rateLimit: receiptLimit } }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const receipt = str(body.receipt).slice(0, 100);
    const res = await svc.addReporterMessage(receipt, body);
    if (res && !res.ok) return thread(reply, receipt, { errors: res.errors, message: str(body.message) });
    return thread(reply, receipt, { sent: res?.ok ?? false });
  });

  // --- JSON API -------------------------------------------------------------------------------

  app.get('/api/v1/reports/challenge', async () => svc.pow.challenge());

  // Errors in the API's documented shape: 400 {"error":"validation","errors":[{field,message}]}.
  const fallback = createErrorHandler(deps.platform.logger, config.production);
  app.post('/api/v1/reports', {
    config: { rateLimit: submitLimit, csrf: false },
    // Room for the most photos at the upload limit, base64-encoded, plus the text fields.
    bodyLimit: Math.ceil((MAX_PHOTOS * config.uploadLimit * 4) / 3) + 256 * 1024,
    errorHandler: async (err: FastifyError, req, reply) => {
      if (err instanceof ValidationError) return reply.code(400).send({ error: 'validation', message: 'Check the fields named in errors', errors: err.errors });
      if (err instanceof ChallengeRequiredError) return reply.code(428).send({ error: 'challenge_required', message: err.message, challenge: err.challenge });
      if (err.statusCode === 413) {
        return reply.code(413).send({ error: 'too_large', message: 'The report is too large', errors: [{ field: 'photos', message: `Send up to ${MAX_PHOTOS} photos, each smaller than ${Math.floor(config.uploadLimit / 1_048_576)} MB` }] });
      }
      if (err.statusCode === 400 || err.statusCode === 415) {
        return reply.code(400).send({ error: 'validation', message: 'Send a JSON object', errors: [{ field: 'body', message: 'Send a JSON object with Content-Type: application/json' }] });
      }
      return fallback(err, req, reply);
    },
  }, async (req, reply) => {
    const out = await svc.submitApi(req.body, req.headers['x-altcha']);
    return reply.code(201).send({ reference: out.reference, receipt: out.receipt, ...(out.photosRefused.length ? { photos_refused: out.photosRefused } : {}) });
  });

  // --- staff ----------------------------------------------------------------------------------

  app.get<{ Querystring: { q?: string } }>('/staff/reports', { preHandler: requireStaff('report:read') }, async (req, reply) => {
    const q = str(req.query.q).slice(0, 200);
    const reports = q ? await svc.searchReports(actorOf(req), q) : await svc.listReports(actorOf(req));
    return reply.view(`${V}/staff-list.njk`, { title: 'Reports', reports, q });
  });

  app.get<{ Params: { id: string } }>('/staff/reports/:id', { preHandler: requireStaff('report:read') }, async (req, reply) => {
    const report = await svc.getReport(actorOf(req), req.params.id);
    return reply.view(`${V}/staff-report.njk`, { title: `Report ${report.reference}`, report, backLink: '/staff/reports', sent: str((req.query as Body).sent) === '1' });
  });

  app.get<{ Params: { id: string; photoId: string } }>('/staff/reports/:id/photos/:photoId', { preHandler: requireStaff('report:read') }, async (req, reply) => {
    const photo = await svc.getPhoto(actorOf(req), req.params.id, req.params.photoId);
    return reply.header('Cache-Control', 'no-store, private').header('Content-Disposition', 'inline').type(photo.mime).send(photo.data);
  });

  app.post<{ Params: { id: string } }>('/staff/reports/:id/messages', { preHandler: requireStaff('report:message') }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    try {
      await svc.sendQuestion(actorOf(req), req.params.id, str(body.message));
      return reply.redirect(`/staff/reports/${encodeURIComponent(req.params.id)}?sent=1`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const report = await svc.getReport(actorOf(req), req.params.id);
      return reply.code(400).view(`${V}/staff-report.njk`, {
        title: `Report ${report.reference}`,
        report,
        backLink: '/staff/reports',
        message: str(body.message),
        errorList: errorList(err.errors),
        fieldErrors: errorMap(err.errors),
      });
    }
  });
}
