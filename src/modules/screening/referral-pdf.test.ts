import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { loadContent } from '../awareness/content.ts';
import { renderReferralSummaryPdf } from './referral-pdf.ts';
import { parseScreenInput } from './screen.schema.ts';
import { score } from './scoring.ts';

const rules = loadContent(fileURLToPath(new URL('../../../content', import.meta.url))).screening;
const input = parseScreenInput(
  {
    subject: { kind: 'child', age: 14, vulnerabilities: ['in_care'] },
    signs: [
      { code: 'weapons', severity: 'high' },
      { code: 'missing_from_home', severity: 'medium' },
    ],
    missing_episodes_30d: 2,
    danger_now: false,
  },
  rules,
);
const result = score(input, rules);
const meta = {
  generatedAt: new Date('2025-03-01T10:30:00Z'),
  reference: 'LK-TEST-0001',
  subjectName: 'J.B.',
  preparedBy: { name: 'Alex Example', role: 'Designated safeguarding lead', organisation: 'Example Academy' },
  rules,
};

/**
 * The text drawn on the pages of an uncompressed pdfkit PDF. pdfkit writes standard-font text as
 * hex strings inside TJ arrays; decode them and join each array into one line.
 */
function pageText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  for (const m of raw.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    const hex = [...(m[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1] ?? '').join('');
    lines.push(Buffer.from(hex, 'hex').toString('latin1'));
  }
  return lines.join('\n');
}

describe('renderReferralSummaryPdf', () => {
  it('produces a valid PDF with the subject, signs, level, reasons, routes and the personal-data note', async () => {
    const pdf = await renderReferralSummaryPdf(input, result, { ...meta, compress: false });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(pdf.subarray(-8).toString('latin1'), /%%EOF\s*$/);
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
    assert.ok(pages.length >= 1);
    const text = pageText(pdf);
    for (const expected of [
      'OFFICIAL-SENSITIVE',
      'Referral summary: worried about someone',
      '1 March 2025',
      'LK-TEST-0001',
      'J.B.',
      'Child (under 18)',
      'In care (looked after)',
      'Carrying weapons - high (weapons)',
      'Level: HIGH',
      'Children\'s social care',
      'contains personal data',
      'secure',
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}" in:\n${text}`);
    }
  });

  it('is the same bytes for the same input (pure apart from pdfkit)', async () => {
    const a = await renderReferralSummaryPdf(input, result, { ...meta, compress: false });
    const b = await renderReferralSummaryPdf(input, result, { ...meta, compress: false });
    assert.equal(a.equals(b), true);
  });

  it('compresses by default and still works without content wording', async () => {
    const pdf = await renderReferralSummaryPdf(input, result, { generatedAt: meta.generatedAt });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(pdf.toString('latin1'), /\/FlateDecode/);
  });

  it('prints characters outside the PDF font as "?" rather than garbage', async () => {
    const pdf = await renderReferralSummaryPdf(input, result, { ...meta, compress: false, subjectName: 'Zoë 😀' });
    assert.ok(pageText(pdf).includes('Zoë ?'));
  });
});
