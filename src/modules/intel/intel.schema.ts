/** Input schemas for the intel pages and normalisation of what analysts type. */
import { z } from 'zod';
import { ValidationError, fieldErrorsFromIssues } from '../../errors.ts';
import { LINE_STATUSES } from './intel.types.ts';

/**
 * A UK or international number typed any common way, as E.164 ("07700 900123", "+44 (0)7700-900123",
 * "0044 7700 900123"); null when it cannot be one.
 */
export function normalisePhone(input: string): string | null {
  let s = input.trim().replace(/\(0\)/g, '').replace(/[\s\-().]/g, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  else if (s.startsWith('0')) s = `+44${s.slice(1)}`;
  return /^\+[1-9]\d{6,14}$/.test(s) ? s : null;
}

/** A brand as the register stores it: lower case, without a trailing "line" or leading "the". */
export function normaliseBrand(input: string): string {
  return input
    .trim()
    .toLowerCase()
    .replace(/^the\s+/, '')
    .replace(/\s+line$/, '')
    .replace(/\s+/g, ' ');
}

const areaList = z
  .string()
  .max(1000)
  .optional()
  .transform((s) =>
    [
      ...new Set(
        (s ?? '')
          .split(/[,\n]/)
          .map((x) => x.trim().replace(/\s+/g, ' '))
          .filter(Boolean),
      ),
    ].slice(0, 50),
  );

const optionalText = (max: number) =>
  z
    .string()
    .max(max, `Must be ${max} characters or fewer`)
    .optional()
    .transform((s) => (s?.trim() ? s.trim() : null));

export const createLineSchema = z.object({
  brand: z
    .string()
    .transform(normaliseBrand)
    .pipe(z.string().min(1, 'Enter the line name, for example "Kash"').max(60, 'Line name must be 60 characters or fewer')),
  displayName: optionalText(100),
  exportingArea: optionalText(100),
  importingAreas: areaList,
  number: z
    .string()
    .max(40)
    .optional()
    .transform((s, ctx) => {
      if (!s?.trim()) return null;
      const n = normalisePhone(s);
      if (!n) ctx.addIssue({ code: 'custom', message: 'Enter a phone number, like 07700 900123' });
      return n;
    }),
});
export type CreateLineInput = z.infer<typeof createLineSchema>;

export const updateLineSchema = z.object({
  version: z.coerce.number().int().min(1),
  status: z.enum(LINE_STATUSES, { message: 'Select a status' }),
  displayName: z.string().trim().min(1, 'Enter a display name').max(100, 'Display name must be 100 characters or fewer'),
  exportingArea: optionalText(100),
  importingAreas: areaList,
});
export type UpdateLineInput = z.infer<typeof updateLineSchema>;

export const addNumberSchema = z.object({
  number: z
    .string()
    .max(40)
    .transform((s, ctx) => {
      const n = normalisePhone(s);
      if (!n) {
        ctx.addIssue({ code: 'custom', message: 'Enter a phone number, like 07700 900123' });
        return z.NEVER;
      }
      return n;
    }),
  closeCurrent: z
    .string()
    .optional()
    .transform((v) => v === 'yes'),
});
export type AddNumberInput = z.infer<typeof addNumberSchema>;

export const lineFilterSchema = z.object({
  status: z.enum(LINE_STATUSES).optional().catch(undefined),
  q: z.string().max(100).optional().catch(undefined),
  area: z.string().max(100).optional().catch(undefined),
});

export const networkQuerySchema = z.object({
  focus: z
    .string()
    .regex(/^(entity|line):\d{1,15}$/)
    .optional()
    .catch(undefined),
  hops: z.coerce.number().int().min(1).max(3).catch(2),
});
export type NetworkQuery = z.infer<typeof networkQuerySchema>;

export const EXPORT_FORMATS = ['graphml', 'gexf', 'nodes.csv', 'edges.csv', 'geojson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Parses with a schema, turning failures into a ValidationError naming each field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const res = schema.safeParse(input);
  if (!res.success) throw new ValidationError(fieldErrorsFromIssues(res.error.issues));
  return res.data;
}
