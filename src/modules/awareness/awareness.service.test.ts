import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { createAwarenessServices, DEFAULT_CONTENT_DIR } from './awareness.service.ts';
import { ContentError } from './content.ts';

describe('awareness services at start-up', () => {
  let h: Harness;
  let dir: string;
  before(async () => {
    h = await createHarness();
    dir = mkdtempSync(join(tmpdir(), 'lookout-awareness-'));
    cpSync(DEFAULT_CONTENT_DIR, dir, { recursive: true });
  });
  after(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the content once into the container', () => {
    const { awareness } = h.container.services;
    assert.equal(awareness.content.indicators.length, 23);
    assert.ok(awareness.content.scenarios.length >= 4);
    assert.ok(awareness.checker.options.signs.every((s) => s.code !== 'immediate_danger'), 'danger now has its own question');
  });

  it('a broken content file stops start-up with a message naming the file and the field', () => {
    const file = join(dir, 'awareness', 'quiz.yaml');
    const quiz = parse(readFileSync(file, 'utf8')) as { questions: Array<{ explanation: string }> };
    quiz.questions[0]!.explanation = '';
    writeFileSync(file, stringify(quiz));
    const logsBefore = h.logs.length;
    assert.throws(
      () => createAwarenessServices(h.container.platform, { contentDir: dir }),
      (err: unknown) => {
        assert.ok(err instanceof ContentError);
        assert.match(err.message, /awareness\/quiz\.yaml: questions\[0\]\.explanation: Must not be empty/);
        return true;
      },
    );
    const logged = h.logs.slice(logsBefore).join('\n');
    assert.match(logged, /"level":"?(fatal|60)/);
    assert.match(logged, /quiz\.yaml: questions\[0\]\.explanation/);
  });
});
