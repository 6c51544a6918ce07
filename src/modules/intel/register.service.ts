/**
 * The deal-line register: lines with their brand, numbers over time, areas and linked entities,
 * and the analysts' decisions on suggestions. Every method checks permission and agency
 * visibility first and audits in the same transaction. Lines are visible to their owner agency only.
 */
import { access, type StaffActor } from '../../auth/access.ts';
import type { Queryable } from '../../db/database.ts';
import { ConflictError, ValidationError } from '../../errors.ts';
import type { Platform } from '../../platform.ts';
import type { AddNumberInput, CreateLineInput, UpdateLineInput } from './intel.schema.ts';
import type { DealLine, EntityType, LineNumber, LineStatus, Suggestion } from './intel.types.ts';
import * as intelRepo from './intel.repository.ts';
import * as repo from './register.repository.ts';
import { describeSuggestion } from './suggestions.ts';

export interface LineDetail {
  line: DealLine;
  numbers: LineNumber[];
  /** Numbers with their entity id (for links to the entity page) where the number has been mentioned. */
  numberEntities: Record<string, number>;
  brandEntityId: number | null;
  entities: { id: number; type: EntityType; value: string; role: string; addedAt: Date }[];
  suggestions: (Suggestion & { description: string })[];
}

export const STALE_MESSAGE = 'Someone else changed this line since you opened it. Check the current details below; your changes are still in the form.';

export function createRegisterService(platform: Platform) {
  const { db, audit, clock } = platform;

  async function visibleLine(q: Queryable, actor: StaffActor, id: number, forUpdate = false): Promise<DealLine> {
    const line = await repo.findLine(q, id, forUpdate);
    access.requireVisible(actor, line ? { ownerAgencyId: line.ownerAgencyId } : null, 'line', String(id));
    return line!;
  }

  return {
    async listLines(actor: StaffActor, filter: { status?: LineStatus | undefined; q?: string | undefined; area?: string | undefined }) {
      access.require(actor, 'intel:read');
      return repo.listLines(db, actor.agencyId, filter);
    },

    async createLine(actor: StaffActor, input: CreateLineInput): Promise<DealLine> {
      access.require(actor, 'intel:write');
      return db.transaction(async (tx) => {
        if (await repo.findLineByBrand(tx, actor.agencyId, input.brand)) {
          throw new ValidationError([{ field: 'brand', message: `The "${input.brand}" line is already in the register` }]);
        }
        const now = clock();
        const line = await repo.insertLine(tx, {
          brand: input.brand,
          displayName: input.displayName ?? `${input.brand.charAt(0).toUpperCase()}${input.brand.slice(1)}`,
          exportingArea: input.exportingArea,
          importingAreas: input.importingAreas,
          ownerAgencyId: actor.agencyId,
          ownerUserId: actor.userId,
          at: now,
        });
        if (input.number) await repo.addLineNumber(tx, line.id, input.number, now, now);
        await audit.record(tx, actor, { action: 'intel.line.create', subjectType: 'line', subjectId: String(line.id) });
        return line;
      });
    },

    async getLine(actor: StaffActor, id: number): Promise<LineDetail> {
      access.require(actor, 'intel:read');
      return db.transaction(async (tx) => {
        const line = await visibleLine(tx, actor, id);
        const numbers = await repo.lineNumbers(tx, id);
        const numberEntities: Record<string, number> = {};
        for (const n of numbers) {
          const e = await intelRepo.findEntityByValue(tx, 'phone', n.number);
          if (e) numberEntities[n.number] = e.id;
        }
        const brandEntity = await intelRepo.findEntityByValue(tx, 'line_name', line.brand);
        const entities = await repo.lineEntities(tx, id);
        const suggestions = (await repo.listSuggestions(tx, actor.agencyId, 'pending')).filter((s) => s.lineId === id).map((s) => ({ ...s, description: describeSuggestion(s.detail) }));
        await audit.record(tx, actor, { action: 'intel.line.view', subjectType: 'line', subjectId: String(id) });
        return { line, numbers, numberEntities, brandEntityId: brandEntity?.id ?? null, entities, suggestions };
      });
    },

    /** Optimistic locking: a stale version throws ConflictError(STALE_MESSAGE) and changes nothing. */
    async updateLine(actor: StaffActor, id: number, input: UpdateLineInput): Promise<DealLine> {
      access.require(actor, 'intel:write');
      return db.transaction(async (tx) => {
        const before = await visibleLine(tx, actor, id);
        const updated = await repo.updateLine(tx, id, input.version, {
          status: input.status,
          displayName: input.displayName,
          exportingArea: input.exportingArea,
          importingAreas: input.importingAreas,
          at: clock(),
        });
        if (!updated) throw new ConflictError(STALE_MESSAGE);
        await audit.record(tx, actor, {
          action: 'intel.line.update',
          subjectType: 'line',
          subjectId: String(id),
          detail: { statusFrom: before.status, statusTo: updated.status, version: updated.version },
        });
        return updated;
      });
    },

    async addNumber(actor: StaffActor, id: number, input: AddNumberInput): Promise<void> {
      access.require(actor, 'intel:write');
      await db.transaction(async (tx) => {
        await visibleLine(tx, actor, id, true);
        const now = clock();
        const numbers = await repo.lineNumbers(tx, id);
        if (numbers.some((n) => n.number === input.number && n.activeTo === null)) {
          throw new ValidationError([{ field: 'number', message: 'That number is already current on this line' }]);
        }
        if (input.closeCurrent) {
          await repo.closeLineNumbers(
            tx,
            id,
            numbers.filter((n) => n.activeTo === null).map((n) => n.number),
            now,
          );
        }
        await repo.addLineNumber(tx, id, input.number, now, now);
        await repo.touchLine(tx, id, now);
        await audit.record(tx, actor, { action: 'intel.line.number.add', subjectType: 'line', subjectId: String(id), detail: { closedCurrent: input.closeCurrent } });
      });
    },

    /** Ties a person (handle), vehicle or address (postcode) to a line. */
    async linkEntity(actor: StaffActor, lineId: number, entityId: number): Promise<void> {
      access.require(actor, 'intel:write');
      await db.transaction(async (tx) => {
        await visibleLine(tx, actor, lineId, true);
        const entity = await intelRepo.findEntity(tx, entityId);
        const seen = entity ? await intelRepo.mentionsVisibleTo(tx, entity.id, actor.agencyId, 1) : null;
        access.requireVisible(actor, seen && seen.total > 0 ? { ownerAgencyId: actor.agencyId } : null, 'entity', String(entityId));
        const role = entity!.type === 'handle' ? 'person' : entity!.type === 'postcode' ? 'address' : entity!.type;
        if (await repo.linkLineEntity(tx, lineId, entityId, role, clock())) await repo.touchLine(tx, lineId, clock());
        await audit.record(tx, actor, { action: 'intel.line.entity.link', subjectType: 'line', subjectId: String(lineId), detail: { entityId } });
      });
    },

    async listSuggestions(actor: StaffActor, status: Suggestion['status'] = 'pending') {
      access.require(actor, 'intel:read');
      const list = await repo.listSuggestions(db, actor.agencyId, status);
      return list.map((s) => ({ ...s, description: describeSuggestion(s.detail) }));
    },

    /** Accepting applies the suggestion to the register; rejecting records the decision. Both audited. */
    async decideSuggestion(actor: StaffActor, id: number, decision: 'accept' | 'reject'): Promise<Suggestion> {
      access.require(actor, 'intel:write');
      return db.transaction(async (tx) => {
        const s = await repo.findSuggestion(tx, id, true);
        access.requireVisible(actor, s ? { ownerAgencyId: s.ownerAgencyId } : null, 'suggestion', String(id));
        if (s!.status !== 'pending') throw new ConflictError('This suggestion has already been decided.');
        const now = clock();
        const p = s!.detail;
        if (decision === 'accept') {
          if (p.kind === 'new_number' || p.kind === 'number_change') {
            await visibleLine(tx, actor, p.lineId, true);
            const numbers = await repo.lineNumbers(tx, p.lineId);
            if (p.kind === 'number_change') await repo.closeLineNumbers(tx, p.lineId, p.replaces, now);
            if (!numbers.some((n) => n.number === p.number && n.activeTo === null)) await repo.addLineNumber(tx, p.lineId, p.number, now, now);
            await repo.touchLine(tx, p.lineId, now);
          } else if (p.lineId !== null) {
            const line = await visibleLine(tx, actor, p.lineId, true);
            const known = new Set([...line.importingAreas, line.exportingArea ?? ''].map((a) => a.toLowerCase()));
            const areas = [...line.importingAreas, ...p.places.filter((pl) => !known.has(pl.toLowerCase()))];
            await repo.touchLine(tx, p.lineId, now, areas);
          } else {
            // A number in several towns on no line yet: the analyst watches it, so its next mention alerts them.
            const entity = await intelRepo.findEntityByValue(tx, 'phone', p.number);
            if (entity) {
              await repo.insertWatch(tx, {
                entityId: entity.id,
                ownerUserId: actor.userId,
                ownerAgencyId: actor.agencyId,
                reason: 'Number seen in several towns',
                subjectType: 'line_suggestion',
                subjectId: String(id),
                at: now,
              });
            }
          }
        }
        await repo.decideSuggestion(tx, id, decision === 'accept' ? 'accepted' : 'rejected', actor.userId, now);
        await audit.record(tx, actor, {
          action: decision === 'accept' ? 'intel.suggestion.accept' : 'intel.suggestion.reject',
          subjectType: 'line_suggestion',
          subjectId: String(id),
          detail: { kind: p.kind, lineId: p.lineId },
        });
        return { ...s!, status: decision === 'accept' ? 'accepted' : 'rejected', decidedAt: now, decidedBy: actor.userId };
      });
    },

    /** The agency's lines, for the "link to a line" form on entity pages. */
    async activeLinesFor(actor: StaffActor): Promise<DealLine[]> {
      access.require(actor, 'intel:read');
      return repo.listLines(db, actor.agencyId, { status: 'active' });
    },
  };
}

export type RegisterService = ReturnType<typeof createRegisterService>;
