import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { permissionTableMarkdown } from './permissions-doc.ts';

describe('docs/auth.md', () => {
  it('shows the permission table exactly as src/auth/permissions.ts defines it', () => {
    const doc = readFileSync(new URL('../../docs/auth.md', import.meta.url), 'utf8');
    const table = /<!-- permission-table:start -->\n([\s\S]*?)\n<!-- permission-table:end -->/.exec(doc)?.[1];
    assert.equal(table, permissionTableMarkdown(), 'regenerate the table in docs/auth.md from permissionTableMarkdown()');
  });
});
