/**
 * "I'm worried about someone": GOV.UK question pages, check your answers, the result and the
 * referral summary PDF. No cookies and nothing in URLs: every page POSTs all answers so far as
 * hidden fields (see checker.schema.ts), and every response is Cache-Control: no-store.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../../http/app.ts';
import type { CheckerPage } from './checker.service.ts';
import { isQuestion } from './checker.schema.ts';

/** The checker is stateless and cheap; a limit that still stops a flood from one client. */
const CHECKER_POSTS = { rateLimit: { bucket: 'checker', perMinute: 300 } } as const;
/** Making a PDF costs more. */
const PDF_POSTS = { rateLimit: { bucket: 'checker-pdf', perMinute: 20 } } as const;

/** Renders whichever checker page the service chose; a question shown with errors is a 400. */
function render(reply: FastifyReply, page: CheckerPage) {
  if (page.page === 'question') {
    const fieldErrors = Object.fromEntries(page.errors.map((e) => [e.field, e.message]));
    const errorList = page.errors.map((e) => ({ text: e.message, href: `#${e.field}` }));
    return reply.code(page.errors.length ? 400 : 200).view(`screening/views/q-${page.question}.njk`, { ...page, fieldErrors, errorList });
  }
  return reply.view(`screening/views/${page.page}.njk`, { ...page });
}

export async function checkerRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const checker = deps.services.awareness.checker;

  app.get('/worried', async (_req, reply) => reply.view('screening/views/start.njk'));
  app.get('/worried/who', async (_req, reply) => render(reply, checker.start()));
  // Answers are never in a URL, so a later question opened directly starts from the first one.
  app.get('/worried/:question', async (_req, reply) => reply.redirect('/worried/who', 303));

  app.post('/worried/change', { config: CHECKER_POSTS }, async (req, reply) => {
    const question = (req.body as Record<string, unknown> | undefined)?.question;
    return render(reply, checker.show(typeof question === 'string' ? question : '', req.body));
  });
  app.post('/worried/check', { config: CHECKER_POSTS }, async (req, reply) => render(reply, checker.check(req.body)));
  app.post('/worried/result', { config: CHECKER_POSTS }, async (req, reply) => render(reply, checker.result(req.body)));
  app.post('/worried/summary.pdf', { config: PDF_POSTS }, async (req, reply) => {
    const out = await checker.summaryPdf(req.body);
    if ('page' in out) return render(reply, out.page);
    // Made for this response only: not stored, not logged, not cached.
    return reply
      .type('application/pdf')
      .header('Content-Disposition', 'attachment; filename="referral-summary.pdf"')
      .header('Cache-Control', 'no-store')
      .send(out.pdf);
  });
  // A professional sends the result to the triage inbox. Professionals cannot refer anonymously
  // (DOMAIN.md): name, organisation and a way to reach them are required; they are sealed at rest.
  app.post('/worried/refer', { config: PDF_POSTS }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const scored = checker.scored(body);
    if ('page' in scored) return render(reply, scored.page);
    const field = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim().slice(0, 500) : '');
    const referrer = { name: field('referrerName'), organisation: field('referrerOrganisation'), role: field('referrerRole'), email: field('referrerContact') };
    const errors = [
      ...(referrer.name ? [] : [{ field: 'referrerName', message: 'Enter your name' }]),
      ...(referrer.organisation ? [] : [{ field: 'referrerOrganisation', message: 'Enter your organisation' }]),
      ...(referrer.email ? [] : [{ field: 'referrerContact', message: 'Enter an email address or phone number we can reach you on' }]),
    ];
    if (errors.length) {
      const page = checker.result(body);
      return reply.code(400).view('screening/views/result.njk', {
        ...page,
        referrer,
        fieldErrors: Object.fromEntries(errors.map((e) => [e.field, e.message])),
        errorList: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
      });
    }
    const ownerAgencyId = await deps.services.reporting.resolveReceivingAgency();
    const sent = await deps.services.triage.submitReferral(undefined, { input: scored.input, result: scored.result, referrer, ownerAgencyId });
    return reply.view('screening/views/referred.njk', { reference: sent.reference });
  });
  app.post('/worried/:question', { config: CHECKER_POSTS }, async (req, reply) => {
    const { question } = req.params as { question: string };
    if (!isQuestion(question)) return render(reply, checker.check(req.body));
    return render(reply, checker.answer(question, req.body));
  });
}
