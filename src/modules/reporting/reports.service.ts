/**
 * Anonymous reporting: intake (guided form drafts and the JSON API), receipts and two-way
 * follow-up for reporters, and the staff side (list, read, photos, questions, search).
 *
 * Privacy: nothing here receives a request, an IP address, a user agent or a cookie; callers
 * pass only what the reporter wrote. Everything a reporter wrote is sealed with the report's own
 * data key before it reaches SQL (src/crypto/envelope.ts); only keyed HMAC tokens are searchable.
 */
import { createHmac, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Actor } from '../../auth/access.ts';
import { access } from '../../auth/access.ts';
import { isUuid } from '../../db/ids.ts';
import { createKeyring, newDataKey, open, seal, unwrapDataKey, type Keyring } from '../../crypto/envelope.ts';
import type { Queryable } from '../../db/database.ts';
import { createGroupCommit } from '../../db/group-commit.ts';
import { AppError, NotFoundError, ValidationError, type FieldError } from '../../errors.ts';
import type { Platform } from '../../platform.ts';
import { cleanPhoto, MAX_PHOTOS, PhotoError, type CleanPhoto } from './photos.ts';
import { createPowGuard, type Challenge, type PowGuard } from './pow.ts';
import { createReceiptKeys, newReceipt, normaliseReceipt, randomCrockford } from './receipts.ts';
import * as repo from './reports.repository.ts';
import { emptyContent, LIMITS, messageSchema, parseApiReport, parsePage, validateComplete, type FormBody, type ReportContent } from './reports.schema.ts';
import { createTokenHasher, queryTokens, tokensOf } from './search-tokens.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** Thrown when a burst is on and the submission carries no valid proof of work. */
export class ChallengeRequiredError extends AppError {
  override name = 'ChallengeRequiredError';
  constructor(readonly challenge: Challenge) {
    super('So many reports are being sent right now that we need your browser to do a quick check. Wait a minute and try again.', 428);
  }
}

export interface Receipted {
  id: string;
  reference: string;
  /** Shown once to the reporter; only a slow hash and an HMAC lookup key are stored. */
  receipt: string;
}

export interface ReportSummary {
  id: string;
  reference: string;
  receivedAt: Date;
  ownerAgencyId: string;
  channel: string;
  dangerNow: boolean | null;
  status: string;
  photoCount: number;
  messageCount: number;
  lastReporterActivityAt: Date | null;
}

export interface ReportMessage {
  id: string;
  direction: 'agency' | 'reporter';
  authorUserId: string | null;
  createdAt: Date;
  text: string;
}

export interface ReportDetail extends ReportSummary {
  content: ReportContent;
  sharedWithAgencyIds: string[];
  photos: Array<{ id: string; position: number; mime: string; width: number; height: number; byteSize: number }>;
  messages: ReportMessage[];
}

export interface DraftState {
  draftId: string;
  content: ReportContent;
  visited: string[];
  photos: Array<{ id: string; position: number; width: number; height: number; byteSize: number }>;
  expiresAt: Date;
}

export interface UploadedFile {
  /** The browser's file name, used only in an error message and never stored. */
  filename: string;
  data: Buffer | null;
  /** Set when the upload was cut off at the size limit. */
  tooLarge?: boolean;
}

const reportingContentSchema = z.strictObject({
  receiving_agency: z.string().min(1).max(100),
  draft_minutes: z.number().int().min(5).max(24 * 60).default(60),
});

/** Which agency receives new public reports (content/reporting.yaml), validated at start-up. */
export function loadReportingContent(file = join(here, '..', '..', '..', 'content', 'reporting.yaml')): z.infer<typeof reportingContentSchema> {
  const res = reportingContentSchema.safeParse(parseYaml(readFileSync(file, 'utf8')));
  if (!res.success) throw new Error(`${file}: ${res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return res.data;
}

export interface ReportingOptions {
  /** Overrides content/reporting.yaml (tests). */
  receivingAgencyId?: string;
  draftMinutes?: number;
  /** Reports a minute across the whole service above which a proof of work is asked for. */
  powBurstPerMinute?: number;
}

export function createReportingServices(platform: Platform, opts: ReportingOptions = {}) {
  const { config, db, clock, audit, jobs } = platform;
  const content = opts.receivingAgencyId ? { receiving_agency: opts.receivingAgencyId, draft_minutes: opts.draftMinutes ?? 60 } : loadReportingContent();
  const receivingAgencyId = content.receiving_agency;
  // content/reporting.yaml may name the receiving agency by id or by name (ids are generated when
  // agencies are added, names are what a person writes). Resolved once the agency exists.
  let resolvedOwner: string | undefined = isUuid(receivingAgencyId) || opts.receivingAgencyId ? receivingAgencyId : undefined;
  let lookAgainAt = 0;
  let warned = false;
  async function ownerAgencyId(): Promise<string> {
    if (resolvedOwner) return resolvedOwner;
    // While the agency is missing, look again at most once a minute (not on every report).
    if (clock().getTime() >= lookAgainAt) {
      const { rows } = await db.query<{ id: string }>('SELECT id::text AS id FROM agencies WHERE name = $1', [receivingAgencyId]);
      if (rows[0]) {
        resolvedOwner = rows[0].id;
        return resolvedOwner;
      }
      lookAgainAt = clock().getTime() + 60_000;
      if (!warned) platform.logger.warn('receiving agency named in content/reporting.yaml does not exist yet; reports are kept under that name until it is added');
      warned = true;
    }
    // Never lose a report: keep it under the configured name until that agency is added.
    return receivingAgencyId;
  }
  const draftMs = (opts.draftMinutes ?? content.draft_minutes) * 60_000;
  const ring: Keyring = createKeyring(config.masterKeys);
  const receipts = createReceiptKeys(config.sessionSecret);
  const hashToken = createTokenHasher(config.sessionSecret);
  const draftIdKey = Buffer.from(hkdfSync('sha256', config.sessionSecret, 'lookout', 'report-draft-id-v1', 32));
  // Derived from config so a deployment (or the bench) tunes it with RATE_LIMIT_PUBLIC_POSTS_PER_MINUTE.
  const pow: PowGuard = createPowGuard(config.sessionSecret, opts.powBurstPerMinute ?? config.publicPostsPerMinute * 10, () => clock().getTime());

  // Group commit for reports without photos: atomic without BEGIN/COMMIT (one statement), one
  // round trip and one commit for every report that arrived while the previous write was under way.
  const intake = createGroupCommit<repo.NewReportRow>(
    async (rows) => {
      if (rows.length === 1) await jobs.enqueueWithStatement(db, 'report.submitted', { reportId: rows[0]!.id }, repo.reportInsertCtes(rows[0]!));
      else await jobs.enqueueManyWithStatement(db, 'report.submitted', rows.map((r) => ({ reportId: r.id })), repo.reportsInsertCtes(rows));
    },
    // Two writes under way on PostgreSQL: one commits while the next batch forms (measured on 2 cores:
    // about 1,350-1,550 reports/s with two, 1,000-1,200 with four, 1,100 with one).
    { maxBatch: 100, maxInFlight: db.engine === 'pglite' ? 1 : Math.max(1, Math.min(2, config.databasePoolSize - 1)) },
  );

  const draftIdHash = (draftId: string) => createHmac('sha256', draftIdKey).update(draftId).digest();
  const validDraftId = (draftId: string) => /^[A-Za-z0-9_-]{22}$/.test(draftId);
  const minute = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000);
  const dekOf = (row: { kek_id: string; wrapped_dek: Buffer }) => unwrapDataKey(ring, { kekId: row.kek_id, wrappedDek: row.wrapped_dek });
  const visibleScope = (actor: Actor) => (actor.kind === 'staff' ? actor.agencyId : null);

  function tokenHashes(c: ReportContent): string[] {
    const tokens = tokensOf({
      texts: [c.narrative, c.what, c.who, c.place, c.address, c.when],
      phones: c.phones,
      lineNames: c.lineNames,
      vehicles: c.vehicles,
      handles: c.handles,
      postcodes: c.postcode ? [c.postcode] : [],
    });
    return [...new Set(tokens.map(hashToken))];
  }

  function requirePow(altcha: unknown): void {
    if (pow.required() && !pow.verify(altcha)) throw new ChallengeRequiredError(pow.challenge());
  }

  /** Commits a report, its photos and its follow-on job in one transaction, then returns the receipt. */
  async function submit(
    c: ReportContent,
    o: {
      channel: 'form' | 'api';
      photos?: CleanPhoto[];
      altcha?: unknown;
      tx?: (fn: (tx: Queryable) => Promise<void>) => Promise<void>;
      /** Trusted imports only (the simulator's demo and load data): when it was received, and no proof of work. */
      imported?: { receivedAt: Date };
    },
  ): Promise<Receipted> {
    const errors = validateComplete(c);
    if (errors.length) throw new ValidationError(errors);
    if (!o.imported) requirePow(o.altcha);
    const id = randomUUID();
    const reference = `R-${randomCrockford(4)}-${randomCrockford(4)}-${randomCrockford(4)}`;
    const receipt = newReceipt();
    const receiptNorm = normaliseReceipt(receipt)!;
    const receiptHash = await receipts.hash(receiptNorm);
    const { dek, kekId, wrappedDek } = newDataKey(ring);
    const sealed = seal(dek, JSON.stringify(c), `report:${id}:content`);
    const tokens = tokenHashes(c);
    const photos = (o.photos ?? []).slice(0, MAX_PHOTOS).map((p, position) => {
      const photoId = randomUUID();
      return { id: photoId, reportId: id, position, mime: p.mime, width: p.width, height: p.height, byteSize: p.data.length, content: seal(dek, p.data, `report:${id}:photo:${photoId}`) };
    });
    const owner = await ownerAgencyId();
    const row: repo.NewReportRow = {
      id,
      reference,
      receivedAt: minute(o.imported?.receivedAt ?? clock()),
      ownerAgencyId: owner,
      channel: o.channel,
      dangerNow: c.dangerNow,
      photoCount: photos.length,
      kekId,
      wrappedDek,
      content: sealed,
      receiptLookup: receipts.lookup(receiptNorm),
      receiptHash,
      tokens,
    };
    // Extraction and triage run after commit as jobs: a slow analysis never loses a report.
    if (photos.length === 0) {
      // The public intake's hot path: the report, its tokens and its job in ONE statement, shared
      // with the reports submitted at the same moment (group commit). Resolves after the commit.
      await intake.add(row);
    } else {
      await db.transaction(async (tx) => {
        await repo.insertReport(tx, row);
        for (const p of photos) await repo.insertPhoto(tx, p);
        await jobs.enqueue(tx, 'report.submitted', { reportId: id });
      });
    }
    if (!o.imported) pow.count();
    return { id, reference, receipt };
  }

  async function readDraft(draftId: string): Promise<{ row: repo.DraftRow; dek: Buffer; state: { content: ReportContent; visited: string[] } } | null> {
    if (!validDraftId(draftId)) return null;
    const row = await repo.findDraft(db, draftIdHash(draftId), clock());
    if (!row) return null;
    const dek = dekOf(row);
    const state = JSON.parse(open(dek, row.content, `draft:${row.id_hash.toString('hex')}`).toString('utf8')) as { content: ReportContent; visited: string[] };
    return { row, dek, state: { content: { ...emptyContent(), ...state.content }, visited: state.visited ?? [] } };
  }

  async function writeDraft(d: { row: repo.DraftRow; dek: Buffer }, state: { content: ReportContent; visited: string[] }): Promise<void> {
    const sealed = seal(d.dek, JSON.stringify(state), `draft:${d.row.id_hash.toString('hex')}`);
    await repo.updateDraft(db, d.row.id_hash, sealed, new Date(clock().getTime() + draftMs));
  }

  function decryptMessages(dek: Buffer, reportId: string, rows: repo.MessageRow[]): ReportMessage[] {
    return rows.map((m) => ({
      id: m.id,
      direction: m.direction,
      authorUserId: m.author_user_id,
      createdAt: m.created_at,
      text: open(dek, m.body, `report:${reportId}:message:${m.id}`).toString('utf8'),
    }));
  }

  function summary(r: repo.ReportListRow): ReportSummary {
    return {
      id: r.id,
      reference: r.reference,
      receivedAt: r.received_at,
      ownerAgencyId: r.owner_agency_id,
      channel: r.channel,
      dangerNow: r.danger_now,
      status: r.status,
      photoCount: r.photo_count,
      messageCount: r.message_count,
      lastReporterActivityAt: r.last_reporter_activity_at,
    };
  }

  async function visibleReport(tx: Queryable, actor: Actor, id: string): Promise<repo.ReportRow> {
    const row = await repo.findReport(tx, id);
    access.requireVisible(actor, row ? { ownerAgencyId: row.owner_agency_id, sharedWithAgencyIds: row.shared_with ?? [] } : null, 'report', id);
    return row!;
  }

  async function reporterReport(receiptInput: string): Promise<repo.ReportRow | null> {
    const norm = normaliseReceipt(receiptInput.slice(0, 100));
    if (!norm) return null;
    const row = await repo.findReportByReceipt(db, receipts.lookup(norm));
    if (!row) return null;
    return (await receipts.verify(row.receipt_hash, norm)) ? row : null;
  }

  async function cleanPhotos(files: UploadedFile[], start = 0): Promise<{ photos: CleanPhoto[]; errors: FieldError[] }> {
    const photos: CleanPhoto[] = [];
    const errors: FieldError[] = [];
    for (const f of files) {
      const name = f.filename.slice(0, 80) || 'The photo';
      if (start + photos.length >= MAX_PHOTOS) {
        errors.push({ field: 'photos', message: `${name} was not added: you can add up to ${MAX_PHOTOS} photos` });
        continue;
      }
      if (f.tooLarge || !f.data) {
        errors.push({ field: 'photos', message: `${name} is larger than ${Math.floor(config.uploadLimit / 1_048_576)} MB` });
        continue;
      }
      try {
        photos.push(await cleanPhoto(f.data, config.uploadLimit));
      } catch (err) {
        if (!(err instanceof PhotoError)) throw err;
        errors.push({ field: 'photos', message: `${name} ${err.message}` });
      }
    }
    return { photos, errors };
  }

  return {
    receivingAgencyId,
    /** The id of the agency that receives new public reports and referrals (resolved by name). */
    resolveReceivingAgency: ownerAgencyId,
    /** Burst detector and proof-of-work challenges (ALTCHA-style). */
    pow,

    // --- intake -------------------------------------------------------------------------------

    /**
     * JSON API intake: validates the body (unknown fields refused) and commits the report. Photos
     * are cleaned like form uploads; one that is not base64, too large or not a readable image is
     * left out with a message in `photosRefused`, and the rest of the report is kept.
     */
    async submitApi(body: unknown, altcha?: unknown): Promise<Receipted & { photosRefused: FieldError[] }> {
      const parsed = parseApiReport(body, config.uploadLimit);
      if (!parsed.ok) throw new ValidationError(parsed.errors);
      const notBase64 = parsed.photos.filter((p) => !p.data && !p.tooLarge);
      const cleaned = await cleanPhotos(parsed.photos.filter((p) => p.data || p.tooLarge));
      const photosRefused = [...notBase64.map((p) => ({ field: 'photos', message: `${p.filename.slice(0, 80)} is not base64 data: send the image file's bytes base64-encoded` })), ...cleaned.errors];
      const out = await submit(parsed.content, { channel: 'api', altcha, photos: cleaned.photos });
      return { ...out, photosRefused };
    },

    /** Commits already-validated content (tests, the simulator). */
    submit,

    /** Re-encodes uploaded photos; returns the clean ones and a message for each refused one. */
    cleanPhotos,

    // --- guided form drafts ---------------------------------------------------------------------
    // Choice: the answers live server-side, sealed like a report, under a random 128-bit draft id
    // carried in the page URL (no cookie, works without JavaScript). Only an HMAC of the id is
    // stored, the draft expires `draft_minutes` after its last change, and it is deleted when the
    // report is sent. Referrer-Policy: no-referrer keeps the URL from leaking to other sites.

    async createDraft(): Promise<string> {
      await repo.deleteExpiredDrafts(db, clock());
      const draftId = randomBytes(16).toString('base64url');
      const idHash = draftIdHash(draftId);
      const { dek, kekId, wrappedDek } = newDataKey(ring);
      const state = { content: emptyContent(), visited: [] as string[] };
      await repo.insertDraft(db, {
        idHash,
        expiresAt: new Date(clock().getTime() + draftMs),
        kekId,
        wrappedDek,
        content: seal(dek, JSON.stringify(state), `draft:${idHash.toString('hex')}`),
      });
      return draftId;
    },

    async getDraft(draftId: string): Promise<DraftState | null> {
      const d = await readDraft(draftId);
      if (!d) return null;
      const photos = await repo.listDraftPhotos(db, d.row.id_hash);
      return {
        draftId,
        content: d.state.content,
        visited: d.state.visited,
        photos: photos.map((p) => ({ id: p.id, position: p.position, width: p.width, height: p.height, byteSize: p.byte_size })),
        expiresAt: d.row.expires_at,
      };
    },

    /** Saves one page's answers; on invalid input returns the errors and the values as typed. */
    async saveDraftPage(draftId: string, slug: string, body: FormBody): Promise<{ ok: true; content: ReportContent } | { ok: false; errors: FieldError[]; values: Record<string, string> } | null> {
      const d = await readDraft(draftId);
      if (!d) return null;
      const res = parsePage(slug, body);
      if (!res.ok) return res;
      const patch = slug === 'contact' && res.patch.contact && d.state.content.contact ? {} : res.patch;
      const next = { content: { ...d.state.content, ...patch }, visited: [...new Set([...d.state.visited, slug])] };
      await writeDraft(d, next);
      return { ok: true, content: next.content };
    },

    /** Adds photos to a draft; refused ones come back as messages and the rest are kept. */
    async addDraftPhotos(draftId: string, files: UploadedFile[]): Promise<FieldError[] | null> {
      const d = await readDraft(draftId);
      if (!d) return null;
      const existing = await repo.listDraftPhotos(db, d.row.id_hash);
      const { photos, errors } = await cleanPhotos(files, existing.length);
      let position = existing.reduce((m, p) => Math.max(m, p.position + 1), 0);
      for (const p of photos) {
        const id = randomUUID();
        await repo.insertDraftPhoto(db, {
          id,
          idHash: d.row.id_hash,
          position: position++,
          mime: p.mime,
          width: p.width,
          height: p.height,
          byteSize: p.data.length,
          content: seal(d.dek, p.data, `draft-photo:${id}`),
        });
      }
      await writeDraft(d, { ...d.state, visited: [...new Set([...d.state.visited, 'photos'])] });
      return errors;
    },

    async removeDraftPhoto(draftId: string, photoId: string): Promise<boolean> {
      const d = await readDraft(draftId);
      if (!d) return false;
      await repo.deleteDraftPhoto(db, d.row.id_hash, photoId);
      return true;
    },

    /** Turns a draft into a report (one transaction) and deletes the draft; null if it expired. */
    async submitDraft(draftId: string, altcha?: unknown): Promise<Receipted | null> {
      const d = await readDraft(draftId);
      if (!d) return null;
      const stored = await repo.draftPhotoContents(db, d.row.id_hash);
      const photos: CleanPhoto[] = stored.map((p) => ({ mime: 'image/jpeg', width: p.width, height: p.height, data: open(d.dek, p.content, `draft-photo:${p.id}`) }));
      const out = await submit(d.state.content, { channel: 'form', photos, altcha });
      await repo.deleteDraft(db, d.row.id_hash);
      return out;
    },

    // --- reporter follow-up (anonymous: the receipt is the only credential) --------------------

    /** The reporter's view of their report: reference and the conversation. Null for a bad receipt. */
    async openFollowUp(receiptInput: string): Promise<{ reference: string; receivedAt: Date; messages: ReportMessage[] } | null> {
      const row = await reporterReport(receiptInput);
      if (!row) return null;
      const dek = dekOf(row);
      const messages = decryptMessages(dek, row.id, await repo.listMessages(db, row.id)).map((m) => ({ ...m, authorUserId: null }));
      return { reference: row.reference, receivedAt: row.received_at, messages };
    },

    /** The reporter answers a question or adds information. */
    async addReporterMessage(receiptInput: string, body: FormBody): Promise<{ ok: true } | { ok: false; errors: FieldError[] } | null> {
      const row = await reporterReport(receiptInput);
      if (!row) return null;
      const parsed = messageSchema.safeParse({ message: typeof body.message === 'string' ? body.message : '' });
      if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => ({ field: 'message', message: i.message })) };
      const dek = dekOf(row);
      const id = randomUUID();
      await db.transaction(async (tx) => {
        await repo.insertMessage(tx, {
          id,
          reportId: row.id,
          direction: 'reporter',
          authorUserId: null,
          authorAgencyId: null,
          createdAt: minute(clock()),
          body: seal(dek, parsed.data.message, `report:${row.id}:message:${id}`),
        });
        await audit.record(tx, { kind: 'anonymous', correlationId: randomUUID() }, { action: 'report.reporter.message', subjectType: 'report', subjectId: row.id });
        await jobs.enqueue(tx, 'report.reporter_message', { reportId: row.id, messageId: id });
      });
      return { ok: true };
    },

    // --- staff side ---------------------------------------------------------------------------

    /** Recent reports the actor's agency owns or has been shared (no content: nothing decrypted). */
    async listReports(actor: Actor, o: { limit?: number; offset?: number } = {}): Promise<ReportSummary[]> {
      access.require(actor, 'report:read');
      const limit = Math.min(Math.max(o.limit ?? 50, 1), 200);
      return db.transaction(async (tx) => {
        const rows = await repo.listVisible(tx, visibleScope(actor), limit, Math.max(o.offset ?? 0, 0));
        await audit.record(tx, actor, { action: 'report.list', subjectType: 'report', detail: { count: rows.length } });
        return rows.map(summary);
      });
    },

    /** One report, decrypted, with photo list and conversation; audited as report.view. */
    async getReport(actor: Actor, id: string): Promise<ReportDetail> {
      access.require(actor, 'report:read');
      return db.transaction(async (tx) => {
        const row = await visibleReport(tx, actor, id);
        const dek = dekOf(row);
        const c = { ...emptyContent(), ...(JSON.parse(open(dek, row.content, `report:${row.id}:content`).toString('utf8')) as Partial<ReportContent>) };
        const photos = await repo.listPhotos(tx, row.id);
        const messages = decryptMessages(dek, row.id, await repo.listMessages(tx, row.id));
        await audit.record(tx, actor, { action: 'report.view', subjectType: 'report', subjectId: row.id });
        return {
          id: row.id,
          reference: row.reference,
          receivedAt: row.received_at,
          ownerAgencyId: row.owner_agency_id,
          channel: row.channel,
          dangerNow: row.danger_now,
          status: row.status,
          photoCount: row.photo_count,
          messageCount: messages.length,
          lastReporterActivityAt: row.last_reporter_activity_at,
          sharedWithAgencyIds: row.shared_with ?? [],
          content: c,
          photos: photos.map((p) => ({ id: p.id, position: p.position, mime: p.mime, width: p.width, height: p.height, byteSize: p.byte_size })),
          messages,
        };
      });
    },

    /** A photo's decrypted bytes; audited as report.photo.view. */
    async getPhoto(actor: Actor, reportId: string, photoId: string): Promise<{ mime: string; data: Buffer }> {
      access.require(actor, 'report:read');
      return db.transaction(async (tx) => {
        const row = await visibleReport(tx, actor, reportId);
        const photo = await repo.findPhoto(tx, row.id, photoId);
        if (!photo) throw new NotFoundError('photo', photoId);
        const data = open(dekOf(row), photo.content, `report:${row.id}:photo:${photo.id}`);
        await audit.record(tx, actor, { action: 'report.photo.view', subjectType: 'report', subjectId: row.id, detail: { photoId: photo.id } });
        return { mime: photo.mime, data };
      });
    },

    /** Sends a question to the anonymous reporter (they read it with their receipt). */
    async sendQuestion(actor: Actor, reportId: string, text: string): Promise<{ id: string }> {
      access.require(actor, 'report:message');
      const parsed = messageSchema.safeParse({ message: text });
      if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ field: 'message', message: i.message === 'Enter your message' ? 'Enter your question' : i.message })));
      const id = randomUUID();
      await db.transaction(async (tx) => {
        const row = await visibleReport(tx, actor, reportId);
        await repo.insertMessage(tx, {
          id,
          reportId: row.id,
          direction: 'agency',
          authorUserId: actor.kind === 'staff' ? actor.userId : null,
          authorAgencyId: actor.kind === 'staff' ? actor.agencyId : null,
          createdAt: clock(),
          body: seal(dekOf(row), parsed.data.message, `report:${row.id}:message:${id}`),
        });
        await audit.record(tx, actor, { action: 'report.message.send', subjectType: 'report', subjectId: row.id, detail: { messageId: id } });
      });
      return { id };
    },

    /** Shares a report with another agency (need-to-know); the owner or system only. */
    async shareReport(actor: Actor, reportId: string, agencyId: string): Promise<void> {
      access.require(actor, 'report:triage');
      await db.transaction(async (tx) => {
        const row = await visibleReport(tx, actor, reportId);
        await tx.query('INSERT INTO report_shares (report_id, agency_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [row.id, agencyId]);
        await audit.record(tx, actor, { action: 'report.share', subjectType: 'report', subjectId: row.id, detail: { agencyId } });
      });
    },

    /**
     * Reports visible to the actor that mention every term of `query` (words, phone numbers,
     * registrations, postcodes, handles), matched by keyed hashes: no plaintext is searched.
     */
    async searchReports(actor: Actor, query: string, o: { limit?: number } = {}): Promise<ReportSummary[]> {
      access.require(actor, 'report:read');
      const tokens = [...new Set(queryTokens(query).map(hashToken))];
      if (tokens.length === 0) return [];
      return db.transaction(async (tx) => {
        const rows = await repo.searchVisible(tx, visibleScope(actor), tokens, Math.min(Math.max(o.limit ?? 50, 1), 200));
        // The query itself is not recorded: it may hold a phone number or a name.
        await audit.record(tx, actor, { action: 'report.search', subjectType: 'report', detail: { terms: tokens.length, results: rows.length } });
        return rows.map(summary);
      });
    },

    limits: LIMITS,
  };
}

export type ReportingService = ReturnType<typeof createReportingServices>;
