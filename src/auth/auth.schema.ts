/** Form input for the sign-in, set-up and user pages (browsers send strings; anything else reads as empty). */
import { z } from 'zod';

const text = (max: number) => z.string().max(max).catch('');

export const signInForm = z.object({
  email: text(320),
  password: z.string().max(4096).catch(''),
  returnTo: text(2000),
});

export const codeForm = z.object({ code: text(64) });

export const choosePasswordForm = z.object({
  password: z.string().max(4096).catch(''),
  confirmPassword: z.string().max(4096).catch(''),
});

export const newUserForm = z.object({
  name: text(300),
  email: text(320),
  roles: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .catch([]),
});

export const auditQuery = z.object({
  user: text(320),
  subject: text(300),
  from: text(20),
  to: text(20),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export const idParam = z.object({ id: z.string().max(100) });
export const tokenParam = z.object({ token: z.string().max(200) });

/**
 * Where to go after sign-in: a same-origin path inside the staff area only. Anything else
 * (absolute URLs, scheme-relative "//host", "/\host", control characters) is ignored.
 */
export function safeReturnTo(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, 'http://lookout.invalid');
  } catch {
    return null;
  }
  if (url.origin !== 'http://lookout.invalid') return null;
  if (url.pathname !== '/staff' && !url.pathname.startsWith('/staff/')) return null;
  if (/^\/staff\/(sign-in|sign-out|set-up)(\/|$)/.test(url.pathname)) return null;
  return url.pathname + url.search;
}
