/** `lookout keys rotate`: re-wraps every data key under the first of MASTER_KEYS, audited as system. */
import { randomUUID } from 'node:crypto';
import type { Command } from '../cli/main.ts';
import { loadConfig } from '../config.ts';
import { createContainer } from '../container.ts';
import { createKeyring } from './envelope.ts';
import { rotateWrappedKeys } from './rotate.ts';

export const command: Command = {
  summary: 'Key management: "keys rotate" re-wraps every data key under the first of MASTER_KEYS',
  async run(argv) {
    const [sub] = argv;
    if (sub !== 'rotate') {
      process.stderr.write('Usage: lookout keys rotate\n  With MASTER_KEYS="NEW,OLD" re-wraps every stored data key under NEW.\n');
      return 2;
    }
    const config = loadConfig();
    const container = await createContainer(config);
    try {
      const code = await rotateKeysCommand(container, (line) => process.stdout.write(`${line}\n`));
      return code;
    } finally {
      await container.close();
    }
  },
};

/** The command body, taking a container so tests can run it against their harness. */
export async function rotateKeysCommand(
  container: Pick<Awaited<ReturnType<typeof createContainer>>, 'platform'>,
  log: (line: string) => void,
): Promise<number> {
  const { config, db, audit } = container.platform;
  const ring = createKeyring(config.masterKeys);
  log(`Current master key id: ${ring.currentId} (${ring.keys.size} key${ring.keys.size === 1 ? '' : 's'} configured)`);
  const counts = await rotateWrappedKeys(db, ring);
  let unreadable = 0;
  for (const c of counts) {
    log(`  ${c.table}: ${c.rewrapped} re-wrapped, ${c.alreadyCurrent} already current${c.unreadable ? `, ${c.unreadable} UNREADABLE (key not configured)` : ''}`);
    unreadable += c.unreadable;
  }
  await db.transaction((tx) =>
    audit.record(
      tx,
      { kind: 'system', name: 'keys.rotate', correlationId: randomUUID() },
      { action: 'keys.rotate', subjectType: 'kek', subjectId: ring.currentId, detail: { tables: counts.map((c) => ({ ...c })) } },
    ),
  );
  if (unreadable) {
    log(`${unreadable} data key(s) are wrapped under a master key that is not configured. Add it to MASTER_KEYS (after the new one) and run again.`);
    return 1;
  }
  log('Done. Once every instance runs with the new key first, the old key can be removed from MASTER_KEYS.');
  return 0;
}
