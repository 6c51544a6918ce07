/**
 * The "I'm worried about someone" checker's page flow. Each call takes the posted form body (the
 * answers so far, see checker.schema.ts) and says which page to show next: a question (with
 * errors when an answer is missing or wrong), check your answers, or the result. A result is only
 * ever built from answers that pass every question's check AND parseScreenInput.
 */
import { ValidationError, type FieldError } from '../../errors.ts';
import type { Content, Level, Route, RouteRef } from '../awareness/content.schema.ts';
import {
  applies,
  checkerOptions,
  chosenSigns,
  firstProblem,
  hiddenFields,
  isQuestion,
  NONE,
  QUESTIONS,
  questionForField,
  readState,
  toScreenInput,
  validateQuestion,
  type CheckerOptions,
  type CheckerState,
  type QuestionId,
} from './checker.schema.ts';
import { renderReferralSummaryPdf } from './referral-pdf.ts';
import { parseScreenInput, type ScreenInput } from './screen.schema.ts';
import { score, type ScreenResult } from './scoring.ts';

export interface QuestionPage {
  page: 'question';
  question: QuestionId;
  state: CheckerState;
  errors: FieldError[];
  /** Hidden fields carrying every other answer. */
  hidden: Array<{ name: string; value: string }>;
  /** Hidden fields carrying every answer, for the Back button's own form. */
  hiddenAll: Array<{ name: string; value: string }>;
  /** The question before this one, or undefined on the first. */
  back?: QuestionId;
  options: CheckerOptions;
  /** Chosen signs with their titles, for "how strong". */
  chosen: Array<{ code: string; title: string }>;
}

export interface CheckPage {
  page: 'check';
  state: CheckerState;
  hidden: Array<{ name: string; value: string }>;
  rows: Array<{ question: QuestionId; key: string; value: string[] }>;
  danger: boolean;
}

export interface ResultPage {
  page: 'result';
  input: ScreenInput;
  result: ScreenResult;
  level: { id: Level; title: string; summary: string };
  /** The result's routes, in order, with the content's wording. */
  routes: Array<RouteRef & Partial<Route>>;
  hidden: Array<{ name: string; value: string }>;
}

export type CheckerPage = QuestionPage | CheckPage | ResultPage;

/** Builds the checker flow from validated content; `clock` dates the referral summary. */
export function createCheckerService(content: Content, clock: () => Date) {
  const options = checkerOptions(content);
  const rules = content.screening;
  const routeDetails = new Map(content.routes.map((r) => [r.id, r]));
  const signTitle = new Map<string, string>(content.indicators.map((i) => [i.code, i.title]));
  const vulnLabel = new Map(rules.vulnerabilities.map((v) => [v.id, v.label]));

  function previous(q: QuestionId, state: CheckerState): QuestionId | undefined {
    const i = QUESTIONS.indexOf(q);
    for (let j = i - 1; j >= 0; j--) {
      const p = QUESTIONS[j];
      if (p && applies(p, state)) return p;
    }
    return undefined;
  }

  function questionPage(question: QuestionId, state: CheckerState, errors: FieldError[] = []): QuestionPage {
    const back = previous(question, state);
    return {
      page: 'question',
      question,
      state,
      errors,
      hidden: hiddenFields(state, question),
      hiddenAll: hiddenFields(state),
      ...(back ? { back } : {}),
      options,
      chosen: chosenSigns(state).map((code) => ({ code, title: signTitle.get(code) ?? code })),
    };
  }

  /** Where a state with a problem goes; `strict` shows errors even for questions not yet answered. */
  function problemPage(state: CheckerState, strict: boolean, after?: QuestionId): QuestionPage | undefined {
    const p = firstProblem(state, options);
    if (!p) return undefined;
    // Moving forward to a question not yet reached and not yet answered: show it clean.
    const ahead = after !== undefined && QUESTIONS.indexOf(p.question) > QUESTIONS.indexOf(after);
    const showErrors = strict || p.answered || !ahead;
    return questionPage(p.question, state, showErrors ? p.errors : []);
  }

  function checkPage(state: CheckerState): CheckPage {
    const list = (xs: string[] | undefined, label: (x: string) => string, none: string): string[] =>
      !xs || xs.includes(NONE) || xs.length === 0 ? [none] : xs.map(label);
    const rows: CheckPage['rows'] = [
      { question: 'who', key: 'Child or adult', value: [state.kind === 'child' ? 'A child (under 18)' : 'An adult (18 or over)'] },
      { question: 'age', key: 'Age', value: [String(state.age)] },
      { question: 'vulnerabilities', key: 'Things that make them more at risk', value: list(state.vulnerabilities, (v) => vulnLabel.get(v) ?? v, 'None of these') },
      { question: 'signs', key: 'Signs you have noticed', value: list(state.signs, (s) => signTitle.get(s) ?? s, 'None of these') },
    ];
    if (applies('how-strong', state))
      rows.push({
        question: 'how-strong',
        key: 'How strong the signs are',
        value: chosenSigns(state).map((c) => `${signTitle.get(c) ?? c}: ${state.severity[c] ?? ''}`),
      });
    rows.push(
      { question: 'missing', key: 'Times missing in the last 30 days', value: [String(state.missing)] },
      { question: 'danger', key: 'Anyone in danger right now', value: [state.danger === 'yes' ? 'Yes' : 'No'] },
    );
    return { page: 'check', state, hidden: hiddenFields(state), rows, danger: state.danger === 'yes' };
  }

  /** Validates everything; a ValidationError from parseScreenInput sends the user to the question it names. */
  function validated(state: CheckerState): { input: ScreenInput } | { page: QuestionPage } {
    const problem = problemPage(state, true);
    if (problem) return { page: problem };
    try {
      return { input: parseScreenInput(toScreenInput(state), rules) };
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const first = err.errors[0];
      const q = questionForField(first?.field ?? '');
      const own = validateQuestion(q, state, options);
      return { page: questionPage(q, state, own.length ? own : [{ field: fieldIdOf(q, state), message: 'Check this answer' }]) };
    }
  }

  function fieldIdOf(q: QuestionId, state: CheckerState): string {
    const ids: Record<QuestionId, string> = {
      who: 'kind',
      age: 'age',
      vulnerabilities: 'vulnerabilities',
      signs: 'signs',
      'how-strong': `severity-${chosenSigns(state)[0] ?? ''}`,
      missing: 'missing',
      danger: 'danger',
    };
    return ids[q];
  }

  return {
    options,

    /** The first question, blank. */
    start(): QuestionPage {
      return questionPage('who', { severity: {} });
    },

    /** Shows a question filled in with the answers so far (Back and Change buttons). */
    show(question: string, body: unknown): CheckerPage {
      const state = readState(body);
      if (!isQuestion(question) || !applies(question, state)) return problemPage(state, false) ?? checkPage(state);
      return questionPage(question, state);
    },

    /** Takes one question's answer and says what to show next. */
    answer(question: QuestionId, body: unknown): CheckerPage {
      const state = readState(body);
      if (applies(question, state)) {
        const errors = validateQuestion(question, state, options);
        if (errors.length) return questionPage(question, state, errors);
      }
      return problemPage(state, false, question) ?? checkPage(state);
    },

    /** Check your answers, or the question that still needs an answer. */
    check(body: unknown): CheckerPage {
      const state = readState(body);
      return problemPage(state, true) ?? checkPage(state);
    },

    /** The result, only from answers that pass every check; otherwise the question to fix. */
    result(body: unknown): ResultPage | QuestionPage {
      const state = readState(body);
      const v = validated(state);
      if ('page' in v) return v.page;
      const result = score(v.input, rules);
      const level = rules.levels[result.level];
      return {
        page: 'result',
        input: v.input,
        result,
        level: { id: result.level, title: level.title, summary: level.summary },
        routes: result.routes.map((r) => ({ ...routeDetails.get(r.id), ...r })),
        hidden: hiddenFields(state),
      };
    },

    /** The validated answers and their result, or the question to fix (for sending a referral). */
    scored(body: unknown): { input: ScreenInput; result: ScreenResult } | { page: QuestionPage } {
      const v = validated(readState(body));
      if ('page' in v) return v;
      return { input: v.input, result: score(v.input, rules) };
    },

    /** The referral summary PDF for a professional, or the question to fix. Nothing is stored or logged. */
    async summaryPdf(body: unknown): Promise<{ pdf: Buffer } | { page: QuestionPage }> {
      const state = readState(body);
      const v = validated(state);
      if ('page' in v) return v;
      const result = score(v.input, rules);
      return { pdf: await renderReferralSummaryPdf(v.input, result, { generatedAt: clock(), rules }) };
    },
  };
}

export type CheckerService = ReturnType<typeof createCheckerService>;
