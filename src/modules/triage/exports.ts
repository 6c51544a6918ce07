/**
 * Exports: the filtered inbox as CSV (no protected free text: references, dates, codes, grades)
 * and a case summary PDF. Both are pure functions of data already read (and audited) by the
 * services, so the same input gives the same bytes.
 */
import PDFDocument from 'pdfkit';
import type { CaseDetail } from './cases.service.ts';
import type { InboxItem } from './inbox.service.ts';
import { NRM_LABELS, SOURCE_LABELS, STATUS_LABELS, URGENCY_LABELS, type NrmBasis } from './triage.schema.ts';

/**
 * One CSV cell: quoted when needed, and made safe from formula injection (OWASP "CSV Injection"):
 * a cell starting with = + - @ (or a tab or carriage return) is prefixed with a single quote so a
 * spreadsheet shows it as text instead of running it.
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: unknown[]): string {
  return cells.map(csvCell).join(',');
}

export const INBOX_CSV_HEADER = [
  'reference',
  'source',
  'received_at',
  'urgency',
  'due_at',
  'overdue',
  'status',
  'area',
  'indicators',
  'source_evaluation',
  'intelligence_assessment',
  'handling_code',
  'owner_agency',
  'assigned_agency',
  'shared_with',
  'case_reference',
  'matches_known_line_or_case',
  'outcome',
];

/** The inbox as CSV (CRLF line ends, RFC 4180). Agency ids are mapped to names when known. */
export function inboxCsv(items: InboxItem[], agencyName: (id: string) => string): string {
  const lines = [csvLine(INBOX_CSV_HEADER)];
  for (const i of items) {
    lines.push(
      csvLine([
        i.reference,
        i.sourceType,
        i.receivedAt,
        i.urgency,
        i.dueAt,
        i.overdue ? 'yes' : 'no',
        i.status,
        i.area ?? '',
        i.indicators.join(' '),
        i.grade?.source ?? '',
        i.grade?.intelligence ?? '',
        i.grade?.handling ?? '',
        agencyName(i.ownerAgencyId),
        i.assignedAgencyId ? agencyName(i.assignedAgencyId) : '',
        i.sharedWithAgencyIds.map(agencyName).join('; '),
        i.caseReference ?? '',
        i.matches ? 'yes' : 'no',
        i.outcome ?? '',
      ]),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

// The standard PDF fonts use WinAnsi: anything else would print as nonsense.
function pdfText(s: string): string {
  let out = '';
  for (const ch of s) out += ch.charCodeAt(0) <= 0xff || '‘’“”–—•…'.includes(ch) ? ch : '?';
  return out;
}

const LONDON = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const LONDON_DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });
const day = (iso: string) => LONDON_DAY.format(new Date(`${iso}T12:00:00Z`));

const EVENT_TITLES: Record<string, string> = {
  note: 'Note',
  missing_episode: 'Missing episode',
  arrest_out_of_area: 'Arrested out of area',
  potential_victim: 'Potential victim of modern slavery',
  opened: 'Case opened',
};

/** The case summary PDF (OFFICIAL-SENSITIVE), for a MACE meeting or a referral. */
export function renderCaseSummaryPdf(d: CaseDetail, meta: { generatedAt: Date; agencyName: (id: string) => string; vulnerabilityLabel: (id: string) => string; compress?: boolean }): Promise<Buffer> {
  const c = d.case;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    compress: meta.compress ?? true,
    info: { Title: `Case summary ${c.reference}`, Subject: 'Person at risk of exploitation', Creator: 'Lookout', CreationDate: meta.generatedAt },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (b: Buffer) => chunks.push(b));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const heading = (t: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(pdfText(t)).moveDown(0.2).font('Helvetica').fontSize(11);
  const line = (label: string, value: string) => doc.font('Helvetica-Bold').text(pdfText(`${label}: `), { continued: true }).font('Helvetica').text(pdfText(value));
  const bullet = (t: string) => doc.text(pdfText(`•  ${t}`), { paragraphGap: 2 });

  doc.font('Helvetica-Bold').fontSize(10).fillColor('#d4351c').text('OFFICIAL-SENSITIVE: CONTAINS PERSONAL DATA', { align: 'center' });
  doc.fillColor('#0b0c0c').moveDown(0.6);
  doc.font('Helvetica-Bold').fontSize(20).text(pdfText(`Case summary ${c.reference}`));
  doc.font('Helvetica').fontSize(11).moveDown(0.3);
  line('Produced', LONDON.format(meta.generatedAt));
  line('Owning agency', meta.agencyName(c.ownerAgencyId));
  if (c.leadName) line('Lead case worker', c.leadName);
  line('Status', c.status === 'open' ? 'Open' : 'Closed');

  heading('Person');
  line('Name', c.person.name || 'Not known');
  if (c.person.alias) line('Alias', c.person.alias);
  line('Child or adult', c.subjectKind === 'child' ? 'Child (under 18)' : 'Adult (18 or over)');
  line('Age', c.age === null ? 'Not known' : String(c.age));
  if (c.person.dob) line('Date of birth', day(c.person.dob));
  line('Vulnerabilities', c.vulnerabilities.length ? c.vulnerabilities.map(meta.vulnerabilityLabel).join(', ') : 'None recorded');
  line('Home area', c.homeArea ?? 'Not recorded');
  line('Places linked', c.places.length ? c.places.join(', ') : 'None recorded');
  line('Deal lines linked', c.lines.length ? c.lines.join(', ') : 'None recorded');

  heading('Risk');
  doc.font('Helvetica-Bold').fontSize(14).text(pdfText(`Level: ${c.riskLevel.toUpperCase()}`)).font('Helvetica').fontSize(11);
  for (const r of c.riskReasons) bullet(r);
  line('Next review', day(c.reviewOn));
  if (c.potentialVictim && c.nrmBasis) line('Modern slavery', NRM_LABELS[c.nrmBasis as NrmBasis]);

  heading('Tasks');
  if (d.tasks.length === 0) doc.text('No tasks.');
  for (const t of d.tasks) bullet(`${t.title} (${t.status === 'done' ? 'done' : `due ${LONDON.format(t.dueAt)}${t.overdue ? ', OVERDUE' : ''}`}${t.ownerName ? `, ${t.ownerName}` : ''})`);

  heading('Timeline');
  for (const e of d.timeline) {
    const when = LONDON.format(e.at);
    if (e.kind === 'item') bullet(`${when}: ${SOURCE_LABELS[e.sourceType as keyof typeof SOURCE_LABELS] ?? e.sourceType} ${e.reference} (${URGENCY_LABELS[e.urgency as keyof typeof URGENCY_LABELS] ?? e.urgency}, ${STATUS_LABELS[e.status as keyof typeof STATUS_LABELS] ?? e.status})`);
    else if (e.kind === 'risk') bullet(`${when}: risk assessed as ${e.level}${e.level !== e.scoredLevel ? ` (rules gave ${e.scoredLevel}; ${e.overrideReason ?? 'override'})` : ''}`);
    else {
      const extra = e.kind === 'missing_episode' ? ` (returned: ${String(e.detail.returned ?? 'not yet')})` : e.kind === 'arrest_out_of_area' ? ` in ${String(e.detail.area ?? '')}` : '';
      bullet(`${when}: ${EVENT_TITLES[e.kind] ?? e.kind}${extra}${e.text ? `: ${e.text}` : ''}`);
    }
  }
  doc.moveDown(1).fontSize(9).fillColor('#505a5f').text('Share only with agencies that need it, by a secure route, and record what you shared, with whom and why.');
  doc.end();
  return done;
}
