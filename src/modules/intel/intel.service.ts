/**
 * The intelligence picture: ingest (extract, store entities normalised, mentions with spans only,
 * co-occurrence links), suggestions and alerts after each ingest, entity pages, the network and
 * map views and exports. The ingest API does not depend on any source module: modules register a
 * text loader (`registerSource`) and enqueue 'intel.ingest' jobs after their data commits.
 *
 * Visibility (kept simple on purpose): mentions, links, lines and suggestions belong to the agency
 * that owns the source; an actor sees only their own agency's. Sharing between agencies is not
 * modelled here yet.
 */
import { createHash } from 'node:crypto';
import { access, type StaffActor, type SystemActor } from '../../auth/access.ts';
import type { Queryable } from '../../db/database.ts';
import { ValidationError } from '../../errors.ts';
import type { Platform } from '../../platform.ts';
import { edgesCsv, nodesCsv, toGEXF, toGeoJSON, toGraphML, type GeoFlow, type GeoTown } from './exports.ts';
import { loadDefaultExtractor } from './extractor.ts';
import { loadGazetteer, type Gazetteer } from './gazetteer.ts';
import { analyseNetwork, type NetworkAnalysis } from './graph.ts';
import type { ExportFormat, NetworkQuery } from './intel.schema.ts';
import {
  isEntityType,
  SOURCE_TYPES,
  type Entity,
  type EntityType,
  type Extraction,
  type Extractor,
  type IngestedContext,
  type IngestInput,
  type NotificationDraft,
  type SourceLoader,
  type SourceType,
  type SuggestionProposal,
} from './intel.types.ts';
import * as repo from './intel.repository.ts';
import { loadBasemap, MAP_VIEWS, renderMapSvg, type Basemap, type MapFlow, type MapHotspot, type MapView } from './map.ts';
import { createNotificationsService } from './notifications.service.ts';
import * as registerRepo from './register.repository.ts';
import { createRegisterService } from './register.service.ts';
import { dedupeKey, proposeSuggestions } from './suggestions.ts';

/** A watcher returns notifications to create when an ingest mentions entities (cases use this). */
export type Watcher = (tx: Queryable, ctx: IngestedContext) => Promise<NotificationDraft[]>;

export interface IngestResult {
  changed: boolean;
  entityIds: number[];
  suggestions: number;
  notifications: number;
}

export interface IntelOptions {
  /** The pure extractor (src/modules/intel/extract). Required to ingest raw text. */
  extract?: Extractor;
  gazetteer?: Gazetteer;
  basemap?: Basemap;
}

// Limits that keep one pathological source from dominating: mentions stored per source, and
// entities considered for co-occurrence pairs (n*(n-1)/2 links).
const MAX_MENTIONS_PER_SOURCE = 1000;
const MAX_LINKED_ENTITIES = 60;
const MAX_NETWORK_NODES = 3000;
const E164 = /^\+[1-9]\d{6,14}$/;

const SYSTEM: SystemActor = { kind: 'system', name: 'intel', correlationId: 'intel.ingest' };

const SOURCE_LABEL: Readonly<Record<SourceType, string>> = { report: 'report', referral: 'referral', note: 'note', disclosure: 'disclosure' };
const TIE_WORDS: Readonly<Record<string, string>> = { phone: 'a number', line_name: 'the brand', vehicle: 'a vehicle', postcode: 'an address', handle: 'a person', place: 'a place' };

/** Normalises one extracted value per the contract; null drops it (defensive: extraction owns this). */
export function normaliseValue(type: EntityType, value: string, gazetteer: Gazetteer): string | null {
  const v = value.trim();
  if (!v || v.length > 200) return null;
  switch (type) {
    case 'phone':
      return E164.test(v) ? v : null;
    case 'vehicle':
      return v.toUpperCase().replace(/\s+/g, '');
    case 'postcode': {
      const c = v.toUpperCase().replace(/\s+/g, '');
      return c.length >= 5 && c.length <= 7 ? `${c.slice(0, -3)} ${c.slice(-3)}` : null;
    }
    case 'handle':
      return v.toLowerCase().replace(/^@/, '');
    case 'line_name':
      return v.toLowerCase().replace(/\s+line$/, '').replace(/\s+/g, ' ');
    case 'place':
      return gazetteer.canonical(v);
  }
}

export function createIntelServices(platform: Platform, opts: IntelOptions = {}) {
  const { db, audit, clock, jobs, logger } = platform;
  let gazetteerCache = opts.gazetteer;
  let basemapCache = opts.basemap;
  const gazetteer = () => (gazetteerCache ??= loadGazetteer());
  const basemap = () => (basemapCache ??= loadBasemap());
  let extractor = opts.extract;
  const loaders = new Map<SourceType, SourceLoader>();
  const watchers: Watcher[] = [];
  const notifications = createNotificationsService(platform);
  const register = createRegisterService(platform);

  function validateInput(input: IngestInput): void {
    const errors = [];
    if (!SOURCE_TYPES.includes(input.sourceType)) errors.push({ field: 'sourceType', message: 'Unknown source type' });
    if (!input.sourceId || input.sourceId.length > 200) errors.push({ field: 'sourceId', message: 'Source id is required (200 characters at most)' });
    if (!input.ownerAgencyId || input.ownerAgencyId.length > 100) errors.push({ field: 'ownerAgencyId', message: 'Owner agency is required' });
    if (!(input.occurredAt instanceof Date) || Number.isNaN(input.occurredAt.getTime())) errors.push({ field: 'occurredAt', message: 'A valid date is required' });
    if (errors.length) throw new ValidationError(errors);
  }

  /** Stores an extraction for a source; idempotent per (sourceType, sourceId). */
  async function ingestExtraction(tx: Queryable, input: IngestInput, extraction: Extraction): Promise<IngestResult> {
    validateInput(input);
    const gz = gazetteer();
    const mentions: { type: EntityType; value: string; start: number | null; end: number | null }[] = [];
    for (const e of extraction.entities) {
      if (mentions.length >= MAX_MENTIONS_PER_SOURCE) break;
      if (!isEntityType(e.type)) continue;
      const value = normaliseValue(e.type, e.value, gz);
      if (value === null) continue;
      const start = Number.isInteger(e.start) && e.start >= 0 ? e.start : null;
      const end = Number.isInteger(e.end) && e.end >= (start ?? 0) ? e.end : null;
      mentions.push({ type: e.type, value, start, end });
    }
    const area = input.area?.trim() ? gz.canonical(input.area) : null;
    if (area && !mentions.some((m) => m.type === 'place' && m.value === area)) mentions.push({ type: 'place', value: area, start: null, end: null });
    const indicators = [...new Set(extraction.indicators.map((i) => i.code))].sort();
    const hash = createHash('sha256')
      .update(JSON.stringify({ m: mentions, i: indicators, a: area, o: input.ownerAgencyId, t: input.occurredAt.toISOString() }))
      .digest('hex');

    // Entities in order of first appearance; the first MAX_LINKED_ENTITIES are linked pairwise.
    const counts = new Map<string, { type: EntityType; value: string; count: number; linked: boolean }>();
    for (const m of mentions) {
      const k = `${m.type}\u0000${m.value}`;
      const c = counts.get(k);
      if (c) c.count += 1;
      else counts.set(k, { type: m.type, value: m.value, count: 1, linked: counts.size < MAX_LINKED_ENTITIES });
    }
    const src = { type: input.sourceType, id: input.sourceId, occurredAt: input.occurredAt, ownerAgencyId: input.ownerAgencyId, area, hash, indicators, at: clock() };
    const values = [...counts.values()];
    // A new source is stored in one round trip; one seen before comes back unstored with its row
    // locked, and is compared, retracted and stored again under that lock.
    let stored = await repo.storeSource(tx, src, values, mentions);
    let previous: repo.SourceRow | undefined;
    if (!stored.stored) {
      previous = await repo.lockSource(tx, input.sourceType, input.sourceId);
      if (previous?.extraction_hash === hash) return { changed: false, entityIds: [], suggestions: 0, notifications: 0 };
      if (previous) await repo.retractSource(tx, input.sourceType, input.sourceId, previous.owner_agency_id);
      stored = await repo.storeSource(tx, src, values, mentions, true);
    }
    const order = new Map([...counts.keys()].map((k, i) => [k, i]));
    const entities = [...stored.entities].sort((a, b) => order.get(`${a.type}\u0000${a.value}`)! - order.get(`${b.type}\u0000${b.value}`)!);
    const orderedIds = entities.map((e) => e.id);

    // Suggestions and alerts: one read for both, one write for both.
    const context = await registerRepo.ingestContext(tx, input.ownerAgencyId, entities);
    const proposals = proposalsFor(input, entities, context.suggestion);
    const drafts = await alertDrafts(tx, { sourceType: input.sourceType, sourceId: input.sourceId, ownerAgencyId: input.ownerAgencyId, occurredAt: input.occurredAt, entities }, context);
    await registerRepo.saveOutcomes(
      tx,
      proposals.map((p) => ({ p, key: dedupeKey(p) })),
      drafts,
      clock(),
    );
    await notifications.announce(tx, drafts);

    // The audit row is written last, still in this transaction (the ingest cannot commit without
    // it), so the global audit-chain lock is held only for the append and the commit rather than
    // for the whole ingest: other audited writes wait for much less.
    await audit.record(tx, SYSTEM, {
      action: 'intel.ingest',
      subjectType: input.sourceType,
      subjectId: input.sourceId,
      detail: { entities: orderedIds.length, mentions: mentions.length, reingest: Boolean(previous) },
    });
    return { changed: true, entityIds: orderedIds, suggestions: proposals.length, notifications: drafts.length };
  }

  /** The pure suggestions engine (suggestions.ts) on the data read for this source, scoped to its agency. */
  function proposalsFor(input: IngestInput, entities: { id: number; type: EntityType; value: string }[], data: registerRepo.SuggestionData): SuggestionProposal[] {
    const phones = entities.filter((e) => e.type === 'phone');
    const brands = entities.filter((e) => e.type === 'line_name').map((e) => e.value);
    if (phones.length === 0) return [];
    const phonePlaces: Record<string, string[]> = {};
    for (const p of phones) phonePlaces[p.value] = data.placesByPhone.get(p.id) ?? [];
    return proposeSuggestions({ ownerAgencyId: input.ownerAgencyId, now: input.occurredAt, phones: phones.map((p) => p.value), brands, lines: data.lines, phonePlaces, lastSeen: data.lastSeen });
  }

  /**
   * Alerts: active lines tied to a mentioned entity notify their owner (or, with no owner user, the
   * owning agency); entity watches notify their owners; registered watchers add their own. A recipient
   * in another agency learns only that another agency holds a mention, never the source id.
   */
  async function alertDrafts(tx: Queryable, ctx: IngestedContext, targets: Pick<registerRepo.IngestContextData, 'ties' | 'watches'>): Promise<NotificationDraft[]> {
    const drafts: NotificationDraft[] = [];
    const kind = SOURCE_LABEL[ctx.sourceType];
    const seen = new Set<string>();
    const add = (d: NotificationDraft) => {
      const key = `${d.userId ?? ''}|${d.agencyId}|${d.href ?? ''}|${d.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      drafts.push(d);
    };
    for (const tie of targets.ties) {
      const same = tie.ownerAgencyId === ctx.ownerAgencyId;
      const what = TIE_WORDS[tie.entityType] ?? 'something';
      add({
        userId: tie.ownerUserId,
        agencyId: tie.ownerAgencyId,
        kind: 'intel.line_mention',
        subjectType: same ? ctx.sourceType : 'line',
        subjectId: same ? ctx.sourceId : String(tie.lineId),
        href: `/staff/intel/lines/${tie.lineId}`,
        message: same
          ? `A new ${kind} mentions ${what} on the ${tie.displayName} line`
          : `A ${kind} held by another agency mentions ${what} on the ${tie.displayName} line`,
      });
    }
    const byId = new Map(ctx.entities.map((e) => [e.id, e]));
    for (const w of targets.watches) {
      const e = byId.get(w.entityId);
      const same = w.ownerAgencyId === ctx.ownerAgencyId;
      add({
        userId: w.ownerUserId,
        agencyId: w.ownerAgencyId,
        kind: 'intel.watch_mention',
        subjectType: same ? ctx.sourceType : w.subjectType,
        subjectId: same ? ctx.sourceId : w.subjectId,
        href: same ? `/staff/intel/entities/${w.entityId}` : null,
        message: `A new ${same ? kind : `${kind} held by another agency`} mentions ${TIE_WORDS[e?.type ?? ''] ?? 'something'} you are watching (${w.reason})`,
      });
    }
    for (const watcher of watchers) for (const d of await watcher(tx, ctx)) add(d);
    return drafts;
  }

  /** Removes everything a source contributed (the source was deleted, or its loader returns null). */
  async function forget(tx: Queryable, sourceType: SourceType, sourceId: string): Promise<void> {
    const previous = await repo.lockSource(tx, sourceType, sourceId);
    if (!previous) return;
    await repo.retractSource(tx, sourceType, sourceId, previous.owner_agency_id);
    await tx.query('DELETE FROM intel_sources WHERE source_type = $1 AND source_id = $2', [sourceType, sourceId]);
    await audit.record(tx, SYSTEM, { action: 'intel.forget', subjectType: sourceType, subjectId: sourceId });
  }

  jobs.register('intel.ingest', async (payload) => {
    const sourceType = String(payload.sourceType ?? '') as SourceType;
    const sourceId = String(payload.sourceId ?? '');
    if (!SOURCE_TYPES.includes(sourceType) || !sourceId) throw new Error('intel.ingest: bad payload');
    const loader = loaders.get(sourceType);
    if (!loader) throw new Error(`intel.ingest: no source loader registered for ${sourceType}`);
    const source = await loader(sourceType, sourceId);
    await db.transaction(async (tx) => {
      if (!source) return forget(tx, sourceType, sourceId);
      const res = await service.ingest(tx, { sourceType, sourceId, ...source });
      logger.info({ sourceType, entities: res.entityIds.length, changed: res.changed }, 'intel ingest');
    });
  });

  async function visibleEntity(q: Queryable, actor: StaffActor, id: number): Promise<{ entity: Entity; mentions: Awaited<ReturnType<typeof repo.mentionsVisibleTo>> }> {
    const entity = await repo.findEntity(q, id);
    const mentions = entity ? await repo.mentionsVisibleTo(q, id, actor.agencyId) : null;
    const lines = entity && mentions && mentions.total === 0 ? await registerRepo.linesOfEntity(q, actor.agencyId, entity) : [];
    access.requireVisible(actor, entity && mentions && (mentions.total > 0 || lines.length > 0) ? { ownerAgencyId: actor.agencyId } : null, 'entity', String(id));
    return { entity: entity!, mentions: mentions! };
  }

  /** Seeds for a focus: the entity itself, or a line's numbers, brand and linked entities. */
  async function focusSeeds(q: Queryable, actor: StaffActor, focus: string): Promise<{ seeds: number[]; label: string }> {
    const [kind, raw] = focus.split(':') as [string, string];
    const id = Number(raw);
    if (kind === 'entity') {
      const { entity } = await visibleEntity(q, actor, id);
      return { seeds: [entity.id], label: entity.value };
    }
    const line = await registerRepo.findLine(q, id);
    access.requireVisible(actor, line ? { ownerAgencyId: line.ownerAgencyId } : null, 'line', String(id));
    const seeds: number[] = [];
    for (const n of await registerRepo.lineNumbers(q, id)) {
      const e = await repo.findEntityByValue(q, 'phone', n.number);
      if (e) seeds.push(e.id);
    }
    const brand = await repo.findEntityByValue(q, 'line_name', line!.brand);
    if (brand) seeds.push(brand.id);
    for (const e of await registerRepo.lineEntities(q, id)) seeds.push(e.id);
    return { seeds: [...new Set(seeds)], label: `${line!.displayName} line` };
  }

  async function buildNetwork(q: Queryable, actor: StaffActor, query: NetworkQuery): Promise<NetworkAnalysis & { truncated: boolean; focusLabel: string | null; seeds: string[] }> {
    let slice: repo.GraphSlice;
    let focusLabel: string | null = null;
    let seeds: number[] = [];
    if (query.focus) {
      const f = await focusSeeds(q, actor, query.focus);
      focusLabel = f.label;
      seeds = f.seeds;
      slice = await repo.neighbourhoodSlice(q, actor.agencyId, f.seeds, query.hops, MAX_NETWORK_NODES);
    } else {
      slice = await repo.strongestSlice(q, actor.agencyId, 2000);
    }
    const analysis = analyseNetwork(
      slice.nodes.map((n) => ({ id: `e${n.id}`, label: n.value, type: n.type })),
      slice.edges.map((e) => ({ source: `e${e.a}`, target: `e${e.b}`, weight: e.count })),
      { betweennessSamples: 100 },
    );
    return { ...analysis, truncated: slice.truncated, focusLabel, seeds: seeds.map((s) => `e${s}`) };
  }

  function mapView(id: string | undefined): MapView {
    return MAP_VIEWS.find((v) => v.id === id) ?? MAP_VIEWS[0]!;
  }

  async function mapData(q: Queryable, actor: StaffActor) {
    const gz = gazetteer();
    const spots = await repo.hotspots(q, actor.agencyId);
    const towns: (GeoTown & { placed: boolean })[] = spots.places.map((p) => {
      const pl = gz.place(p.name);
      return { name: p.name, lat: pl?.lat ?? 0, lon: pl?.lon ?? 0, mentions: p.count, placed: !!pl };
    });
    const districts = spots.districts.map((d) => {
      const pl = gz.district(d.district);
      return { district: d.district, count: d.count, town: pl?.name ?? null, lat: pl?.lat ?? 0, lon: pl?.lon ?? 0 };
    });
    const lines = await registerRepo.linesForMap(q, actor.agencyId);
    const flows: GeoFlow[] = [];
    const unplaced: string[] = [];
    for (const l of lines) {
      const from = l.exportingArea ? gz.place(l.exportingArea) : undefined;
      if (l.exportingArea && !from) unplaced.push(l.exportingArea);
      for (const a of l.importingAreas) {
        const to = gz.place(a);
        if (!to) unplaced.push(a);
        if (from && to) flows.push({ lineId: l.id, brand: l.displayName, status: l.status, from: { name: from.name, lat: from.lat, lon: from.lon }, to: { name: to.name, lat: to.lat, lon: to.lon } });
      }
    }
    return { towns, districts, flows, lines, unplaced: [...new Set(unplaced)].sort() };
  }

  const service = {
    register,
    notifications,

    /** Modules register how to load a source's text (decrypted) by id, for 'intel.ingest' jobs. */
    registerSource(sourceType: SourceType, loader: SourceLoader): void {
      loaders.set(sourceType, loader);
    },

    /** Adds a watcher called after every ingest that stored mentions (cases alert their owners this way). */
    registerWatcher(fn: Watcher): void {
      watchers.push(fn);
    },

    /** Sets the extractor (the composition root or a test may supply one). */
    useExtractor(fn: Extractor): void {
      extractor = fn;
    },

    /** Enqueue an ingest in the transaction that committed the source. */
    async enqueueIngest(tx: Queryable, sourceType: SourceType, sourceId: string): Promise<number> {
      return jobs.enqueue(tx, 'intel.ingest', { sourceType, sourceId });
    },

    /** Extracts entities from the text (pure) and stores them for the source; idempotent. */
    async ingest(tx: Queryable, input: IngestInput): Promise<IngestResult> {
      extractor ??= await loadDefaultExtractor();
      return ingestExtraction(tx, input, extractor(input.text));
    },

    ingestExtraction,
    forget,

    /** Creates a watch on an entity (for modules that own cases; no permission: the caller has checked). */
    async watchEntity(tx: Queryable, w: { entityId: number; ownerUserId: string | null; ownerAgencyId: string; reason: string; subjectType?: string; subjectId?: string }): Promise<number> {
      return registerRepo.insertWatch(tx, { ...w, subjectType: w.subjectType ?? null, subjectId: w.subjectId ?? null, at: clock() });
    },

    async overview(actor: StaffActor) {
      access.require(actor, 'intel:read');
      const since = new Date(clock().getTime() - 30 * 86_400_000);
      const [counts, pending, lines, top] = await Promise.all([
        repo.overviewCounts(db, actor.agencyId),
        registerRepo.countPendingSuggestions(db, actor.agencyId),
        registerRepo.listLines(db, actor.agencyId, {}),
        repo.topEntities(db, actor.agencyId, since),
      ]);
      const byStatus = { active: 0, closed_type1: 0, closed_type2: 0 };
      for (const l of lines) byStatus[l.status] += 1;
      return { counts, pendingSuggestions: pending, lines: byStatus, topEntities: top };
    },

    /** What is known about an entity: visible mentions by source and date, links and lines. */
    async entity(actor: StaffActor, id: number) {
      access.require(actor, 'intel:read');
      return db.transaction(async (tx) => {
        const { entity, mentions } = await visibleEntity(tx, actor, id);
        const links = await repo.linksOf(tx, id, actor.agencyId);
        const lines = await registerRepo.linesOfEntity(tx, actor.agencyId, entity);
        await audit.record(tx, actor, { action: 'intel.entity.view', subjectType: 'entity', subjectId: String(id) });
        return { entity, mentions, links, lines };
      });
    },

    async network(actor: StaffActor, query: NetworkQuery) {
      access.require(actor, 'intel:read');
      return db.transaction(async (tx) => {
        const net = await buildNetwork(tx, actor, query);
        await audit.record(tx, actor, { action: 'intel.network.view', subjectType: 'network', subjectId: query.focus ?? 'all', detail: { hops: query.hops, nodes: net.nodes.length } });
        return net;
      });
    },

    async map(actor: StaffActor, viewId?: string) {
      access.require(actor, 'intel:read');
      const view = mapView(viewId);
      return db.transaction(async (tx) => {
        const data = await mapData(tx, actor);
        const hotspots: MapHotspot[] = [
          ...data.towns.filter((t) => t.placed).map((t) => ({ name: t.name, lat: t.lat, lon: t.lon, count: t.mentions })),
        ];
        const flows: MapFlow[] = data.flows.map((f) => ({ brand: f.brand, from: f.from, to: f.to, active: f.status === 'active' }));
        const svg = renderMapSvg(basemap(), view, hotspots, flows);
        await audit.record(tx, actor, { action: 'intel.map.view', subjectType: 'map', subjectId: view.id });
        return { view, views: MAP_VIEWS, svg, ...data };
      });
    },

    /** An export file, audited as 'intel.export'. Requires 'intel:export'. */
    async exportData(actor: StaffActor, format: ExportFormat, query: NetworkQuery): Promise<{ filename: string; contentType: string; body: string }> {
      access.require(actor, 'intel:export');
      return db.transaction(async (tx) => {
        let body: string;
        let count: Record<string, number>;
        if (format === 'geojson') {
          const data = await mapData(tx, actor);
          body = toGeoJSON(
            data.towns.filter((t) => t.placed),
            data.flows,
          );
          count = { towns: data.towns.length, flows: data.flows.length };
        } else {
          const net = await buildNetwork(tx, actor, query);
          const nodes = net.nodes;
          body =
            format === 'graphml'
              ? toGraphML(nodes, net.edges)
              : format === 'gexf'
                ? toGEXF(nodes, net.edges, { date: clock().toISOString().slice(0, 10), description: `Lookout network${net.focusLabel ? ` around ${net.focusLabel}` : ''}` })
                : format === 'nodes.csv'
                  ? nodesCsv(nodes)
                  : edgesCsv(net.edges);
          count = { nodes: nodes.length, edges: net.edges.length };
        }
        await audit.record(tx, actor, { action: 'intel.export', subjectType: 'network', subjectId: query.focus ?? 'all', detail: { format, hops: query.hops, ...count } });
        const contentType = {
          graphml: 'application/graphml+xml; charset=utf-8',
          gexf: 'application/gexf+xml; charset=utf-8',
          'nodes.csv': 'text/csv; charset=utf-8',
          'edges.csv': 'text/csv; charset=utf-8',
          geojson: 'application/geo+json; charset=utf-8',
        }[format];
        const filename = format === 'geojson' ? 'lookout-map.geojson' : format.endsWith('.csv') ? `lookout-${format}` : `lookout-network.${format}`;
        return { filename, contentType, body };
      });
    },
  };
  return service;
}

export type IntelServices = ReturnType<typeof createIntelServices>;
