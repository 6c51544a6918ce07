/** Input schemas for live sessions: join codes, attendee tokens, votes, disclosures, presenter controls. */
import { z } from 'zod';
import { fieldErrorsFromIssues, ValidationError } from '../../errors.ts';

// Unambiguous alphabet: no 0/O, 1/I/L, so a code read off a projector is typed correctly.
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 6;
const codePattern = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/** Accepts what people type: lower case, spaces and hyphens are forgiven. */
export function normaliseCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]/g, '');
}

export function isCode(code: string): boolean {
  return codePattern.test(code);
}

export const codeParam = z.string().max(20).transform(normaliseCode).pipe(z.string().regex(codePattern));

/** 128-bit random attendee token, base64url: carried in the URL path only, never stored as such. */
export const tokenParam = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

export const attendeeParams = z.object({ code: codeParam, token: tokenParam });
export const sessionIdParam = z.object({ id: z.uuid() });

export const voteBody = z.object({
  questionId: z.string().max(40).default(''),
  option: z.string().max(20).optional(),
});

export const DISCLOSURE_MAX = 5000;
export const disclosureBody = z.object({ concern: z.string().max(DISCLOSURE_MAX * 2).default('') });

export const CONTROL_ACTIONS = ['next', 'previous', 'reveal', 'lock', 'unlock', 'signposting', 'end'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];
export const controlBody = z.object({ action: z.enum(CONTROL_ACTIONS) });

export const createBody = z.object({ deckId: z.string().max(60).default('') });

/** Parses a request body, turning anything unreadable into a ValidationError (a 400, never a 500). */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown): T {
  const res = schema.safeParse(value ?? {});
  if (!res.success) throw new ValidationError(fieldErrorsFromIssues(res.error.issues));
  return res.data;
}
