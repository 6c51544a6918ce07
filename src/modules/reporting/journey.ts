/**
 * The guided report, one question per page (GOV.UK "one thing per page"), in order. Wording
 * follows the GOV.UK style guide: plain words, second person, hints with examples.
 */
import type { ReportContent } from './reports.schema.ts';

export interface FieldDef {
  name: string;
  kind: 'textarea' | 'input' | 'radios' | 'count';
  label: string;
  hint?: string;
  rows?: number;
  maxlength?: number;
  classes?: string;
  autocomplete?: string;
  spellcheck?: boolean;
  items?: Array<{ value: string; text: string }>;
}

export interface PageDef {
  slug: string;
  /** The page's h1 (and the label or legend of its one question). */
  title: string;
  caption?: string;
  intro?: string;
  fields: FieldDef[];
  /** Row label on "Check your answers". */
  summary: string;
}

const LIST_HINT = 'Put each one on a new line. Leave this blank if you do not know.';

export const PAGES: PageDef[] = [
  {
    slug: 'danger',
    title: 'Is anyone in danger right now?',
    summary: 'Anyone in danger right now',
    fields: [
      {
        name: 'dangerNow',
        kind: 'radios',
        label: 'Is anyone in danger right now?',
        hint: 'For example, someone is being hurt or threatened, has a weapon, or is being taken somewhere against their will.',
        items: [
          { value: 'yes', text: 'Yes' },
          { value: 'no', text: 'No' },
        ],
      },
    ],
  },
  {
    slug: 'what',
    title: 'What did you see or hear?',
    summary: 'What you saw or heard',
    fields: [
      {
        name: 'narrative',
        kind: 'count',
        label: 'What did you see or hear?',
        hint: 'Tell us everything you can remember, even if it seems small. Do not include your own name or anything that would identify you, unless you want to.',
        rows: 10,
        maxlength: 10_000,
      },
    ],
  },
  {
    slug: 'who',
    title: 'Who was involved?',
    summary: 'Who was involved',
    fields: [
      {
        name: 'who',
        kind: 'textarea',
        label: 'Who was involved?',
        hint: 'Describe each person: names or nicknames, how old they looked, what they looked like and wore. Leave this blank if you do not know.',
        rows: 6,
      },
    ],
  },
  {
    slug: 'where',
    title: 'Where did it happen?',
    summary: 'Where it happened',
    intro: 'Tell us as much as you know. You can leave any of these blank.',
    fields: [
      { name: 'place', kind: 'input', label: 'Town, street or place', hint: 'For example, "outside the station in Preston" or "Fishwick Park"', spellcheck: false },
      { name: 'postcode', kind: 'input', label: 'Postcode (if you know it)', classes: 'govuk-input--width-10', spellcheck: false, autocomplete: 'off' },
      { name: 'address', kind: 'textarea', label: 'Address or description of the building', hint: 'For example, "the flat above the launderette, blue door"', rows: 3 },
    ],
  },
  {
    slug: 'when',
    title: 'When did it happen?',
    summary: 'When it happened',
    fields: [
      {
        name: 'when',
        kind: 'input',
        label: 'When did it happen?',
        hint: 'For example, "last Friday about 9pm" or "most evenings since March". Leave this blank if you are not sure.',
      },
    ],
  },
  {
    slug: 'phones',
    title: 'Phone numbers and line names',
    summary: 'Phone numbers and line names',
    intro: 'Gangs sell drugs through a phone number they call a "line", often with a name like "the Ryan line".',
    fields: [
      { name: 'phones', kind: 'textarea', label: 'Phone numbers', hint: LIST_HINT, rows: 4, spellcheck: false },
      { name: 'lineNames', kind: 'textarea', label: 'Names of any lines', hint: LIST_HINT, rows: 3 },
    ],
  },
  {
    slug: 'vehicles',
    title: 'Were any vehicles involved?',
    summary: 'Vehicles',
    fields: [
      {
        name: 'vehicles',
        kind: 'textarea',
        label: 'Were any vehicles involved?',
        hint: `Registration numbers, or the make, model and colour. ${LIST_HINT}`,
        rows: 4,
        spellcheck: false,
      },
    ],
  },
  {
    slug: 'handles',
    title: 'Social media accounts',
    summary: 'Social media accounts',
    fields: [
      {
        name: 'handles',
        kind: 'textarea',
        label: 'Social media accounts',
        hint: `Usernames or handles, for example @example_name, and which app. ${LIST_HINT}`,
        rows: 4,
        spellcheck: false,
      },
    ],
  },
];

/** Page order including the special pages (photos, contact) that have their own templates. */
export const ORDER = ['danger', 'what', 'who', 'where', 'when', 'phones', 'vehicles', 'handles', 'photos', 'contact', 'contact-details', 'check'] as const;
export type Step = (typeof ORDER)[number];

export function isStep(s: string): s is Step {
  return (ORDER as readonly string[]).includes(s);
}

export function pageDef(slug: string): PageDef | undefined {
  return PAGES.find((p) => p.slug === slug);
}

export function nextStep(slug: Step): Step {
  if (slug === 'contact') return 'check';
  const i = ORDER.indexOf(slug);
  return ORDER[Math.min(i + 1, ORDER.length - 1)]!;
}

export function previousStep(slug: Step): Step | null {
  if (slug === 'check') return 'contact';
  const i = ORDER.indexOf(slug);
  return i > 0 ? ORDER[i - 1]! : null;
}

/** The form values of a page from saved answers (lists shown one per line). */
export function valuesFor(c: ReportContent): Record<string, string> {
  return {
    dangerNow: c.dangerNow === null ? '' : c.dangerNow ? 'yes' : 'no',
    narrative: c.narrative,
    who: c.who,
    place: c.place,
    postcode: c.postcode,
    address: c.address,
    when: c.when,
    phones: c.phones.join('\n'),
    lineNames: c.lineNames.join('\n'),
    vehicles: c.vehicles.join('\n'),
    handles: c.handles.join('\n'),
    contactWanted: c.contact ? 'yes' : 'no',
    contactName: c.contact?.name ?? '',
    contactPhone: c.contact?.phone ?? '',
    contactEmail: c.contact?.email ?? '',
  };
}

/** Rows for "Check your answers". */
export function summaryRows(c: ReportContent, photoCount: number): Array<{ key: string; value: string; step: Step }> {
  const orNone = (s: string) => s || 'Not given';
  const list = (xs: string[]) => (xs.length ? xs.join('\n') : 'Not given');
  const where = [c.place, c.postcode, c.address].filter(Boolean).join('\n');
  return [
    { key: 'Anyone in danger right now', value: c.dangerNow === null ? 'Not answered' : c.dangerNow ? 'Yes' : 'No', step: 'danger' },
    { key: 'What you saw or heard', value: orNone(c.narrative), step: 'what' },
    { key: 'Who was involved', value: orNone(c.who), step: 'who' },
    { key: 'Where it happened', value: orNone(where), step: 'where' },
    { key: 'When it happened', value: orNone(c.when), step: 'when' },
    { key: 'Phone numbers', value: list(c.phones), step: 'phones' },
    { key: 'Line names', value: list(c.lineNames), step: 'phones' },
    { key: 'Vehicles', value: list(c.vehicles), step: 'vehicles' },
    { key: 'Social media accounts', value: list(c.handles), step: 'handles' },
    { key: 'Photos', value: photoCount ? `${photoCount} photo${photoCount === 1 ? '' : 's'}` : 'None', step: 'photos' },
    {
      key: 'Contact details',
      value: c.contact ? [c.contact.name, c.contact.phone, c.contact.email].filter(Boolean).join('\n') : 'No, stay anonymous',
      step: 'contact',
    },
  ];
}
