import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config.ts';
import { readPlaceSeeds } from '../simulate/simulate.cli.ts';
import { createSimulation } from '../simulate/simulate.ts';
import { Rng } from '../simulate/rng.ts';
import { readTruth, readWorld, resolveTruthFiles, runProduct, scoreProduct, type TruthAnswers } from './truth.ts';

test('the truth evaluator scores a tiny world in [0,1], and a corrupted truth file scores lower', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-truth-'));
  try {
    const options = { seed: 1, lines: 3, days: 30, reports: 200, start: '2026-01-01', places: readPlaceSeeds() };
    const sim = createSimulation(options, new Rng(options.seed));
    const main: string[] = [];
    const truthLines: string[] = [];
    for (const b of sim.batches()) {
      for (const r of b.records) main.push(JSON.stringify(r));
      for (const t of b.truth) truthLines.push(JSON.stringify(t));
    }
    const files = resolveTruthFiles(join(dir, 'w.jsonl'));
    writeFileSync(files.main, `${main.join('\n')}\n`);
    writeFileSync(files.truth, `${truthLines.join('\n')}\n`);
    assert.deepEqual(resolveTruthFiles(files.truth), files, 'either file names the pair');

    const world = await readWorld(files.main);
    const truth = await readTruth(files.truth);
    const view = await runProduct(world, loadConfig());
    assert.equal(view.counts.reports, 200, 'only the product-facing records were loaded, all of them');
    const s = scoreProduct(view, world, truth);
    for (const k of ['assignment_precision', 'assignment_recall', 'number_change_precision', 'number_change_recall'] as const) {
      assert.ok(s[k] >= 0 && s[k] <= 1, `${k} = ${s[k]} is in [0,1]`);
    }
    assert.ok(s.reports_assigned > 0 && s.assignment_precision > 0.5, `the product assigns reports to lines, mostly correctly (${s.reports_assigned_correctly}/${s.reports_assigned})`);
    assert.ok(s.register_lines_matched > 0);

    // Corrupt the answers: every report's line becomes another line, every number change is reversed.
    const lineIds = [...world.brands.keys()];
    const other = (id: string) => lineIds[(lineIds.indexOf(id) + 1) % lineIds.length]!;
    const corrupted: TruthAnswers = {
      reportLine: new Map([...truth.reportLine].map(([k, v]) => [k, v ? other(v) : v])),
      changes: truth.changes.map((c) => ({ ...c, old_number: c.new_number, new_number: c.old_number })),
    };
    const bad = scoreProduct(view, world, corrupted);
    assert.ok(bad.assignment_precision < s.assignment_precision, `precision drops (${bad.assignment_precision} < ${s.assignment_precision})`);
    assert.ok(bad.assignment_recall < s.assignment_recall, `recall drops (${bad.assignment_recall} < ${s.assignment_recall})`);
    assert.ok(bad.number_change_precision <= s.number_change_precision && bad.number_change_recall <= s.number_change_recall);
    if (s.number_changes_correct > 0) assert.ok(bad.number_change_recall < s.number_change_recall);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
