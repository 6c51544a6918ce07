/**
 * The web checker's answers, carried between question pages WITHOUT cookies: every page re-posts
 * the earlier answers as hidden form fields named like the questions' own fields (kind, age,
 * vulnerabilities, signs, severity-<code>, missing, danger). Nothing is stored on the server and
 * nothing goes in a URL, so answers never reach browser history or logs.
 *
 * Because the state comes back from the browser each time, it is untrusted: each answer is checked
 * here with the same wording the question page shows, and the whole state is checked again with
 * parseScreenInput before any result is shown. Pure functions of the posted fields and the content.
 */
import type { FieldError } from '../../errors.ts';
import { SEVERITIES, type IndicatorCode, type Severity, type SubjectKind } from '../awareness/content.schema.ts';
import type { Content } from '../awareness/content.schema.ts';
import { ADULT_AGE, type ScreenInput } from './screen.schema.ts';

/** The question pages, in the order they are asked. */
export const QUESTIONS = ['who', 'age', 'vulnerabilities', 'signs', 'how-strong', 'missing', 'danger'] as const;
export type QuestionId = (typeof QUESTIONS)[number];
export const isQuestion = (q: string): q is QuestionId => (QUESTIONS as readonly string[]).includes(q);

/** The value a "None of these" checkbox posts. */
export const NONE = 'none';
export const SEVERITY_PREFIX = 'severity-';
/** Missing episodes in 30 days: more than this is a typing mistake rather than an answer. */
export const MAX_MISSING = 100;

/** The answers as posted: strings exactly as sent, `undefined` when a question was not answered. */
export interface CheckerState {
  kind?: string;
  age?: string;
  vulnerabilities?: string[];
  signs?: string[];
  /** severity-<code> fields, keyed by the code as sent. */
  severity: Record<string, string>;
  missing?: string;
  danger?: string;
}

const MAX_VALUE = 100;
const MAX_LIST = 60;

function one(v: unknown): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.slice(0, MAX_VALUE) : undefined;
}
function many(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return list
    .filter((x): x is string => typeof x === 'string')
    .slice(0, MAX_LIST)
    .map((x) => x.slice(0, MAX_VALUE));
}

/** Reads the answers out of a posted form body (anything else in it is ignored). */
export function readState(body: unknown): CheckerState {
  const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const severity: Record<string, string> = {};
  for (const [k, v] of Object.entries(b)) {
    if (k.startsWith(SEVERITY_PREFIX) && Object.keys(severity).length < MAX_LIST) {
      const s = one(v);
      if (s !== undefined) severity[k.slice(SEVERITY_PREFIX.length, SEVERITY_PREFIX.length + MAX_VALUE)] = s;
    }
  }
  const state: CheckerState = { severity };
  const kind = one(b.kind);
  if (kind !== undefined) state.kind = kind;
  const age = one(b.age);
  if (age !== undefined) state.age = age.trim();
  const vulnerabilities = many(b.vulnerabilities);
  if (vulnerabilities !== undefined) state.vulnerabilities = vulnerabilities;
  const signs = many(b.signs);
  if (signs !== undefined) state.signs = signs;
  const missing = one(b.missing);
  if (missing !== undefined) state.missing = missing.trim();
  const danger = one(b.danger);
  if (danger !== undefined) state.danger = danger;
  return state;
}

/** The hidden fields that carry `state` on a page, leaving out the fields the page itself asks. */
export function hiddenFields(state: CheckerState, except?: QuestionId): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  const add = (q: QuestionId, name: string, value: string | undefined): void => {
    if (value !== undefined && q !== except) out.push({ name, value });
  };
  add('who', 'kind', state.kind);
  add('age', 'age', state.age);
  for (const v of state.vulnerabilities ?? []) add('vulnerabilities', 'vulnerabilities', v);
  for (const s of state.signs ?? []) add('signs', 'signs', s);
  for (const [code, sev] of Object.entries(state.severity)) {
    // Only the severities of chosen signs travel on: unticking a sign forgets how strong it was.
    if (state.signs?.includes(code)) add('how-strong', `${SEVERITY_PREFIX}${code}`, sev);
  }
  add('missing', 'missing', state.missing);
  add('danger', 'danger', state.danger);
  return out;
}

/** What the checker offers as choices, worked out once from the content. */
export interface CheckerOptions {
  vulnerabilities: Array<{ id: string; label: string; hint?: string }>;
  signs: Array<{ code: IndicatorCode; title: string; hint: string }>;
  severityHelp: Record<Severity, string>;
}

export function checkerOptions(content: Content): CheckerOptions {
  const { screening } = content;
  return {
    // Vulnerabilities worked out from the age (under 13) are not ticked.
    vulnerabilities: screening.vulnerabilities
      .filter((v) => v.derived_age_under === undefined)
      .map((v) => ({ id: v.id, label: v.label, ...(v.hint ? { hint: v.hint } : {}) })),
    // Danger right now has its own question, so emergency signs are not in the list.
    signs: content.indicators
      .filter((i) => !screening.rules.emergency_signs.includes(i.code))
      .map((i) => ({ code: i.code, title: i.title, hint: i.explanation })),
    severityHelp: screening.severity_help,
  };
}

/** The chosen sign codes (none when "None of these" or unanswered). */
export function chosenSigns(state: CheckerState): string[] {
  return (state.signs ?? []).filter((s) => s !== NONE);
}

/** Whether a question is asked at all with these answers (how strong: only when signs were chosen). */
export function applies(q: QuestionId, state: CheckerState): boolean {
  return q !== 'how-strong' || chosenSigns(state).length > 0;
}

/** Whether the question has an answer at all (right or wrong). */
export function answered(q: QuestionId, state: CheckerState): boolean {
  switch (q) {
    case 'who':
      return state.kind !== undefined;
    case 'age':
      return state.age !== undefined;
    case 'vulnerabilities':
      return state.vulnerabilities !== undefined;
    case 'signs':
      return state.signs !== undefined;
    case 'how-strong':
      return chosenSigns(state).every((c) => state.severity[c] !== undefined);
    case 'missing':
      return state.missing !== undefined;
    case 'danger':
      return state.danger !== undefined;
  }
}

const AGE = /^\d{1,3}$/;
const COUNT = /^\d{1,4}$/;

/** Checks one question's answer; the errors name the field the page shows them on. */
export function validateQuestion(q: QuestionId, state: CheckerState, options: CheckerOptions): FieldError[] {
  const err = (field: string, message: string): FieldError[] => [{ field, message }];
  switch (q) {
    case 'who':
      return state.kind === 'child' || state.kind === 'adult' ? [] : err('kind', 'Select if you are worried about a child or an adult');
    case 'age': {
      const age = state.age ?? '';
      if (age === '') return err('age', 'Enter their age');
      if (!AGE.test(age)) return err('age', 'Age must be a number, like 15');
      const n = Number(age);
      if (n > 120) return err('age', 'Age must be 120 or less');
      if (state.kind === 'child' && n >= ADULT_AGE)
        return err('age', `A child is under ${ADULT_AGE}. Enter an age under ${ADULT_AGE}, or go back and choose adult`);
      if (state.kind === 'adult' && n < ADULT_AGE)
        return err('age', `An adult is ${ADULT_AGE} or over. Enter an age of ${ADULT_AGE} or more, or go back and choose child`);
      return [];
    }
    case 'vulnerabilities':
      return checkList(state.vulnerabilities, new Set(options.vulnerabilities.map((v) => v.id)), 'vulnerabilities', {
        required: 'Select anything that makes them more at risk, or select "None of these"',
        both: 'Select "None of these" or the things that apply, not both',
        unknown: 'Select from the list',
      });
    case 'signs':
      return checkList(state.signs, new Set<string>(options.signs.map((s) => s.code)), 'signs', {
        required: 'Select the signs you have noticed, or select "None of these"',
        both: 'Select "None of these" or the signs you have noticed, not both',
        unknown: 'Select signs from the list',
      });
    case 'how-strong': {
      const titles = new Map<string, string>(options.signs.map((s) => [s.code, s.title]));
      const severities: readonly string[] = SEVERITIES;
      return chosenSigns(state)
        .filter((code) => !severities.includes(state.severity[code] ?? ''))
        .map((code) => ({ field: `${SEVERITY_PREFIX}${code}`, message: `Select how strong the sign "${titles.get(code) ?? code}" is` }));
    }
    case 'missing': {
      const m = state.missing ?? '';
      if (m === '') return err('missing', 'Enter how many times they went missing in the last 30 days. Enter 0 if they have not');
      if (!COUNT.test(m)) return err('missing', 'Enter a whole number, like 0 or 2');
      if (Number(m) > MAX_MISSING) return err('missing', `Enter a number from 0 to ${MAX_MISSING}`);
      return [];
    }
    case 'danger':
      return state.danger === 'yes' || state.danger === 'no' ? [] : err('danger', 'Select yes if anyone is in danger right now');
  }
}

function checkList(
  list: string[] | undefined,
  known: Set<string>,
  field: string,
  msg: { required: string; both: string; unknown: string },
): FieldError[] {
  if (!list || list.length === 0) return [{ field, message: msg.required }];
  if (list.includes(NONE)) return list.length === 1 ? [] : [{ field, message: msg.both }];
  if (list.some((v) => !known.has(v)) || new Set(list).size !== list.length) return [{ field, message: msg.unknown }];
  return [];
}

/** The first question, in order, that is unanswered or wrong, if any. */
export function firstProblem(state: CheckerState, options: CheckerOptions): { question: QuestionId; answered: boolean; errors: FieldError[] } | undefined {
  for (const q of QUESTIONS) {
    if (!applies(q, state)) continue;
    const errors = validateQuestion(q, state, options);
    if (errors.length) return { question: q, answered: answered(q, state), errors };
  }
  return undefined;
}

/** The answers as the scorer's input (call only once firstProblem finds nothing; parseScreenInput checks again). */
export function toScreenInput(state: CheckerState): Record<string, unknown> {
  return {
    subject: {
      kind: state.kind as SubjectKind,
      age: Number(state.age),
      vulnerabilities: (state.vulnerabilities ?? []).filter((v) => v !== NONE),
    },
    signs: chosenSigns(state).map((code) => ({ code, severity: state.severity[code] })),
    missing_episodes_30d: Number(state.missing),
    danger_now: state.danger === 'yes' ? true : state.danger === 'no' ? false : undefined,
  } satisfies Partial<Record<keyof ScreenInput, unknown>>;
}

/** The question page a parseScreenInput field error belongs on (e.g. signs[1].severity -> how-strong). */
export function questionForField(field: string): QuestionId {
  if (field.startsWith('subject.kind')) return 'who';
  if (field.startsWith('subject.age')) return 'age';
  if (field.startsWith('subject.vulnerabilities')) return 'vulnerabilities';
  if (/^signs\[\d+\]\.severity/.test(field)) return 'how-strong';
  if (field.startsWith('signs')) return 'signs';
  if (field.startsWith('missing')) return 'missing';
  if (field.startsWith('danger')) return 'danger';
  return 'who';
}
