/** Test support for intel tests: an XML well-formedness checker and hand-built staff actors. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { StaffActor } from '../../auth/access.ts';
import type { Role } from '../../auth/permissions.ts';

/** A staff actor for service tests (ids are plain text: intel keeps no foreign keys to auth tables). */
export function testActor(agencyId: string, roles: Role[] = ['analyst'], userId = `user-${randomUUID()}`): StaffActor {
  return { kind: 'staff', userId, name: 'Test Analyst', email: `${userId}@test.lookout.test`, agencyId, roles, correlationId: randomUUID() };
}

/**
 * A small XML well-formedness checker (enough for our output): one root, properly nested and
 * closed tags, quoted attributes without raw < or &, only the five predefined entities or
 * numeric references, no characters XML 1.0 forbids.
 */
export function assertWellFormedXml(xml: string): { root: string; elements: Map<string, number> } {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  // eslint-disable-next-line no-control-regex
  assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(body), 'no forbidden control characters');
  const stack: string[] = [];
  const elements = new Map<string, number>();
  let root = '';
  let i = 0;
  const name = '[A-Za-z_][\\w.:-]*';
  const tag = new RegExp(`^<(/?)(${name})((?:\\s+${name}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`);
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const text = body.slice(i, lt < 0 ? body.length : lt);
    for (const m of text.matchAll(/&([^;\s]*);?/g)) assert.match(m[0], /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/, `bad entity in text: ${m[0]}`);
    if (stack.length === 0) assert.equal(text.trim(), '', 'no text outside the root');
    if (lt < 0) break;
    const m = tag.exec(body.slice(lt));
    assert.ok(m, `malformed tag at ${lt}: ${body.slice(lt, lt + 60)}`);
    const [whole, close, tagName, attrs, selfClose] = m;
    for (const a of attrs!.matchAll(/=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      for (const e of (a[1] ?? a[2] ?? '').matchAll(/&([^;\s]*);?/g)) assert.match(e[0], /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/, `bad entity in attribute: ${e[0]}`);
    }
    const attrNames = [...attrs!.matchAll(new RegExp(`(${name})\\s*=`, 'g'))].map((x) => x[1]);
    assert.equal(new Set(attrNames).size, attrNames.length, `duplicate attribute in <${tagName}>`);
    if (close) {
      assert.equal(stack.pop(), tagName, `</${tagName}> closes the wrong element`);
    } else {
      if (!root) root = tagName!;
      else assert.ok(stack.length > 0, 'only one root element');
      elements.set(tagName!, (elements.get(tagName!) ?? 0) + 1);
      if (!selfClose) stack.push(tagName!);
    }
    i = lt + whole.length;
  }
  assert.deepEqual(stack, [], 'every element is closed');
  return { root, elements };
}

