import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { createStaffUser, createTestAgency, signIn, type TestStaffUser } from '../../auth/testing.ts';
import type { StaffActor } from '../../auth/access.ts';
import { emptyContent } from '../reporting/reports.schema.ts';
import { OVERDUE_EMAIL_JOB } from './tasks.ts';

/** Invented strings that must never leave Lookout by email. */
const CANARY = 'Zanzibar-canary-7Q';
const PERSON = 'Quillon Canaryperson';
const REPORTER = 'Reporter Canaryname';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** An in-process SMTP server (no TLS, no auth) that keeps every message it is given. */
async function startSmtp(): Promise<{ port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const decode = (raw: string): string => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
const subjectOf = (raw: string): string => /^Subject: (.*)$/m.exec(raw)?.[1] ?? '';

function actorOf(u: TestStaffUser, agencyId: string, roles: StaffActor['roles']): StaffActor {
  return { kind: 'staff', userId: u.id, name: u.name, email: u.email, agencyId, roles, correlationId: randomUUID() };
}

/** A public report (with protected content) taken into agency `owner`'s inbox, due within hours. */
async function overdueReport(h: Harness, owner: string, receivedAt: Date): Promise<{ itemId: string; reference: string }> {
  const r = await h.container.services.reporting.submit(
    { ...emptyContent(), narrative: `Boys dealing at the ${CANARY} flats`, who: PERSON, contact: { name: REPORTER, phone: '07700 900123', email: 'reporter-canary@example.com' } },
    { channel: 'api' },
  );
  await h.container.platform.db.query('UPDATE reports SET owner_agency_id = $2 WHERE id = $1', [r.id, owner]);
  const item = await h.container.platform.db.transaction((tx) =>
    h.container.services.triage.intake(tx, { sourceType: 'report', sourceId: r.id, ownerAgencyId: owner, receivedAt, urgencyHint: 'emergency' }),
  );
  return { itemId: item.id, reference: r.reference };
}

describe('overdue email', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let h: Harness;
  let now = new Date('2025-03-03T09:00:00Z');
  let agencyA: { id: string };
  let triageA: TestStaffUser;
  let workerA: TestStaffUser;
  let viewerA: TestStaffUser;
  let disabledA: TestStaffUser;
  let triageB: TestStaffUser;

  before(async () => {
    smtp = await startSmtp();
    h = await createHarness({ clock: () => now, config: { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, smtpFrom: 'lookout-test@example.org' } });
    agencyA = await createTestAgency(h);
    const agencyB = await createTestAgency(h);
    triageA = await createStaffUser(h, { roles: ['triage'], agencyId: agencyA.id });
    workerA = await createStaffUser(h, { roles: ['caseworker'], agencyId: agencyA.id });
    viewerA = await createStaffUser(h, { roles: ['viewer'], agencyId: agencyA.id });
    disabledA = await createStaffUser(h, { roles: ['triage'], agencyId: agencyA.id, disabled: true });
    triageB = await createStaffUser(h, { roles: ['triage'], agencyId: agencyB.id });
  });
  after(async () => {
    await h.close();
    await smtp.close();
  });

  it('emails each owner one summary of their overdue work, with references and due times only', async () => {
    const item = await overdueReport(h, agencyA.id, now);
    const cases = h.container.services.triage.cases;
    const worker = actorOf(workerA, agencyA.id, ['caseworker']);
    const kase = await cases.create(worker, { name: PERSON, kind: 'child', age: '14', notes: `Seen near ${CANARY}` });
    const { rows: v } = await h.container.platform.db.query<{ version: number }>('SELECT version FROM triage_cases WHERE id = $1', [kase.id]);
    await cases.addTask(worker, kase.id, { version: String(v[0]!.version), title: `Visit ${PERSON} about ${CANARY}`, dueOn: '2025-03-03' });

    now = new Date('2025-03-06T09:00:00Z');
    await h.container.platform.jobs.drain();

    // In the app: one notification for the item (to the agency) and one for the task (to its owner).
    const { rows: notes } = await h.container.platform.db.query<{ kind: string; user_id: string | null }>(
      `SELECT kind, user_id FROM notifications WHERE kind LIKE 'triage.%' ORDER BY kind`,
    );
    assert.deepEqual(
      notes.map((n) => n.kind),
      ['triage.item_overdue', 'triage.task_overdue'],
    );

    // By email: the agency's triage officer for the item, the task's owner for the task. Not the
    // viewer (cannot act), not the disabled user, not another agency.
    const byRecipient = new Map(smtp.received.map((m) => [m.to.join(','), m]));
    assert.equal(smtp.received.length, 2, `recipients: ${[...byRecipient.keys()].join(' ')}`);
    assert.deepEqual([...byRecipient.keys()].sort(), [triageA.email, workerA.email].sort());
    for (const other of [viewerA, disabledA, triageB]) assert.ok(!byRecipient.has(other.email));

    const toTriage = byRecipient.get(triageA.email)!;
    assert.equal(toTriage.from, 'lookout-test@example.org');
    assert.equal(subjectOf(toTriage.raw), 'Lookout: 1 overdue item needs attention');
    const triageText = decode(toTriage.raw);
    assert.match(triageText, new RegExp(`Inbox item ${item.reference}: was due `));
    assert.match(triageText, /http:\/\/localhost:\d+\/staff\b/);

    const toWorker = byRecipient.get(workerA.email)!;
    assert.equal(subjectOf(toWorker.raw), 'Lookout: 1 overdue item needs attention');
    assert.match(decode(toWorker.raw), new RegExp(`A task on case ${kase.reference}: was due 3 March 2025`));

    for (const m of smtp.received) {
      const text = decode(m.raw);
      for (const secret of [CANARY, PERSON, REPORTER, 'Canary', 'reporter-canary', '07700', 'Visit']) {
        assert.ok(!text.includes(secret), `email leaks "${secret}"`);
      }
    }

    // No address in the logs, the queue or the audit trail.
    const { rows: jobs } = await h.container.platform.db.query<{ payload: unknown; last_error: string | null }>('SELECT payload, last_error FROM jobs WHERE kind = $1', [OVERDUE_EMAIL_JOB]);
    assert.equal(jobs.length, 2);
    const { rows: audit } = await h.container.platform.db.query<{ detail: unknown }>(`SELECT detail FROM audit_events WHERE action = 'triage.overdue.notify'`);
    assert.deepEqual(audit.map((a) => a.detail), [{ items: 1, tasks: 1, emails: 2 }]);
    const stored = JSON.stringify({ jobs, audit }) + h.logs.join('\n');
    for (const u of [triageA, workerA, viewerA]) assert.ok(!stored.includes(u.email), 'an email address was logged or stored');

    // The next sweep has nothing new to say.
    await h.container.services.triage.sweepOverdue();
    await h.container.platform.jobs.drain();
    assert.equal(smtp.received.length, 2);
  });
});

describe('overdue email with an unreachable mail server', () => {
  let h: Harness;
  let now = new Date('2025-03-03T09:00:00Z');

  before(async () => {
    h = await createHarness({ clock: () => now, config: { smtpUrl: `smtp://127.0.0.1:${await closedPort()}` } });
  });
  after(async () => h.close());

  it('keeps the in-app notification, logs a warning without the address and retries later', async () => {
    const agency = await createTestAgency(h);
    const officer = await createStaffUser(h, { roles: ['triage'], agencyId: agency.id });
    const item = await overdueReport(h, agency.id, now);
    now = new Date('2025-03-04T09:00:00Z');

    await h.container.platform.jobs.drain();

    const { rows: notes } = await h.container.platform.db.query<{ message: string }>('SELECT message FROM notifications WHERE subject_id = $1', [item.itemId]);
    assert.equal(notes.length, 1);
    assert.equal(notes[0]!.message, `Inbox item ${item.reference} is overdue`);

    const { rows: jobs } = await h.container.platform.db.query<{ done_at: Date | null; attempts: number; last_error: string | null; run_at: Date }>(
      'SELECT done_at, attempts, last_error, run_at FROM jobs WHERE kind = $1',
      [OVERDUE_EMAIL_JOB],
    );
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.done_at, null, 'not done: the queue retries it');
    assert.equal(jobs[0]!.attempts, 1);
    assert.match(jobs[0]!.last_error ?? '', /^email not sent: E[A-Z]+/);
    assert.ok(jobs[0]!.run_at.getTime() > Date.now(), 'retried later, not in a tight loop');

    const warning = h.logs.find((l) => l.includes('overdue email not sent'));
    assert.ok(warning, 'a warning is logged');
    assert.ok(!h.logs.join('\n').includes(officer.email), 'the address is never logged');
    assert.ok(!(jobs[0]!.last_error ?? '').includes('@'));

    // The staff pages still work and show the notification.
    const s = await signIn(h, officer);
    const page = await s.get('/staff/notifications');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`Inbox item ${item.reference} is overdue`));
  });
});
