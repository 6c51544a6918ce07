/**
 * Spot the signs: the public awareness pages (what county lines is, audience guides, the sign
 * library, slang, branching scenarios, the quiz and the local directory) and, through
 * `checker`, the "I'm worried about someone" checker. Content is loaded and validated ONCE here at
 * start-up; a broken content file stops start-up with a message naming the file and the field.
 */
import { fileURLToPath } from 'node:url';
import { NotFoundError, ValidationError } from '../../errors.ts';
import type { Platform } from '../../platform.ts';
import { createCheckerService } from '../screening/checker.service.ts';
import { ContentError, loadContent } from './content.ts';
import type { Choice, Content, EndingStep, Indicator, Pathway, QuestionStep, QuizQuestion, Route, RouteId, Scenario } from './content.schema.ts';

/** The content/ folder of this checkout, so the service starts from any working directory. */
export const DEFAULT_CONTENT_DIR = fileURLToPath(new URL('../../../content', import.meta.url));

export interface AwarenessOptions {
  /** Another content folder (tests use a broken copy). */
  contentDir?: string;
}

export interface PathwayPage {
  pathway: Pathway;
  signs: Indicator[];
  whatToDo: Array<{ text: string; routes: Route[] }>;
  routes: Route[];
  scenarios: Scenario[];
}

export type ScenarioStepPage =
  | { kind: 'question'; scenario: Scenario; step: QuestionStep; number: number }
  | { kind: 'ending'; scenario: Scenario; step: EndingStep; number: number; routes: Route[] };

export interface ScenarioFeedback {
  scenario: Scenario;
  step: QuestionStep;
  number: number;
  choice: Choice;
  best: Choice[];
}

export interface QuizPage {
  question: QuizQuestion;
  /** 1-based position. */
  number: number;
  total: number;
  /** Correct answers before this question (self-check only; carried in the page, never stored). */
  score: number;
}

export interface QuizFeedback extends QuizPage {
  chosen: QuizQuestion['options'][number];
  correct: boolean;
  answer: QuizQuestion['options'][number];
  /** `score` after this answer. */
  newScore: number;
  last: boolean;
}

/** Builds the awareness services; throws ContentError (after logging it) when content is invalid. */
export function createAwarenessServices(platform: Platform, opts: AwarenessOptions = {}) {
  let content: Content;
  try {
    content = loadContent(opts.contentDir ?? DEFAULT_CONTENT_DIR);
  } catch (err) {
    if (err instanceof ContentError) {
      platform.logger.fatal({ issues: err.issues }, `content is invalid; fix these files before starting:\n${err.message}`);
    }
    throw err;
  }
  const routeById = new Map(content.routes.map((r) => [r.id, r]));
  const indicatorByCode = new Map(content.indicators.map((i) => [i.code, i]));
  const scenarioById = new Map(content.scenarios.map((s) => [s.id, s]));
  const pathwayById = new Map(content.pathways.map((p) => [p.id, p]));
  const routesFor = (ids: readonly RouteId[]): Route[] => ids.map((id) => routeById.get(id)).filter((r) => r !== undefined);

  function scenarioOf(id: string): Scenario {
    const s = scenarioById.get(id);
    if (!s) throw new NotFoundError('scenario', id);
    return s;
  }
  function questionOf(scenario: Scenario, stepId: string): { step: QuestionStep; number: number } {
    const number = scenario.steps.findIndex((s) => s.id === stepId);
    const step = scenario.steps[number];
    if (step?.type !== 'question') throw new NotFoundError('scenario step', stepId);
    return { step, number: number + 1 };
  }
  function quizQuestionAt(number: number): QuizQuestion {
    const q = Number.isInteger(number) ? content.quiz.questions[number - 1] : undefined;
    if (!q) throw new NotFoundError('quiz question', String(number));
    return q;
  }
  /** The score is a self-check carried in the page: keep it in range rather than fail on an edited URL. */
  const clampScore = (score: number, max: number): number => (Number.isInteger(score) ? Math.min(Math.max(score, 0), max) : 0);
  function quizQuestion(number: number, score: number): QuizPage {
    const question = quizQuestionAt(number);
    return { question, number, total: content.quiz.questions.length, score: clampScore(score, number - 1) };
  }

  return {
    /** Everything from content/, validated. */
    content,
    routesFor,

    /** The landing page: what county lines is, and the audience guides. */
    overview() {
      return { about: content.about, pathways: content.pathways, scenarios: content.scenarios };
    },

    /** One audience guide with its signs, what to do and routes resolved. */
    pathway(id: string): PathwayPage {
      const pathway = pathwayById.get(id);
      if (!pathway) throw new NotFoundError('pathway', id);
      return {
        pathway,
        signs: pathway.signs.map((c) => indicatorByCode.get(c)).filter((i) => i !== undefined),
        whatToDo: pathway.what_to_do.map((w) => ({ text: w.text, routes: routesFor(w.routes) })),
        routes: routesFor(pathway.routes),
        scenarios: pathway.scenarios.map((s) => scenarioById.get(s)).filter((s) => s !== undefined),
      };
    },

    indicators(): Indicator[] {
      return content.indicators;
    },

    scenarios(): Scenario[] {
      return content.scenarios;
    },

    scenario(id: string): Scenario {
      return scenarioOf(id);
    },

    /** A step of a scenario: a question to answer, or an ending with routes. */
    scenarioStep(id: string, stepId: string): ScenarioStepPage {
      const scenario = scenarioOf(id);
      const index = scenario.steps.findIndex((s) => s.id === stepId);
      const step = scenario.steps[index];
      if (!step) throw new NotFoundError('scenario step', stepId);
      if (step.type === 'question') return { kind: 'question', scenario, step, number: index + 1 };
      return { kind: 'ending', scenario, step, number: index + 1, routes: routesFor(step.routes) };
    },

    /** Feedback on a choice; throws ValidationError (field "choice") when none or an unknown one was sent. */
    scenarioAnswer(id: string, stepId: string, choiceId: string | undefined): ScenarioFeedback {
      const scenario = scenarioOf(id);
      const { step, number } = questionOf(scenario, stepId);
      const choice = step.choices.find((c) => c.id === choiceId);
      if (!choice) throw new ValidationError([{ field: 'choice', message: 'Choose what you would do' }]);
      return { scenario, step, number, choice, best: step.choices.filter((c) => c.rating === 'best' && c.id !== choice.id) };
    },

    quizIntro() {
      return { quiz: content.quiz, total: content.quiz.questions.length };
    },

    quizQuestion,

    /** Marks one answer; throws ValidationError (field "answer") when no known option was chosen. */
    quizAnswer(number: number, score: number, optionId: string | undefined): QuizFeedback {
      const page = quizQuestion(number, score);
      const chosen = page.question.options.find((o) => o.id === optionId);
      if (!chosen) throw new ValidationError([{ field: 'answer', message: 'Choose an answer' }]);
      const answer = page.question.options.find((o) => o.id === page.question.answer) ?? chosen;
      const correct = chosen.id === answer.id;
      return { ...page, chosen, answer, correct, newScore: page.score + (correct ? 1 : 0), last: number === page.total };
    },

    quizResult(score: number) {
      const total = content.quiz.questions.length;
      return { quiz: content.quiz, total, score: clampScore(score, total) };
    },

    slang() {
      return content.slang;
    },

    directories() {
      return content.directories.map((d) => ({
        ...d,
        contacts: d.contacts.map((c) => ({ ...c, routeLabel: c.route ? routeById.get(c.route)?.label : undefined })),
      }));
    },

    /** The "I'm worried about someone" checker. */
    checker: createCheckerService(content, platform.clock),
  };
}

export type AwarenessServices = ReturnType<typeof createAwarenessServices>;
