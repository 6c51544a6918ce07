import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { ContentError, loadContent } from './content.ts';
import { INDICATOR_CODES, REQUIRED_AUDIENCES, ROUTE_IDS } from './content.schema.ts';

const CONTENT = fileURLToPath(new URL('../../../content', import.meta.url));
const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fresh copy of the shipped content in a temp dir, so each test can break one thing. */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-content-'));
  temps.push(dir);
  cpSync(CONTENT, dir, { recursive: true });
  return dir;
}

type Obj = Record<string, unknown>;
/** The object at `path` inside a parsed YAML document (asserting it is one). */
function obj(root: unknown, ...path: Array<string | number>): Obj {
  const v = path.reduce<unknown>((cur, k) => (cur as Obj | unknown[])[k as never], root);
  assert.ok(v && typeof v === 'object' && !Array.isArray(v), `no object at ${path.join('.')}`);
  return v as Obj;
}
/** The array at `path`, for in-place edits. */
function list(root: unknown, ...path: Array<string | number>): unknown[] {
  const v = path.reduce<unknown>((cur, k) => (cur as Obj | unknown[])[k as never], root);
  assert.ok(Array.isArray(v), `no array at ${path.join('.')}`);
  return v;
}
/** Removes the entries of a list whose `field` equals `value`. */
function drop(items: unknown[], field: string, value: string): void {
  const i = items.findIndex((x) => (x as Obj)[field] === value);
  assert.ok(i >= 0, `no entry with ${field} = ${value}`);
  items.splice(i, 1);
}
function edit(dir: string, rel: string, change: (doc: unknown) => void): void {
  const file = join(dir, rel);
  const doc: unknown = parse(readFileSync(file, 'utf8'));
  change(doc);
  writeFileSync(file, stringify(doc));
}

function loadError(dir: string): ContentError {
  try {
    loadContent(dir);
  } catch (err) {
    assert.ok(err instanceof ContentError, `expected ContentError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected loadContent to throw');
}

describe('loadContent: the shipped content', () => {
  const content = loadContent(CONTENT);

  it('has every indicator code, in taxonomy order, each with 2-4 examples and a source', () => {
    assert.deepEqual(
      content.indicators.map((i) => i.code),
      [...INDICATOR_CODES],
    );
    for (const i of content.indicators) {
      assert.ok(i.examples.length >= 2 && i.examples.length <= 4, i.code);
      assert.ok(i.source.length > 0, i.code);
    }
  });

  it('has every route id with a contact, and a pathway for every audience', () => {
    assert.deepEqual(new Set(content.routes.map((r) => r.id)), new Set(ROUTE_IDS));
    for (const a of REQUIRED_AUDIENCES) assert.ok(content.pathways.some((p) => p.id === a), a);
    assert.equal(content.screening.routes['999'].label.includes('999'), true);
  });

  it('keeps the real national numbers exactly as DOMAIN.md gives them', () => {
    const byId = new Map(content.routes.map((r) => [r.id, r]));
    assert.equal(byId.get('999')?.phone, '999');
    assert.equal(byId.get('101')?.phone, '101');
    assert.equal(byId.get('btp_61016')?.text, '61016');
    assert.equal(byId.get('crimestoppers')?.phone, '0800 555 111');
    assert.equal(byId.get('childline')?.phone, '0800 1111');
    assert.equal(byId.get('nspcc')?.phone, '0808 800 5000');
  });

  it('has at least four scenarios whose endings signpost routes, and a quiz of 10+ questions', () => {
    assert.ok(content.scenarios.length >= 4);
    for (const s of content.scenarios) assert.ok(s.steps.some((st) => st.type === 'ending' && st.routes.length > 0), s.id);
    assert.ok(content.quiz.questions.length >= 10);
  });

  it('ships Lancashire as an illustrative directory', () => {
    const lancs = content.directories.find((d) => d.id === 'lancashire');
    assert.ok(lancs);
    assert.equal(lancs.illustrative, true);
    assert.ok(lancs.notice);
  });

  it('names files relative to the directory given (the default is ./content)', () => {
    const c = loadContent();
    assert.equal(c.indicators.length, INDICATOR_CODES.length);
  });
});

describe('loadContent: broken content names the file and the field', () => {
  it('a missing source on the fourth indicator', () => {
    const dir = copy();
    edit(dir, 'awareness/indicators.yaml', (d) => {
      delete obj(d, 'indicators', 3).source;
    });
    const err = loadError(dir);
    assert.match(err.message, /awareness\/indicators\.yaml: indicators\[3\]\.source: Required/);
    assert.deepEqual(
      err.issues.map((i) => [i.file, i.field]),
      [[join(dir, 'awareness/indicators.yaml'), 'indicators[3].source']],
    );
  });

  it('an indicator code from the taxonomy is missing', () => {
    const dir = copy();
    edit(dir, 'awareness/indicators.yaml', (d) => {
      drop(list(d, 'indicators'), 'code', 'weapons');
    });
    assert.match(loadError(dir).message, /indicators\.yaml: indicators: Missing the sign "weapons"/);
  });

  it('an unknown indicator code and a misspelt field', () => {
    const dir = copy();
    edit(dir, 'awareness/indicators.yaml', (d) => {
      obj(d, 'indicators', 0).code = 'going_missing';
      obj(d, 'indicators', 1).exmaples = ['x'];
    });
    const msg = loadError(dir).message;
    assert.match(msg, /indicators\[0\]\.code:/);
    assert.match(msg, /indicators\[1\]\.exmaples: Unknown field/);
  });

  it('a scenario choice pointing at a step that does not exist', () => {
    const dir = copy();
    edit(dir, 'awareness/scenarios/parent-cash-missing.yaml', (d) => {
      obj(d, 'steps', 0, 'choices', 0).next = 'nowhere';
    });
    assert.match(loadError(dir).message, /parent-cash-missing\.yaml: steps\[0\]\.choices\[0\]\.next: "nowhere" is not a step/);
  });

  it('a scenario step nobody can reach', () => {
    const dir = copy();
    edit(dir, 'awareness/scenarios/train-passenger.yaml', (d) => {
      list(d, 'steps').push({ type: 'ending', id: 'orphan', text: 'Nobody gets here.', routes: ['999'] });
    });
    const last = 'steps\\[7\\]';
    assert.match(loadError(dir).message, new RegExp(`train-passenger\\.yaml: ${last}\\.id: Step "orphan" cannot be reached`));
  });

  it('a scenario loop with no way out', () => {
    const dir = copy();
    edit(dir, 'awareness/scenarios/young-person-easy-money.yaml', (d) => {
      // threatened -> gift -> threatened ... never an ending.
      obj(d, 'steps', 0, 'choices', 0).next = 'gift';
      list(d, 'steps', 1, 'choices').forEach((c) => ((c as Obj).next = 'threatened'));
      list(d, 'steps', 2, 'choices').forEach((c) => ((c as Obj).next = 'gift'));
    });
    const msg = loadError(dir).message;
    assert.match(msg, /no choice ever reaches an ending/);
  });

  it('a scenario step of an unknown type, and a route id that does not exist', () => {
    const dir = copy();
    edit(dir, 'awareness/scenarios/neighbour-cuckooing.yaml', (d) => {
      obj(d, 'steps', 0).type = 'quiz';
      obj(d, 'steps', 6).routes = ['police'];
    });
    const msg = loadError(dir).message;
    assert.match(msg, /neighbour-cuckooing\.yaml: steps\[0\]\.type:/);
    assert.match(msg, /neighbour-cuckooing\.yaml: steps\[6\]\.routes\[0\]:/);
  });

  it('a quiz answer that is not one of the options', () => {
    const dir = copy();
    edit(dir, 'awareness/quiz.yaml', (d) => {
      obj(d, 'questions', 2).answer = 'z';
    });
    assert.match(loadError(dir).message, /quiz\.yaml: questions\[2\]\.answer: "z" is not one of the option ids/);
  });

  it('a pathway pointing at an unknown scenario, and a missing audience', () => {
    const dir = copy();
    edit(dir, 'awareness/pathways.yaml', (d) => {
      obj(d, 'pathways', 0).scenarios = ['no-such-scenario'];
      drop(list(d, 'pathways'), 'id', 'carers');
    });
    const msg = loadError(dir).message;
    assert.match(msg, /pathways\.yaml: pathways\[0\]\.scenarios\[0\]: "no-such-scenario" is not a scenario id/);
    assert.match(msg, /pathways\.yaml: pathways: Missing the pathway "carers"/);
  });

  it('a route missing from routes.yaml', () => {
    const dir = copy();
    edit(dir, 'routes.yaml', (d) => drop(list(d, 'routes'), 'id', 'nrm'));
    assert.match(loadError(dir).message, /routes\.yaml: routes: Missing the route "nrm"/);
  });

  it('the 999 route id written as a number instead of a string', () => {
    const dir = copy();
    edit(dir, 'routes.yaml', (d) => {
      obj(d, 'routes', 0).id = 999;
    });
    assert.match(loadError(dir).message, /routes\.yaml: routes\[0\]\.id:/);
  });

  it('screening: emergency not starting with 999, an unknown placeholder, bands out of order', () => {
    const dir = copy();
    edit(dir, 'screening.yaml', (d) => {
      list(d, 'route_plan', 'emergency', 'adult').reverse();
      obj(d, 'reasons').high_sign = 'The sign {sgn} is strong.';
      obj(d, 'bands', 2).min = 2;
    });
    const msg = loadError(dir).message;
    assert.match(msg, /screening\.yaml: route_plan\.emergency\.adult\[0\]\.id: Emergency must always start with "999"/);
    assert.match(msg, /screening\.yaml: reasons\.high_sign: Unknown placeholder \{sgn\}/);
    assert.match(msg, /screening\.yaml: bands\[2\]\.min: Each band must start above the one before/);
  });

  it('an illustrative directory with a number outside the Ofcom drama ranges', () => {
    const dir = copy();
    edit(dir, 'directory/lancashire.yaml', (d) => {
      obj(d, 'contacts', 1).phone = '01772 123456';
      obj(d, 'contacts', 2).web = 'https://www.lancashire.gov.uk';
    });
    const msg = loadError(dir).message;
    assert.match(msg, /lancashire\.yaml: contacts\[1\]\.phone: "01772 123456" is not in an Ofcom drama range/);
    assert.match(msg, /lancashire\.yaml: contacts\[2\]\.web: Illustrative directories use example\.org/);
  });

  it('YAML that does not parse names the file and line', () => {
    const dir = copy();
    writeFileSync(join(dir, 'awareness/slang.yaml'), 'title: x\n  bad: [indent\n');
    assert.match(loadError(dir).message, /slang\.yaml: line \d+: Not valid YAML/);
  });

  it('a missing file is named', () => {
    const dir = copy();
    rmSync(join(dir, 'awareness/quiz.yaml'));
    assert.match(loadError(dir).message, /awareness\/quiz\.yaml: \(file\): File is missing/);
  });

  it('reports every problem at once, one per line', () => {
    const dir = copy();
    edit(dir, 'awareness/quiz.yaml', (d) => {
      obj(d, 'questions', 0).answer = 'z';
      obj(d, 'questions', 1).answer = 'z';
    });
    assert.equal(loadError(dir).message.split('\n').length, 2);
  });
});
