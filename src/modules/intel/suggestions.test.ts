import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SuggestionProposal } from './intel.types.ts';
import { dedupeKey, describeSuggestion, proposeSuggestions, type SuggestionContext } from './suggestions.ts';

const NOW = new Date('2025-06-01T12:00:00Z');
const DAY = 86_400_000;
const OLD = '+447700900001';
const NEW = '+447700900002';

const base = (over: Partial<SuggestionContext>): SuggestionContext => ({
  ownerAgencyId: 'agency-a',
  now: NOW,
  phones: [],
  brands: [],
  lines: [{ id: 1, brand: 'kash', numbers: [{ number: OLD, activeTo: null }] }],
  phonePlaces: {},
  lastSeen: {},
  ...over,
});

describe('suggestions engine', () => {
  it('(a) a new number mentioned with a known brand whose number is still in use', () => {
    const out = proposeSuggestions(base({ phones: [NEW], brands: ['kash'], lastSeen: { [OLD]: new Date(NOW.getTime() - 2 * DAY) } }));
    assert.deepEqual(out, [{ kind: 'new_number', lineId: 1, brand: 'kash', number: NEW, ownerAgencyId: 'agency-a' }]);
    assert.match(describeSuggestion(out[0]!), /New number \+447700900002 mentioned with the "kash" line/);
  });

  it('(c) a new number with the brand while the current number has gone quiet is a number change', () => {
    const out = proposeSuggestions(base({ phones: [NEW], brands: ['kash'], lastSeen: { [OLD]: new Date(NOW.getTime() - 30 * DAY) } }));
    assert.deepEqual(out, [{ kind: 'number_change', lineId: 1, brand: 'kash', number: NEW, replaces: [OLD], ownerAgencyId: 'agency-a' }]);
    // Never mentioned at all also counts as quiet.
    assert.equal(proposeSuggestions(base({ phones: [NEW], brands: ['kash'] }))[0]?.kind, 'number_change');
  });

  it('(b) a number co-mentioned with three or more distinct towns', () => {
    const out = proposeSuggestions(base({ phones: [NEW], phonePlaces: { [NEW]: ['Preston', 'Blackpool', 'Preston', 'Lancaster'] } }));
    assert.deepEqual(out, [{ kind: 'multi_town', number: NEW, places: ['Blackpool', 'Lancaster', 'Preston'], lineId: null, ownerAgencyId: 'agency-a' }]);
    assert.deepEqual(proposeSuggestions(base({ phones: [NEW], phonePlaces: { [NEW]: ['Preston', 'Blackpool'] } })), []);
    // A line's own number seen in several towns names the line.
    const own = proposeSuggestions(base({ phones: [OLD], phonePlaces: { [OLD]: ['Preston', 'Blackpool', 'Lancaster'] } }));
    assert.equal(own[0]?.kind === 'multi_town' ? own[0].lineId : undefined, 1);
  });

  it('does not suggest a number the line already has, nor one held by another line, nor for unmentioned brands', () => {
    assert.deepEqual(proposeSuggestions(base({ phones: [OLD], brands: ['kash'] })), []);
    const lines = [
      { id: 1, brand: 'kash', numbers: [{ number: OLD, activeTo: null }] },
      { id: 2, brand: 'bling', numbers: [{ number: NEW, activeTo: null }] },
    ];
    assert.deepEqual(proposeSuggestions(base({ lines, phones: [OLD, NEW], brands: ['kash', 'bling'] })), []);
    assert.deepEqual(proposeSuggestions(base({ phones: [NEW], brands: ['other'] })), []);
    // An old, closed number of the same line is not "new".
    const closed = [{ id: 1, brand: 'kash', numbers: [{ number: NEW, activeTo: new Date(NOW.getTime() - DAY) }, { number: OLD, activeTo: null }] }];
    assert.deepEqual(proposeSuggestions(base({ lines: closed, phones: [NEW], brands: ['kash'] })), []);
  });

  it('a new number and a number change for the same line and number share one dedupe key', () => {
    const a: SuggestionProposal = { kind: 'new_number', lineId: 1, brand: 'kash', number: NEW, ownerAgencyId: 'x' };
    const c: SuggestionProposal = { kind: 'number_change', lineId: 1, brand: 'kash', number: NEW, replaces: [OLD], ownerAgencyId: 'x' };
    assert.equal(dedupeKey(a), dedupeKey(c));
    assert.notEqual(dedupeKey(a), dedupeKey({ kind: 'multi_town', number: NEW, places: [], lineId: null, ownerAgencyId: 'x' }));
  });
});
