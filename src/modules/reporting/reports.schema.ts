/**
 * What a report is, its limits, and how input (the JSON API and each page of the guided form)
 * is validated into it. One set of rules for both channels. Messages follow GOV.UK style.
 */
import { z } from 'zod';
import { MAX_PHOTOS } from './photos.ts';
import { fieldErrorsFromIssues, type FieldError } from '../../errors.ts';

export const LIMITS = {
  narrative: 10_000,
  text: 2_000,
  short: 200,
  listItems: 20,
  item: 100,
  message: 5_000,
} as const;

/** Everything a reporter can tell us. Sealed as one document; never stored in plaintext. */
export interface ReportContent {
  narrative: string;
  what: string;
  who: string;
  place: string;
  postcode: string;
  address: string;
  when: string;
  phones: string[];
  lineNames: string[];
  vehicles: string[];
  handles: string[];
  dangerNow: boolean | null;
  /** Contact details only when the reporter chose to give them (off by default). */
  contact: ContactDetails | null;
}

export interface ContactDetails {
  name: string;
  phone: string;
  email: string;
}

export function emptyContent(): ReportContent {
  return { narrative: '', what: '', who: '', place: '', postcode: '', address: '', when: '', phones: [], lineNames: [], vehicles: [], handles: [], dangerNow: null, contact: null };
}

/** Replaces lone UTF-16 surrogates (possible in JSON "\ud800") with U+FFFD. */
export function wellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * Text as we keep it: well-formed Unicode (lone surrogates replaced), NUL and other control
 * characters removed except tab and newlines, line endings unified, trimmed. Nothing else is
 * altered: RTL marks, emoji and combining marks are kept and escaped when shown.
 */
export function cleanText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return wellFormed(value).replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim();
}

const text = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text` })
    .transform(cleanText)
    .pipe(z.string().max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`));

const list = (label: string) =>
  z
    .array(text(label, LIMITS.item), { error: `${label} must be a list` })
    .max(LIMITS.listItems, `Give ${LIMITS.listItems} ${label.toLowerCase()} or fewer`)
    .transform((xs) => xs.filter(Boolean));

/**
 * The JSON API body. Unknown fields are REFUSED (400 naming each field), so a partner app's typo
 * is caught rather than silently losing what a reporter said.
 */
export const apiReportSchema = z.strictObject({
  narrative: text('Narrative', LIMITS.narrative).pipe(z.string().min(1, 'Enter what you saw or heard')),
  what: text('What', LIMITS.short).optional(),
  who: text('Who', LIMITS.text).optional(),
  where: text('Where', LIMITS.text).optional(),
  postcode: text('Postcode', 12).optional(),
  when: text('When', LIMITS.short).optional(),
  phones: list('Phone numbers').optional(),
  line_names: list('Line names').optional(),
  vehicles: list('Vehicles').optional(),
  handles: list('Social media accounts').optional(),
  danger_now: z.boolean({ error: 'danger_now must be true or false' }).optional(),
  // Photos for partner apps: base64 in the JSON body (the route's body limit allows MAX_PHOTOS of
  // them at the upload limit). Each is re-encoded like a form upload; a bad one is refused alone.
  photos: z
    .array(
      z.strictObject({
        filename: z.string({ error: 'filename must be text' }).max(200, 'filename must be 200 characters or fewer').optional(),
        data: z.string({ error: 'data must be the photo as base64 text' }),
      }),
      { error: 'photos must be a list of {"data": base64, "filename"}' },
    )
    .max(MAX_PHOTOS, `Send up to ${MAX_PHOTOS} photos`)
    .optional(),
});

/** A photo sent through the JSON API, decoded (data null if it was not base64). */
export interface ApiPhoto {
  filename: string;
  data: Buffer | null;
  tooLarge: boolean;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodePhoto(p: { filename?: string | undefined; data: string }, index: number, limit: number): ApiPhoto {
  const filename = p.filename || `Photo ${index + 1}`;
  const b64 = p.data.replace(/\s+/g, '');
  // Checked before decoding, so an oversized photo never becomes a buffer.
  if (Math.floor((b64.length * 3) / 4) > limit + 2) return { filename, data: null, tooLarge: true };
  if (!b64 || !BASE64.test(b64)) return { filename, data: null, tooLarge: false };
  return { filename, data: Buffer.from(b64, 'base64'), tooLarge: false };
}

/** Parses a JSON API body into report content, or throws nothing and returns field errors. */
export function parseApiReport(
  body: unknown,
  uploadLimit = Number.POSITIVE_INFINITY,
): { ok: true; content: ReportContent; photos: ApiPhoto[] } | { ok: false; errors: FieldError[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, errors: [{ field: 'body', message: 'Send a JSON object' }] };
  }
  const res = apiReportSchema.safeParse(body);
  if (!res.success) {
    const errors: FieldError[] = [];
    for (const issue of res.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) errors.push({ field: key.slice(0, 100), message: 'Unknown field: not accepted' });
      } else errors.push(...fieldErrorsFromIssues([issue]));
    }
    return { ok: false, errors };
  }
  const d = res.data;
  const postcodeErr = d.postcode ? postcodeError(d.postcode) : null;
  if (postcodeErr) return { ok: false, errors: [{ field: 'postcode', message: postcodeErr }] };
  return {
    ok: true,
    photos: (d.photos ?? []).map((p, i) => decodePhoto(p, i, uploadLimit)),
    content: {
      ...emptyContent(),
      narrative: d.narrative,
      what: d.what ?? '',
      who: d.who ?? '',
      place: d.where ?? '',
      postcode: d.postcode ? (normalisePostcodeInput(d.postcode) ?? '') : '',
      when: d.when ?? '',
      phones: d.phones ?? [],
      lineNames: d.line_names ?? [],
      vehicles: d.vehicles ?? [],
      handles: d.handles ?? [],
      dangerNow: d.danger_now ?? null,
    },
  };
}

export function normalisePostcodeInput(s: string): string | null {
  const m = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/.exec(s.toUpperCase().replace(/\s+/g, ' ').trim());
  return m ? `${m[1]} ${m[2]}` : null;
}

function postcodeError(s: string): string | null {
  return normalisePostcodeInput(s) ? null : 'Enter a real postcode, like LA1 1AA, or leave it blank';
}

// ---------------------------------------------------------------------------------------------
// The guided form: one question per page. Each page validates only its own fields.

export type FormBody = Record<string, unknown>;

/** A form value as one string: browsers send strings; a repeated field keeps the first. */
export function field(body: FormBody, name: string): string {
  const v = body[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s : '';
}

/** "One on each line" lists. */
export function lines(value: string): string[] {
  return value
    .split(/\n/)
    .map((l) => cleanText(l))
    .filter(Boolean);
}

export type PageResult = { ok: true; patch: Partial<ReportContent> } | { ok: false; errors: FieldError[]; values: Record<string, string> };

function checkLength(errors: FieldError[], id: string, label: string, value: string, max: number): void {
  if (value.length > max) errors.push({ field: id, message: `${label} must be ${max.toLocaleString('en-GB')} characters or fewer` });
}

function checkList(errors: FieldError[], id: string, label: string, items: string[]): void {
  if (items.length > LIMITS.listItems) errors.push({ field: id, message: `${label}: give ${LIMITS.listItems} or fewer, one on each line` });
  else if (items.some((i) => i.length > LIMITS.item)) errors.push({ field: id, message: `${label}: each line must be ${LIMITS.item} characters or fewer` });
}

/** Validates one page of the guided form. On error, `values` holds exactly what was typed. */
export function parsePage(slug: string, body: FormBody): PageResult {
  const errors: FieldError[] = [];
  const raw = (name: string) => field(body, name);
  const values: Record<string, string> = {};
  const take = (name: string) => {
    const v = cleanText(raw(name));
    values[name] = wellFormed(raw(name));
    return v;
  };
  let patch: Partial<ReportContent> = {};
  switch (slug) {
    case 'danger': {
      const v = take('dangerNow');
      if (v !== 'yes' && v !== 'no') errors.push({ field: 'dangerNow', message: 'Select yes if anyone is in danger right now' });
      patch = { dangerNow: v === 'yes' };
      break;
    }
    case 'what': {
      const v = take('narrative');
      if (!v) errors.push({ field: 'narrative', message: 'Enter what you saw or heard' });
      checkLength(errors, 'narrative', 'What you saw or heard', v, LIMITS.narrative);
      patch = { narrative: v };
      break;
    }
    case 'who': {
      const v = take('who');
      checkLength(errors, 'who', 'Who was involved', v, LIMITS.text);
      patch = { who: v };
      break;
    }
    case 'where': {
      const place = take('place');
      const postcode = take('postcode');
      const address = take('address');
      checkLength(errors, 'place', 'Town, street or place', place, LIMITS.short);
      if (postcode) {
        const err = postcodeError(postcode);
        if (err) errors.push({ field: 'postcode', message: err });
      }
      checkLength(errors, 'address', 'Address or description of the building', address, LIMITS.text);
      patch = { place, postcode: postcode ? (normalisePostcodeInput(postcode) ?? postcode) : '', address };
      break;
    }
    case 'when': {
      const v = take('when');
      checkLength(errors, 'when', 'When it happened', v, LIMITS.short);
      patch = { when: v };
      break;
    }
    case 'phones': {
      const phones = lines(take('phones'));
      const lineNames = lines(take('lineNames'));
      checkList(errors, 'phones', 'Phone numbers', phones);
      checkList(errors, 'lineNames', 'Line names', lineNames);
      patch = { phones, lineNames };
      break;
    }
    case 'vehicles': {
      const vehicles = lines(take('vehicles'));
      checkList(errors, 'vehicles', 'Vehicles', vehicles);
      patch = { vehicles };
      break;
    }
    case 'handles': {
      const handles = lines(take('handles'));
      checkList(errors, 'handles', 'Social media accounts', handles);
      patch = { handles };
      break;
    }
    case 'contact': {
      const wanted = take('contactWanted');
      if (wanted !== 'yes' && wanted !== 'no') errors.push({ field: 'contactWanted', message: 'Select yes if you want to give contact details' });
      // "yes" keeps any details already given (the service merges); they are asked on the next page.
      patch = { contact: wanted === 'yes' ? { name: '', phone: '', email: '' } : null };
      break;
    }
    case 'contact-details': {
      const name = take('contactName');
      const phone = take('contactPhone');
      const email = take('contactEmail');
      checkLength(errors, 'contactName', 'Name', name, LIMITS.short);
      checkLength(errors, 'contactPhone', 'Phone number', phone, 40);
      checkLength(errors, 'contactEmail', 'Email address', email, 254);
      if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.push({ field: 'contactEmail', message: 'Enter an email address in the correct format, like name@example.com' });
      if (!phone && !email) errors.push({ field: 'contactPhone', message: 'Enter a phone number or an email address, or go back and choose to stay anonymous' });
      patch = { contact: { name, phone, email } };
      break;
    }
    default:
      errors.push({ field: 'body', message: 'Unknown question' });
  }
  return errors.length ? { ok: false, errors, values } : { ok: true, patch };
}

/** Final check before a draft becomes a report: the only required answer is the narrative. */
export function validateComplete(c: ReportContent): FieldError[] {
  const errors: FieldError[] = [];
  if (!c.narrative) errors.push({ field: 'narrative', message: 'Enter what you saw or heard' });
  if (c.narrative.length > LIMITS.narrative) errors.push({ field: 'narrative', message: `What you saw or heard must be ${LIMITS.narrative.toLocaleString('en-GB')} characters or fewer` });
  return errors;
}

export const messageSchema = z.object({
  message: text('Your message', LIMITS.message).pipe(z.string().min(1, 'Enter your message')),
});
