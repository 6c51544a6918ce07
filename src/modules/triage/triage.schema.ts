/**
 * What triage and cases accept: content/triage.yaml (urgency due times, review and retention
 * periods), inbox filters, and every form. One set of rules for the pages and the services.
 * Messages follow GOV.UK style and name the field, so a form is shown again with nothing lost.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { INDICATOR_CODES } from '../awareness/content.schema.ts';
import { fieldErrorsFromIssues, ValidationError, type FieldError } from '../../errors.ts';

export const URGENCIES = ['emergency', 'high', 'medium', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const URGENCY_LABELS: Record<Urgency, string> = { emergency: 'Emergency', high: 'High', medium: 'Medium', low: 'Low' };

export const STATUSES = ['new', 'in_progress', 'closed'] as const;
export type ItemStatus = (typeof STATUSES)[number];
export const STATUS_LABELS: Record<ItemStatus, string> = { new: 'New', in_progress: 'In progress', closed: 'Closed' };

export const SOURCE_TYPES = ['report', 'referral', 'disclosure'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];
export const SOURCE_LABELS: Record<SourceType, string> = { report: 'Public report', referral: 'Checker referral', disclosure: 'Live event disclosure' };

// 3x5x2 grading: College of Policing APP, Intelligence management (see ../shared/DOMAIN.md).
export const SOURCE_GRADES = ['1', '2', '3'] as const;
export const INTEL_GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export const HANDLING_CODES = ['P', 'C'] as const;
export const SOURCE_GRADE_LABELS: Record<(typeof SOURCE_GRADES)[number], string> = { '1': '1: Reliable', '2': '2: Untested', '3': '3: Not reliable' };
export const INTEL_GRADE_LABELS: Record<(typeof INTEL_GRADES)[number], string> = {
  A: 'A: Known directly to the source',
  B: 'B: Known indirectly but corroborated',
  C: 'C: Known indirectly',
  D: 'D: Not known',
  E: 'E: Suspected to be false',
};
export const HANDLING_LABELS: Record<(typeof HANDLING_CODES)[number], string> = {
  P: 'P: Lawful sharing permitted',
  C: 'C: Lawful sharing permitted with conditions',
};

export const RETENTION_TYPES = ['report', 'referral', 'disclosure', 'case'] as const;
export type RetentionType = (typeof RETENTION_TYPES)[number];

export const SUBJECT_KINDS = ['child', 'adult'] as const;
export const NRM_BASES = ['child_no_consent', 'adult_consent', 'duty_to_notify'] as const;
export type NrmBasis = (typeof NRM_BASES)[number];
export const NRM_LABELS: Record<NrmBasis, string> = {
  child_no_consent: 'Child: NRM referral (no consent needed)',
  adult_consent: 'Adult: NRM referral with informed consent',
  duty_to_notify: 'Adult: no consent, Duty to Notify (MS1) made anonymously',
};

const hours = z.number().positive().max(24 * 365);
const days = z.number().int().min(1).max(365 * 100);

export const triageContentSchema = z.strictObject({
  urgency_due_hours: z.strictObject({ emergency: hours, high: hours, medium: hours, low: hours }),
  default_urgency: z.enum(URGENCIES),
  case_review_days: z.strictObject({ emergency: days, high: days, medium: days, low: days }),
  return_home_interview_hours: hours.max(72, 'A return home interview is due within 72 hours'),
  nrm_task_days: days,
  retention_days: z.strictObject({ report: days, referral: days, disclosure: days, case: days }),
  areas: z.array(z.string().min(1).max(60)).min(1),
  outcomes: z.array(z.strictObject({ id: z.string().regex(/^[a-z_]+$/), label: z.string().min(1) })).min(1),
});
export type TriageContent = z.infer<typeof triageContentSchema>;

/** Loads and validates content/triage.yaml; throws naming the file and field. */
export function loadTriageContent(file: string): TriageContent {
  const res = triageContentSchema.safeParse(parseYaml(readFileSync(file, 'utf8')));
  if (!res.success) throw new Error(`${file}: ${res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return Object.freeze(res.data);
}

/** Parses with a schema or throws ValidationError naming each field. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const res = schema.safeParse(value);
  if (!res.success) throw new ValidationError(fieldErrorsFromIssues(res.error.issues));
  return res.data;
}

const str = (max: number) => z.string().trim().max(max, `Must be ${max} characters or fewer`);
const optStr = (max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim())
    .pipe(z.string().max(max, `Must be ${max} characters or fewer`));
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v !== '' ? [v] : []);

// ---- inbox filters -------------------------------------------------------------------------

export interface InboxFilters {
  q: string;
  area: string;
  status: ItemStatus | '';
  urgency: Urgency | '';
  indicator: string;
  agency: string;
  matches: boolean;
  page: number;
}

const INBOX_FILTER_KEYS: readonly string[] = ['q', 'area', 'status', 'urgency', 'indicator', 'agency', 'matches', 'page'];

/**
 * Inbox filters from a query string. Unknown keys and values are reported as field errors (shown
 * as a message above the list), never ignored and never passed on to SQL.
 */
export function parseInboxFilters(query: Record<string, unknown>, known: { areas: readonly string[]; agencies: readonly string[] }): { filters: InboxFilters; errors: FieldError[] } {
  const one = (k: string): string => {
    const v = query[k];
    return (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').trim();
  };
  const errors: FieldError[] = [];
  // An unknown key (a typo, an old link) would otherwise be dropped and show a wider list than asked for.
  for (const k of Object.keys(query))
    if (!INBOX_FILTER_KEYS.includes(k)) errors.push({ field: 'filters', message: `"${k.slice(0, 30)}" is not an inbox filter: use the filters on this page` });
  const filters: InboxFilters = { q: one('q').slice(0, 200), area: '', status: '', urgency: '', indicator: '', agency: '', matches: false, page: 1 };
  const area = one('area');
  if (area) {
    const found = known.areas.find((a) => a.toLowerCase() === area.toLowerCase());
    if (found) filters.area = found;
    else errors.push({ field: 'area', message: `There is no area called "${area.slice(0, 60)}": choose an area from the list` });
  }
  const status = one('status');
  if (status) {
    if ((STATUSES as readonly string[]).includes(status)) filters.status = status as ItemStatus;
    else errors.push({ field: 'status', message: `"${status.slice(0, 30)}" is not a status: choose new, in progress or closed` });
  }
  const urgency = one('urgency');
  if (urgency) {
    if ((URGENCIES as readonly string[]).includes(urgency)) filters.urgency = urgency as Urgency;
    else errors.push({ field: 'urgency', message: `"${urgency.slice(0, 30)}" is not an urgency: choose emergency, high, medium or low` });
  }
  const indicator = one('indicator');
  if (indicator) {
    if ((INDICATOR_CODES as readonly string[]).includes(indicator)) filters.indicator = indicator;
    else errors.push({ field: 'indicator', message: `"${indicator.slice(0, 40)}" is not a sign in the indicator list` });
  }
  const agency = one('agency');
  if (agency) {
    if (known.agencies.includes(agency)) filters.agency = agency;
    else errors.push({ field: 'agency', message: 'Choose an agency from the list' });
  }
  const matches = one('matches');
  if (matches) {
    if (matches === 'yes') filters.matches = true;
    else errors.push({ field: 'matches', message: 'Matches a known line or case must be "yes" or left empty' });
  }
  const page = one('page');
  if (page) {
    const n = Number(page);
    if (Number.isInteger(n) && n >= 1 && n <= 10_000) filters.page = n;
    else errors.push({ field: 'page', message: 'Page must be a whole number from 1' });
  }
  return { filters, errors };
}

// ---- item actions ----------------------------------------------------------------------------

const version = z.coerce.number({ error: 'The form is missing its version: refresh the page' }).int().min(1);

export const urgencyForm = z.object({ version, urgency: z.enum(URGENCIES, { error: 'Choose an urgency' }) });

export const gradeForm = z
  .object({
    version,
    source: z.enum(SOURCE_GRADES, { error: 'Choose a source evaluation (1, 2 or 3)' }),
    intelligence: z.enum(INTEL_GRADES, { error: 'Choose an intelligence assessment (A to E)' }),
    handling: z.enum(HANDLING_CODES, { error: 'Choose a handling code (P or C)' }),
    conditions: optStr(1000),
  })
  .superRefine((v, ctx) => {
    // Handling code C: lawful sharing permitted with conditions, which must be stated (3x5x2).
    if (v.handling === 'C' && v.conditions === '') ctx.addIssue({ code: 'custom', path: ['conditions'], message: 'Enter the conditions for sharing (handling code C)' });
  });
export type GradeInput = z.infer<typeof gradeForm>;

export const sanitiseForm = z.object({
  version,
  sanitised: str(10_000).min(1, 'Enter the sanitised intelligence text'),
  confirmed: z.literal('yes', { error: 'Confirm that anything that could identify the reporter has been removed' }),
});

export const assignForm = z.object({
  version,
  agencyId: str(100).min(1, 'Choose an agency'),
  userId: optStr(100),
});

export const shareForm = z.object({ version, agencyId: str(100).min(1, 'Choose an agency to share with') });

export const linkForm = z.object({ version, caseReference: str(40).min(1, 'Enter the case reference, like C-1234-ABCD') });

export const closeForm = z.object({ version, outcome: str(60).min(1, 'Choose an outcome') });

// ---- cases -----------------------------------------------------------------------------------

const isoDate = (label: string) =>
  optStr(10).refine((v) => v === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))), `${label} must be a real date, like 2011-03-27`);

export const caseForm = z
  .object({
    name: optStr(120),
    alias: optStr(120),
    kind: z.enum(SUBJECT_KINDS, { error: 'Choose child or adult' }),
    age: optStr(3).refine((v) => v === '' || (/^\d{1,3}$/.test(v) && Number(v) <= 120), 'Age must be a whole number of years'),
    dob: isoDate('Date of birth'),
    vulnerabilities: z.unknown().optional().transform(list),
    homeArea: optStr(60),
    places: optStr(1000),
    lines: optStr(500),
    notes: optStr(5000),
    itemId: optStr(40),
  })
  .superRefine((v, ctx) => {
    if (v.name === '' && v.alias === '') ctx.addIssue({ code: 'custom', path: ['name'], message: 'Enter a name or an alias' });
    if (v.age === '' && v.dob === '') ctx.addIssue({ code: 'custom', path: ['age'], message: 'Enter an age or a date of birth' });
  });
export type CaseInput = z.infer<typeof caseForm>;

export const caseVersion = z.object({ version });

export const noteForm = z.object({ version, note: str(5000).min(1, 'Enter the note') });

export const missingForm = z.object({
  version,
  wentMissing: isoDate('Date they went missing').refine((v) => v !== '', 'Enter the date they went missing'),
  returned: isoDate('Date they came back'),
  foundArea: optStr(60),
  note: optStr(2000),
});

export const arrestForm = z.object({
  version,
  date: isoDate('Date of the arrest').refine((v) => v !== '', 'Enter the date of the arrest'),
  area: str(60).min(1, 'Enter the area where they were arrested'),
  note: optStr(2000),
});

export const riskForm = z.object({
  version,
  signs: z.unknown().optional().transform(list),
  strong: z.unknown().optional().transform(list),
  dangerNow: z.enum(['yes', 'no'], { error: 'Say whether anyone is in danger right now' }),
  override: z.enum(['', 'low', 'medium', 'high', 'emergency']).optional().transform((v) => v ?? ''),
  overrideReason: optStr(1000),
  severities: z.record(z.string(), z.unknown()).optional(),
});

export const potentialVictimForm = z.object({
  version,
  basis: z.union([z.enum(NRM_BASES), z.literal('')]).optional().transform((v) => v ?? ''),
});

export const reviewForm = z.object({ version, reviewOn: isoDate('Review date').refine((v) => v !== '', 'Enter the review date') });

export const taskForm = z.object({
  version,
  title: str(200).min(1, 'Enter what needs doing'),
  ownerUserId: optStr(100),
  dueOn: isoDate('Due date').refine((v) => v !== '', 'Enter the due date'),
});

export const retentionDeleteForm = z.object({ reason: str(500).min(1, 'Enter why this record is being deleted') });

/** "Lancaster, Morecambe" -> ["Lancaster", "Morecambe"], trimmed, de-duplicated, at most 20. */
export function splitList(s: string): string[] {
  return [
    ...new Set(
      s
        .split(/[,\n]/)
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ].slice(0, 20);
}
