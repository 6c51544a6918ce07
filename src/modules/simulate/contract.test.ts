import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContent } from '../awareness/content.ts';
import { VULNERABILITIES } from './types.ts';

test('every vulnerability the simulator records is one the checker knows (content/screening.yaml)', () => {
  const known = new Set(loadContent().screening.vulnerabilities.map((v) => v.id));
  for (const v of VULNERABILITIES) assert.ok(known.has(v), `${v} is not in content/screening.yaml`);
});
