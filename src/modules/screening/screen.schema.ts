/**
 * The input of the "I'm worried about someone" checker, shared by `lookout screen` and the web
 * pages. Anything that does not match is rejected with errors that name the field, so a skipped
 * or tampered answer never produces a result.
 */
import { z } from 'zod';
import { fieldErrorsFromIssues, ValidationError } from '../../errors.ts';
import {
  INDICATOR_CODES,
  SEVERITIES,
  SUBJECT_KINDS,
  type IndicatorCode,
  type ScreeningRules,
  type Severity,
  type SubjectKind,
} from '../awareness/content.schema.ts';

/** Under 18 is a child in law (Children Act 1989); the checker keeps the two kinds consistent. */
export const ADULT_AGE = 18;

const codes: readonly string[] = INDICATOR_CODES;

/** The shape without the checks that need the content (vulnerability ids). */
export const screenInputShape = z.strictObject({
  subject: z.strictObject({
    kind: z.enum(SUBJECT_KINDS, { error: 'Must be "child" or "adult"' }),
    age: z
      .number({ error: (iss) => (iss.input === undefined ? 'Required' : 'Must be a whole number of years') })
      .int('Must be a whole number of years')
      .min(0, 'Must be 0 or more')
      .max(120, 'Must be 120 or less'),
    vulnerabilities: z.array(z.string({ error: 'Must be a vulnerability id' })).max(50).default([]),
  }),
  signs: z
    .array(
      z.strictObject({
        code: z.string({ error: 'Required' }).refine((c) => codes.includes(c), {
          error: (iss) => `Unknown sign code "${String(iss.input)}"; use a code from the indicator taxonomy`,
        }),
        severity: z.enum(SEVERITIES, { error: 'Must be "low", "medium" or "high"' }),
      }),
    )
    .max(INDICATOR_CODES.length),
  missing_episodes_30d: z
    .number({ error: 'Must be a whole number' })
    .int('Must be a whole number')
    .min(0, 'Must be 0 or more')
    .max(1000, 'Must be 1000 or less')
    .default(0),
  // Required on purpose: an unanswered "is anyone in danger right now?" is never taken as "no".
  danger_now: z.boolean({ error: (iss) => (iss.input === undefined ? 'Required' : 'Must be true or false') }),
  /** Optional: the person is on a train now, so British Transport Police (61016) is offered. */
  on_train: z.boolean({ error: 'Must be true or false' }).default(false),
});

/** A validated checker input. */
export interface ScreenInput {
  subject: { kind: SubjectKind; age: number; vulnerabilities: string[] };
  signs: Array<{ code: IndicatorCode; severity: Severity }>;
  missing_episodes_30d: number;
  danger_now: boolean;
  on_train: boolean;
}

/** The full schema: the shape plus the checks that need the screening content. */
export function screenInputSchema(rules: Pick<ScreeningRules, 'vulnerabilities'>) {
  const known = new Map(rules.vulnerabilities.map((v) => [v.id, v]));
  return screenInputShape.superRefine((input, ctx) => {
    const { kind, age, vulnerabilities } = input.subject;
    if (kind === 'child' && age >= ADULT_AGE)
      ctx.addIssue({ code: 'custom', path: ['subject', 'age'], message: `A child is under ${ADULT_AGE}; choose "adult" for ${age}` });
    if (kind === 'adult' && age < ADULT_AGE)
      ctx.addIssue({ code: 'custom', path: ['subject', 'age'], message: `An adult is ${ADULT_AGE} or over; choose "child" for ${age}` });
    const seenV = new Set<string>();
    vulnerabilities.forEach((v, i) => {
      const path = ['subject', 'vulnerabilities', i];
      const def = known.get(v);
      if (!def) ctx.addIssue({ code: 'custom', path, message: `Unknown vulnerability "${v}"; use one of: ${[...known.keys()].join(', ')}` });
      else if (def.derived_age_under !== undefined && age >= def.derived_age_under)
        ctx.addIssue({ code: 'custom', path, message: `"${v}" does not match age ${age}` });
      if (seenV.has(v)) ctx.addIssue({ code: 'custom', path, message: `"${v}" is listed twice` });
      seenV.add(v);
    });
    const seenS = new Set<string>();
    input.signs.forEach((s, i) => {
      if (seenS.has(s.code)) ctx.addIssue({ code: 'custom', path: ['signs', i, 'code'], message: `"${s.code}" is listed twice` });
      seenS.add(s.code);
    });
  });
}

/** Validates checker input; throws ValidationError whose errors name each bad field. */
export function parseScreenInput(data: unknown, rules: Pick<ScreeningRules, 'vulnerabilities'>): ScreenInput {
  const res = screenInputSchema(rules).safeParse(data, {
    error: (iss) => (iss.code === 'invalid_type' && iss.input === undefined ? 'Required' : undefined),
  });
  if (!res.success) {
    // An unknown key is named itself (e.g. "extra"), not its parent object.
    const issues = res.error.issues.flatMap((iss) =>
      iss.code === 'unrecognized_keys' ? iss.keys.map((k) => ({ path: [...iss.path, k], message: 'Unknown field' })) : [iss],
    );
    const errors = fieldErrorsFromIssues(issues).map((e) => (e.field === 'body' ? { ...e, field: 'input' } : e));
    throw new ValidationError(errors);
  }
  // The refine above guarantees every code is in the taxonomy.
  return res.data as ScreenInput;
}
