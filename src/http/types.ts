/** Request and reply decorations shared by every route. */
import type { StaffActor } from '../auth/access.ts';
import type { FieldError } from '../errors.ts';

export interface ViewContext {
  [key: string]: unknown;
  errors?: FieldError[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** A fresh random value per response, allowed by the CSP for inline scripts. */
    cspNonce: string;
    /** Set by the staff session plugin when a valid, fully signed-in session is presented. */
    actor?: StaffActor;
    /** Server-side staff session id, when any (partially signed-in included). */
    sessionId?: string;
    csrfToken(): string;
  }
  interface FastifyReply {
    /** Renders a Nunjucks template with the layout globals (nonce, CSRF token, actor). */
    view(template: string, context?: ViewContext): FastifyReply;
  }
  interface FastifyContextConfig {
    /** Skip the automatic CSRF check (JSON APIs that accept no cookies). */
    csrf?: false;
    /** Rate-limit bucket and limit per minute for this route's POSTs. */
    rateLimit?: { bucket: string; perMinute: number } | false;
  }
}
