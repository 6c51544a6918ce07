/**
 * Anonymity and confidentiality at rest, checked on the real files: after a full journey (form,
 * photo, contact details, API, follow-up) nothing identifying the reporter and no plaintext of
 * what they wrote is anywhere in the database files or the logs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness, csrfFrom, form, type Harness } from '../../testing/harness.ts';
import { FORM, jpegWithExif, Journey, receiptFrom, staffActor } from './test-support.ts';

const UA_MARKER = 'LookoutMarkerAgent/9.7.5 (zq-ua-marker-71)';
const IP_MARKER = '198.51.100.173';
const CANARIES = ['CANARYNARRATIVE7731', 'CANARYCONTACTNAME4402', 'canary-contact-5519@example.org', 'CANARYPHOTOMETA8810', 'CANARYFILENAME6627', 'CANARYREPLY3391', 'CANARYQUESTION2204', 'CANARYAPI9934'];

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) filesUnder(p, out);
    else out.push(p);
  }
  return out;
}

/** Everything the database holds, as bytes: the PGlite data dir files, or on PostgreSQL every table as text. */
async function databaseContents(h: Harness, dataDir: string): Promise<Array<{ where: string; bytes: Buffer }>> {
  const { db } = h.container.platform;
  if (db.engine === 'pglite') {
    await db.exec('CHECKPOINT');
    return filesUnder(dataDir).map((f) => ({ where: f, bytes: readFileSync(f) }));
  }
  const tables = await db.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`);
  const out: Array<{ where: string; bytes: Buffer }> = [];
  for (const { t } of tables.rows) {
    const rows = await db.query<{ x: string }>(`SELECT string_agg(x::text, E'\\n') AS x FROM "${t.replace(/"/g, '')}" x`);
    out.push({ where: t, bytes: Buffer.from(rows.rows[0]?.x ?? '') });
  }
  return out;
}

function findings(contents: Array<{ where: string; bytes: Buffer }>, needles: string[]): string[] {
  const found: string[] = [];
  for (const n of needles) {
    const forms = [Buffer.from(n, 'utf8'), Buffer.from(n, 'utf16le'), Buffer.from(Buffer.from(n).toString('hex'))];
    for (const c of contents) if (forms.some((f) => c.bytes.includes(f))) found.push(`${n} in ${c.where}`);
  }
  return found;
}

test('no reporter marker (user agent, forwarded IP) and no canary plaintext in any database file or log line', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-privacy-'));
  const h = await createHarness({ dataDir, config: { trustProxy: true, publicPostsPerMinute: 1000 } });
  try {
    const headers = { 'user-agent': UA_MARKER, 'x-forwarded-for': IP_MARKER };
    const j = new Journey(h, headers);
    await j.start();
    await j.answer('danger', { dangerNow: 'no' });
    await j.answer('what', { narrative: `I saw ${CANARIES[0]} at the garages` });
    const photo = await j.upload([{ filename: `${CANARIES[4]}.jpg`, type: 'image/jpeg', data: await jpegWithExif(CANARIES[3]) }]);
    assert.equal(photo.statusCode, 303);
    await j.answer('contact', { contactWanted: 'yes' });
    await j.answer('contact-details', { contactName: CANARIES[1]!, contactEmail: CANARIES[2]! });
    const done = await j.submit();
    const receipt = receiptFrom(done.body);
    const api = await h.app.inject({ method: 'POST', url: '/api/v1/reports', headers, payload: { narrative: `API ${CANARIES[7]}` } });
    assert.equal(api.statusCode, 201);

    const svc = h.container.services.reporting;
    const actor = staffActor(svc.receivingAgencyId);
    const list = await svc.listReports(actor);
    const formReport = list.find((r) => r.channel === 'form')!;
    await svc.sendQuestion(actor, formReport.id, `Question ${CANARIES[6]}`);
    const csrf = csrfFrom((await h.app.inject({ method: 'GET', url: '/report/follow-up', headers })).body);
    const reply = await h.app.inject({ method: 'POST', url: '/report/follow-up/reply', headers: { ...FORM, ...headers }, payload: form({ _csrf: csrf, receipt, message: `Answer ${CANARIES[5]}` }) });
    assert.match(reply.body, /Your message has been sent/);
    // It really is all there, decrypted, for staff.
    const detail = await svc.getReport(actor, formReport.id);
    assert.match(detail.content.narrative, new RegExp(CANARIES[0]!));
    assert.equal(detail.content.contact?.name, CANARIES[1]);

    const contents = await databaseContents(h, dataDir);
    assert.ok(contents.length > 0);
    assert.deepEqual(findings(contents, [UA_MARKER, 'zq-ua-marker-71', IP_MARKER]), [], 'reporter markers in the database');
    assert.deepEqual(findings(contents, [...CANARIES, receipt, receipt.replace(/-/g, '')]), [], 'plaintext in the database');
    const logs = h.logs.join('\n');
    assert.ok(h.logs.length > 5, 'requests were logged');
    for (const m of [UA_MARKER, 'zq-ua-marker-71', IP_MARKER, ...CANARIES, receipt]) assert.ok(!logs.includes(m), `${m} found in logs`);
  } finally {
    await h.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
