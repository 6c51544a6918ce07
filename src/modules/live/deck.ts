/**
 * Scenario decks for live events (content/live/*.yaml): loaded and validated at start-up. A mistake
 * stops the service with a message naming the file and the field, so an editor can fix it alone.
 * Pure functions of data apart from `loadDecks`, which reads the folder.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export const DEFAULT_DECK_DIR = fileURLToPath(new URL('../../../content/live', import.meta.url));

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'Use lower-case letters, digits and hyphens (at most 40)');
const text = z.string().trim().min(1, 'Required');
/** Prose: paragraphs separated by a blank line in the YAML. */
const prose = text.transform((s) => s.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean));

const routeSchema = z.strictObject({ name: text, contact: text, when: text, href: z.string().startsWith('/').optional() });

const slideSchema = z.discriminatedUnion('kind', [
  z.strictObject({ id, kind: z.literal('intro'), title: text, body: prose }),
  z.strictObject({
    id,
    kind: z.literal('multiple_choice'),
    question: text,
    hint: text.optional(),
    options: z
      .array(z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,20}$/, 'Use lower-case letters, digits and hyphens'), text, correct: z.boolean().optional() }))
      .min(2, 'Give at least 2 options')
      .max(6, 'Give at most 6 options'),
    explanation: text,
  }),
  z.strictObject({
    id,
    kind: z.literal('warning_sign'),
    statement: text,
    answer: z.enum(['yes', 'no']),
    indicator: z.string().regex(/^[a-z_]+$/, 'An indicator code from the taxonomy, e.g. missing_from_home').optional(),
    explanation: text,
  }),
  z.strictObject({
    id,
    kind: z.literal('confidence'),
    pair: id,
    phase: z.enum(['before', 'after']),
    question: text,
    low_label: text,
    high_label: text,
  }),
  z.strictObject({ id, kind: z.literal('reveal'), title: text, body: prose }),
  z.strictObject({ id, kind: z.literal('signposting'), title: text, body: prose, routes: z.array(routeSchema).min(1, 'List at least one route') }),
]);

const deckSchema = z.strictObject({
  id,
  title: text,
  audience: text,
  summary: text,
  /** Public guidance the deck's facts come from (DOMAIN.md: cite the source). */
  sources: z.array(text).min(1, 'Cite at least one public source'),
  slides: z.array(slideSchema).min(2, 'A deck needs at least 2 slides'),
});

export type Slide = z.infer<typeof slideSchema>;
export type SlideKind = Slide['kind'];
export type QuestionSlide = Extract<Slide, { kind: 'multiple_choice' | 'warning_sign' | 'confidence' }>;
export type Deck = z.infer<typeof deckSchema> & { file: string };

export interface AnswerOption {
  id: string;
  text: string;
  correct: boolean;
}

export interface DeckIssue {
  file: string;
  field: string;
  message: string;
}

export class DeckError extends Error {
  override name = 'DeckError';
  constructor(readonly issues: DeckIssue[]) {
    super(`Live event decks are not valid:\n${issues.map((i) => `  ${i.file}: ${i.field}: ${i.message}`).join('\n')}`);
  }
}

export function isQuestion(slide: Slide): slide is QuestionSlide {
  return slide.kind === 'multiple_choice' || slide.kind === 'warning_sign' || slide.kind === 'confidence';
}

const WARNING_OPTIONS = [
  { id: 'yes', text: 'Yes, it is a warning sign' },
  { id: 'no', text: 'No, it is not' },
  { id: 'not-sure', text: 'Not sure' },
] as const;

/** The options an attendee chooses from, whatever the slide kind. */
export function optionsOf(slide: QuestionSlide): AnswerOption[] {
  switch (slide.kind) {
    case 'multiple_choice':
      return slide.options.map((o) => ({ id: o.id, text: o.text, correct: o.correct === true }));
    case 'warning_sign':
      return WARNING_OPTIONS.map((o) => ({ ...o, correct: o.id === slide.answer }));
    case 'confidence':
      return [1, 2, 3, 4, 5].map((n) => ({
        id: String(n),
        text: n === 1 ? `1 - ${slide.low_label}` : n === 5 ? `5 - ${slide.high_label}` : String(n),
        correct: false,
      }));
  }
}

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '') || '(whole file)';
}

/** Cross-field rules zod cannot express: unique ids, one correct answer, paired confidence questions. */
export function checkDeck(deck: z.infer<typeof deckSchema>, file: string): DeckIssue[] {
  const issues: DeckIssue[] = [];
  const add = (field: string, message: string) => issues.push({ file, field, message });
  const seen = new Set<string>();
  const pairs = new Map<string, { before?: number; after?: number }>();
  deck.slides.forEach((s, i) => {
    if (seen.has(s.id)) add(`slides[${i}].id`, `Slide id "${s.id}" is used twice`);
    seen.add(s.id);
    if (s.kind === 'multiple_choice') {
      const ids = new Set<string>();
      s.options.forEach((o, j) => {
        if (ids.has(o.id)) add(`slides[${i}].options[${j}].id`, `Option id "${o.id}" is used twice in this question`);
        ids.add(o.id);
      });
      if (!s.options.some((o) => o.correct)) add(`slides[${i}].options`, 'Mark at least one option "correct: true"');
    }
    if (s.kind === 'confidence') {
      const p = pairs.get(s.pair) ?? {};
      if (p[s.phase] !== undefined) add(`slides[${i}].phase`, `Confidence pair "${s.pair}" already has a "${s.phase}" question`);
      p[s.phase] = i;
      pairs.set(s.pair, p);
    }
  });
  for (const [pair, p] of pairs) {
    if (p.before === undefined) add('slides', `Confidence pair "${pair}" has no "before" question`);
    else if (p.after === undefined) add('slides', `Confidence pair "${pair}" has no "after" question: ask it again at the end to measure the effect`);
    else if (p.after < p.before) add(`slides[${p.after}].phase`, `The "after" question of pair "${pair}" comes before its "before" question`);
  }
  const sign = deck.slides.filter((s) => s.kind === 'signposting').length;
  if (sign !== 1) add('slides', `A deck needs exactly one "signposting" slide (found ${sign})`);
  return issues;
}

/** Parses and checks one deck's YAML text; `file` names it in messages. */
export function parseDeck(source: string, file: string): { deck?: Deck; issues: DeckIssue[] } {
  let data: unknown;
  try {
    data = parseYaml(source);
  } catch (err) {
    return { issues: [{ file, field: '(file)', message: `Not valid YAML: ${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}` }] };
  }
  const res = deckSchema.safeParse(data, { error: (iss) => (iss.code === 'invalid_type' && iss.input === undefined ? 'Required' : undefined) });
  if (!res.success) {
    const issues: DeckIssue[] = [];
    for (const iss of res.error.issues) {
      if (iss.code === 'unrecognized_keys') for (const k of iss.keys) issues.push({ file, field: fieldPath([...iss.path, k]), message: 'Unknown field (check the spelling)' });
      else issues.push({ file, field: fieldPath(iss.path), message: iss.message });
    }
    return { issues };
  }
  const issues = checkDeck(res.data, file);
  return issues.length ? { issues } : { deck: { ...res.data, file }, issues };
}

/** Loads every deck in `dir`; throws DeckError listing every problem in every file. */
export function loadDecks(dir: string = DEFAULT_DECK_DIR): Map<string, Deck> {
  const issues: DeckIssue[] = [];
  const decks = new Map<string, Deck>();
  if (!existsSync(dir)) throw new DeckError([{ file: dir, field: '(folder)', message: 'Folder of live event decks is missing' }]);
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
    .sort();
  for (const name of files) {
    const file = join(dir, name);
    const { deck, issues: found } = parseDeck(readFileSync(file, 'utf8'), file);
    issues.push(...found);
    if (!deck) continue;
    if (decks.has(deck.id)) issues.push({ file, field: 'id', message: `Deck id "${deck.id}" is also used by ${decks.get(deck.id)?.file ?? 'another file'}` });
    else decks.set(deck.id, deck);
  }
  if (files.length === 0) issues.push({ file: dir, field: '(folder)', message: 'No decks (*.yaml) found' });
  if (issues.length) throw new DeckError(issues);
  return decks;
}
