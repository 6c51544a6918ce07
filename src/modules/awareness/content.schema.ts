/**
 * Schemas for the files in content/ that non-developers edit: the indicator library, slang,
 * audience pathways, branching scenarios, the quiz, the routes, local directories and the
 * screening weights. Every file is checked at start-up by `loadContent` (content.ts), which adds
 * the checks that span files (codes, route ids, scenario links).
 */
import { z } from 'zod';

/**
 * The indicator taxonomy: a product contract shared by extraction, screening and triage
 * (../shared/DOMAIN.md "Indicator taxonomy"). Wording and weights live in content, the codes here.
 */
import { INDICATOR_CODES, type IndicatorCode } from '../../indicators.ts';

/** The indicator taxonomy (one list for the whole product: src/indicators.ts). */
export { INDICATOR_CODES, type IndicatorCode };
export const indicatorCodeSchema = z.enum(INDICATOR_CODES);

/** Where a concern goes (DOMAIN.md "Where a concern goes"): the route ids are a contract too. */
export const ROUTE_IDS = [
  '999',
  '101',
  'btp_61016',
  'crimestoppers',
  'fearless',
  'childline',
  'nspcc',
  'childrens_social_care',
  'adult_social_care',
  'nrm',
  'lookout_report',
] as const;
export type RouteId = (typeof ROUTE_IDS)[number];
export const routeIdSchema = z.enum(ROUTE_IDS);

/** The audiences the campaign must reach (issue 4); each needs a pathway. */
export const REQUIRED_AUDIENCES = [
  'parents',
  'teachers',
  'carers',
  'mental_health_professionals',
  'young_people',
  'neighbours_public',
] as const;

/** Screening levels, lowest first. The order is used to raise a level, never to lower it. */
export const LEVELS = ['low', 'medium', 'high', 'emergency'] as const;
export type Level = (typeof LEVELS)[number];
export const levelSchema = z.enum(LEVELS);

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const severitySchema = z.enum(SEVERITIES);

export const SUBJECT_KINDS = ['child', 'adult'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

const text = z.string().trim().min(1, 'Must not be empty');
const id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'Use lower case letters, digits, - and _ only');
const url = z.string().regex(/^(https:\/\/|\/)/, 'Must start with https:// or /');

// ---------------------------------------------------------------------------------------------
// content/awareness/about.yaml: what county lines is

export const aboutSchema = z.strictObject({
  title: text,
  summary: text,
  sections: z.array(z.strictObject({ heading: text, paragraphs: z.array(text).min(1) })).min(1),
  sources: z.array(text).min(1),
});
export type About = z.infer<typeof aboutSchema>;

// ---------------------------------------------------------------------------------------------
// content/awareness/indicators.yaml: one entry per taxonomy code

export const indicatorSchema = z.strictObject({
  code: indicatorCodeSchema,
  title: text,
  /** Plain English a 12-year-old can read. */
  explanation: text,
  examples: z.array(text).min(2, 'Give 2 to 4 examples').max(4, 'Give 2 to 4 examples'),
  /** Pathway ids of the audiences most likely to see this sign. */
  audiences: z.array(id).min(1),
  /** The public guidance this sign comes from. */
  source: text,
  source_url: url.optional(),
  /** Said on the page when a sign is weak on its own (slang, own drug use). */
  caution: text.optional(),
});
export type Indicator = z.infer<typeof indicatorSchema>;
export const indicatorsFileSchema = z.strictObject({ indicators: z.array(indicatorSchema).min(1) });

// ---------------------------------------------------------------------------------------------
// content/awareness/slang.yaml

export const slangFileSchema = z.strictObject({
  title: text,
  intro: text,
  caution: text,
  source: text,
  terms: z
    .array(
      z.strictObject({
        term: text,
        also: z.array(text).default([]),
        meaning: text,
        /** True when the word is also ordinary speech ("food", "line"): a match needs context. */
        everyday_word: z.boolean().default(false),
      }),
    )
    .min(1),
});
export type Slang = z.infer<typeof slangFileSchema>;

// ---------------------------------------------------------------------------------------------
// content/awareness/pathways.yaml: one per audience

export const pathwaySchema = z.strictObject({
  id,
  title: text,
  /** Short name for navigation, e.g. "Parents". */
  audience: text,
  intro: text,
  /** Indicator codes this audience is most likely to see, most likely first. */
  signs: z.array(indicatorCodeSchema).min(1),
  what_to_do: z.array(z.strictObject({ text, routes: z.array(routeIdSchema).default([]) })).min(1),
  /** Routes in the order to try them. */
  routes: z.array(routeIdSchema).min(1),
  scenarios: z.array(id).default([]),
  source: text,
});
export type Pathway = z.infer<typeof pathwaySchema>;
export const pathwaysFileSchema = z.strictObject({ pathways: z.array(pathwaySchema).min(1) });

// ---------------------------------------------------------------------------------------------
// content/awareness/scenarios/*.yaml: branching scenarios. The format is deliberately free of
// page details so that a live-event deck can reuse the same files.

export const RATINGS = ['best', 'ok', 'poor'] as const;
export type Rating = (typeof RATINGS)[number];

export const choiceSchema = z.strictObject({
  /** Used as the form value; stable so a refresh or back button keeps working. */
  id,
  label: text,
  rating: z.enum(RATINGS),
  feedback: text,
  next: id,
});
export type Choice = z.infer<typeof choiceSchema>;

export const questionStepSchema = z.strictObject({
  type: z.literal('question'),
  id,
  text,
  choices: z.array(choiceSchema).min(2, 'A question needs at least 2 choices'),
});
export const endingStepSchema = z.strictObject({
  type: z.literal('ending'),
  id,
  text,
  /** Where to take the concern, in order. */
  routes: z.array(routeIdSchema).min(1),
});
export const stepSchema = z.discriminatedUnion('type', [questionStepSchema, endingStepSchema]);
export type QuestionStep = z.infer<typeof questionStepSchema>;
export type EndingStep = z.infer<typeof endingStepSchema>;
export type Step = z.infer<typeof stepSchema>;

export const scenarioSchema = z.strictObject({
  id,
  title: text,
  summary: text,
  /** Pathway ids this scenario is written for. */
  audiences: z.array(id).min(1),
  /** Indicator codes the scenario teaches. */
  signs: z.array(indicatorCodeSchema).min(1),
  source: text,
  /** The first step is where the scenario starts. */
  steps: z.array(stepSchema).min(2),
});
export type Scenario = z.infer<typeof scenarioSchema>;

// ---------------------------------------------------------------------------------------------
// content/awareness/quiz.yaml

export const quizQuestionSchema = z.strictObject({
  id,
  question: text,
  options: z.array(z.strictObject({ id, text })).min(2),
  /** The id of the correct option. */
  answer: id,
  /** Shown after each answer, right or wrong. */
  explanation: text,
  source: text,
});
export type QuizQuestion = z.infer<typeof quizQuestionSchema>;
export const quizFileSchema = z.strictObject({
  title: text,
  intro: text,
  questions: z.array(quizQuestionSchema).min(10, 'The quiz needs at least 10 questions'),
});
export type Quiz = z.infer<typeof quizFileSchema>;

// ---------------------------------------------------------------------------------------------
// content/routes.yaml

export const routeSchema = z.strictObject({
  id: routeIdSchema,
  label: text,
  /** One line saying how to make contact, shown wherever the route is listed. */
  contact: text,
  phone: z.string().regex(/^[0-9 ]+$/, 'Digits and spaces only').optional(),
  text: z.string().regex(/^[0-9 ]+$/, 'Digits and spaces only').optional(),
  web: url.optional(),
  when: text,
  description: text,
  source: text,
});
export type Route = z.infer<typeof routeSchema>;
export const routesFileSchema = z.strictObject({ routes: z.array(routeSchema).min(1) });

// ---------------------------------------------------------------------------------------------
// content/directory/*.yaml: local contacts per area

export const directoryFileSchema = z.strictObject({
  id,
  area: text,
  /** True while the numbers and web addresses are made up; the page must then show `notice`. */
  illustrative: z.boolean(),
  notice: text.optional(),
  contacts: z
    .array(
      z.strictObject({
        agency: text,
        area: text,
        /** The national route this contact serves locally, if any. */
        route: routeIdSchema.optional(),
        phone: z.string().regex(/^[0-9 ]+$/, 'Digits and spaces only'),
        hours: text,
        web: url,
        notes: text.optional(),
      }),
    )
    .min(1),
});
export type Directory = z.infer<typeof directoryFileSchema>;

// ---------------------------------------------------------------------------------------------
// content/screening.yaml: weights and rules of the "I'm worried about someone" checker

const routeCondition = z.strictObject({
  on_train: z.literal(true).optional(),
  signs_any: z.array(indicatorCodeSchema).min(1).optional(),
  vulnerabilities_any: z.array(id).min(1).optional(),
});
export type RouteCondition = z.infer<typeof routeCondition>;

export const routePlanEntrySchema = z.strictObject({
  id: routeIdSchema,
  /** Include the route only if any of these hold; without `if`, always include it. */
  if: routeCondition.optional(),
  /** A plain-English sentence added to the reasons when this route is given. */
  reason: text.optional(),
});
export type RoutePlanEntry = z.infer<typeof routePlanEntrySchema>;
const routePlanForLevel = z.strictObject({
  child: z.array(routePlanEntrySchema).min(1),
  adult: z.array(routePlanEntrySchema).min(1),
});

export const screeningFileSchema = z.strictObject({
  severity_points: z.strictObject({ low: z.number().min(0), medium: z.number().min(0), high: z.number().min(0) }),
  severity_help: z.strictObject({ low: text, medium: text, high: text }),
  /** Multipliers of the severity points per sign; a code not listed weighs 1. */
  weights: z.partialRecord(indicatorCodeSchema, z.number().min(0).max(5)).default({}),
  /** Score bands, lowest first; a band runs from its `min` up to the next band's `min`. */
  bands: z.array(z.strictObject({ level: z.enum(['low', 'medium', 'high']), min: z.number().min(0) })).length(3),
  levels: z.strictObject({
    low: z.strictObject({ title: text, summary: text }),
    medium: z.strictObject({ title: text, summary: text }),
    high: z.strictObject({ title: text, summary: text }),
    emergency: z.strictObject({ title: text, summary: text }),
  }),
  vulnerabilities: z
    .array(
      z.strictObject({
        id,
        label: text,
        hint: text.optional(),
        /** Points added to the score once at least one sign is present. */
        points: z.number().min(0).default(0),
        /** Never rated low once any sign is present (DOMAIN.md: under 13, learning disability). */
        never_low: z.boolean().default(false),
        /** Worked out from the age instead of being ticked: applies when age < this number. */
        derived_age_under: z.number().int().min(1).max(25).optional(),
      }),
    )
    .min(1),
  rules: z.strictObject({
    /** Signs that mean someone is in danger now: the answer is 999. */
    emergency_signs: z.array(indicatorCodeSchema).min(1),
    /** Any single sign rated high raises the level to at least this. */
    any_high_sign_level: z.enum(['medium', 'high']),
    /** The level never-low vulnerabilities raise a low result to once any sign is present. */
    never_low_level: z.enum(['medium', 'high']),
    /** Missing episodes in the last 30 days: at least `at_least` raises to `level`; the highest matching entry applies. */
    missing_episodes: z
      .array(
        z.strictObject({
          at_least: z.number().int().min(1),
          level: z.enum(['medium', 'high']),
          kinds: z.array(z.enum(SUBJECT_KINDS)).default(['child', 'adult']),
          /** Reason wording; placeholders {times} ("once", "twice", "3 times"), {count}, {level}. */
          reason: text,
        }),
      )
      .default([]),
  }),
  /** Reason wording; {placeholders} are filled in by the scorer. */
  reasons: z.strictObject({
    no_signs: text,
    danger_now: text,
    emergency_sign: text,
    signs_chosen: text,
    score: text,
    high_sign: text,
    never_low: text,
    vulnerabilities_added: text,
  }),
  route_plan: z.strictObject({
    emergency: routePlanForLevel,
    high: routePlanForLevel,
    medium: routePlanForLevel,
    low: routePlanForLevel,
  }),
  source: z.array(text).min(1),
});
export type ScreeningFile = z.infer<typeof screeningFileSchema>;

/** Placeholders each reason template may use; anything else is a typo caught at start-up. */
export const REASON_PLACEHOLDERS: Record<keyof ScreeningFile['reasons'], readonly string[]> = {
  no_signs: [],
  danger_now: [],
  emergency_sign: ['sign'],
  signs_chosen: ['signs'],
  score: ['score', 'points', 'band', 'medium_min', 'high_min'],
  high_sign: ['sign', 'level'],
  never_low: ['vulnerability', 'level'],
  vulnerabilities_added: ['vulnerabilities', 'points'],
};

/** Placeholders a `rules.missing_episodes[].reason` may use. */
export const MISSING_REASON_PLACEHOLDERS: readonly string[] = ['times', 'count', 'at_least', 'level'];

/** A route as the scorer returns it. */
export interface RouteRef {
  id: RouteId;
  label: string;
  contact: string;
}

/**
 * Everything `score()` needs: screening.yaml plus the route contacts (routes.yaml) and the sign
 * titles (indicators.yaml), joined by `loadContent` so the scorer stays a pure function of data.
 */
export interface ScreeningRules extends ScreeningFile {
  routes: Record<RouteId, RouteRef>;
  signTitles: Record<IndicatorCode, string>;
}

/** All validated content, as `loadContent` returns it. */
export interface Content {
  about: About;
  /** In taxonomy order (the order of INDICATOR_CODES). */
  indicators: Indicator[];
  slang: Slang;
  pathways: Pathway[];
  /** Sorted by file name. */
  scenarios: Scenario[];
  quiz: Quiz;
  /** In the order of routes.yaml. */
  routes: Route[];
  /** One per file in content/directory, sorted by file name. */
  directories: Directory[];
  screening: ScreeningRules;
}
