/**
 * The checker result as a referral summary a professional can download and attach to a referral
 * (children's or adult social care, MASH, police). Pure apart from pdfkit: the date comes in `meta`,
 * so the same input gives the same document.
 *
 * Handling note wording follows the UK Government Security Classifications (OFFICIAL-SENSITIVE for
 * personal safeguarding data) and DfE "Information sharing: advice for practitioners" (2024): data
 * protection law is not a barrier to sharing information to keep someone safe, but share it securely.
 */
import PDFDocument from 'pdfkit';
import type { IndicatorCode, ScreeningRules } from '../awareness/content.schema.ts';
import type { ScreenInput } from './screen.schema.ts';
import type { ScreenResult } from './scoring.ts';

export interface ReferralMeta {
  /** When the summary was made (passed in so the renderer stays pure). */
  generatedAt: Date;
  /** A reference the professional or the service uses, e.g. a case or receipt code. */
  reference?: string;
  /** How the subject is named in the summary (initials are enough); omitted means "not given". */
  subjectName?: string;
  preparedBy?: { name?: string; role?: string; organisation?: string; contact?: string };
  /** The professional's own view; a recorded override of the level belongs here. */
  professionalJudgement?: string;
  /** Wording from content; without it, codes and ids are printed as they are. */
  rules?: Pick<ScreeningRules, 'signTitles' | 'vulnerabilities' | 'levels'>;
  /** Defaults to true; tests turn it off to read the text. */
  compress?: boolean;
}

export const PERSONAL_DATA_NOTE =
  'This summary contains personal data about a person who may be at risk. Send it only by a secure route: ' +
  "your organisation's secure email, the council's or police's secure portal, or by hand. Do not send it to a " +
  'personal email address, post it online or leave it printed where others can read it. Share only what the ' +
  'receiving service needs, record what you shared, with whom and why, and delete local copies when your ' +
  "organisation's policy says so. Data protection law does not stop you sharing information to keep someone safe.";

// The standard PDF fonts use the WinAnsi character set: anything else would print as nonsense.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
function pdfText(s: string): string {
  let out = '';
  for (const ch of s) out += ch.charCodeAt(0) <= 0xff || WIN_ANSI_EXTRA.has(ch) ? ch : '?';
  return out;
}

const LONDON_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** Renders the referral summary; resolves to the PDF bytes. */
export function renderReferralSummaryPdf(input: ScreenInput, result: ScreenResult, meta: ReferralMeta): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    compress: meta.compress ?? true,
    info: {
      Title: 'Referral summary: worried about someone',
      Subject: 'County lines exploitation screening',
      Creator: 'Lookout',
      CreationDate: meta.generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const signTitle = (code: IndicatorCode): string => meta.rules?.signTitles[code] ?? code;
  const vulnLabel = (id: string): string => meta.rules?.vulnerabilities.find((v) => v.id === id)?.label ?? id;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const heading = (t: string): void => {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(pdfText(t)).moveDown(0.2).font('Helvetica').fontSize(11);
  };
  const line = (label: string, value: string): void => {
    doc.font('Helvetica-Bold').text(pdfText(`${label}: `), { continued: true }).font('Helvetica').text(pdfText(value));
  };
  const bullet = (t: string): void => {
    doc.text(pdfText(`•  ${t}`), { indent: 0, paragraphGap: 2 });
  };

  // Handling marking first, so anyone who picks up a printout sees it.
  doc.font('Helvetica-Bold').fontSize(10).fillColor('#d4351c').text('OFFICIAL-SENSITIVE: CONTAINS PERSONAL DATA', { align: 'center' });
  doc.fillColor('#0b0c0c').moveDown(0.6);
  doc.font('Helvetica-Bold').fontSize(20).text('Referral summary: worried about someone');
  doc.font('Helvetica').fontSize(11).moveDown(0.3);
  line('Date', LONDON_DATE.format(meta.generatedAt));
  if (meta.reference) line('Reference', meta.reference);
  const by = meta.preparedBy;
  if (by && (by.name || by.role || by.organisation)) line('Prepared by', [by.name, by.role, by.organisation].filter(Boolean).join(', '));
  if (by?.contact) line('Contact', by.contact);

  heading('Who this is about');
  line('Name or initials', meta.subjectName ?? 'Not given');
  line('Child or adult', input.subject.kind === 'child' ? 'Child (under 18)' : 'Adult (18 or over)');
  line('Age', String(input.subject.age));
  line('Vulnerabilities', input.subject.vulnerabilities.length ? input.subject.vulnerabilities.map(vulnLabel).join(', ') : 'None recorded');
  line('Missing episodes in the last 30 days', String(input.missing_episodes_30d));
  line('In danger right now', input.danger_now ? 'Yes' : 'No');
  if (input.on_train) line('On a train', 'Yes');

  heading('Signs noticed');
  if (input.signs.length === 0) doc.text('No signs recorded.');
  for (const s of input.signs) bullet(`${signTitle(s.code)} - ${s.severity} (${s.code})`);

  heading('Result');
  const levelTitle = meta.rules?.levels[result.level].title ?? result.level;
  doc.font('Helvetica-Bold').fontSize(14).text(pdfText(`Level: ${result.level.toUpperCase()}`));
  doc.font('Helvetica').fontSize(11).text(pdfText(levelTitle));
  line('Score', `${result.score} points (${result.band} band before the rules below)`);
  doc.moveDown(0.3).font('Helvetica-Bold').text('Why').font('Helvetica');
  for (const r of result.reasons) bullet(r);

  heading('Where to take this, in order');
  result.routes.forEach((r, i) => {
    doc.font('Helvetica-Bold').text(pdfText(`${i + 1}. ${r.label}`)).font('Helvetica').text(pdfText(r.contact), { indent: 14, paragraphGap: 3 });
  });

  heading('Professional judgement');
  if (meta.professionalJudgement) doc.text(pdfText(meta.professionalJudgement));
  else
    doc.text(
      'Record your own view here, including any change to the level and why. This checker supports your judgement; it does not replace it. ' +
        'Every risk needs a safety plan and a review date.',
    );

  heading('Handling this document');
  doc.text(PERSONAL_DATA_NOTE, { width });

  doc.end();
  return done;
}
