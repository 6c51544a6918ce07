/**
 * `lookout audit verify`: recomputes the hash chain of the audit trail. Exits 0 printing the
 * number of records when it is intact; otherwise exits 1 naming the first bad record.
 */
import type { Command } from '../cli/main.ts';
import type { Database } from '../db/database.ts';
import { processOutput, withContainer, type CliOutput } from '../auth/cli-context.ts';
import { verifyAuditChain } from './audit.ts';

export async function runAuditVerify(db: Database, io: CliOutput = processOutput): Promise<number> {
  const result = await verifyAuditChain(db);
  if (result.ok) {
    io.out(`Audit trail intact: ${result.count} record${result.count === 1 ? '' : 's'} verified.`);
    return 0;
  }
  io.err(`Audit trail BROKEN at record ${result.badSeq}: ${result.reason}. ${result.count} record${result.count === 1 ? '' : 's'} before it verified.`);
  return 1;
}

export const command: Command = {
  summary: 'Verify the audit trail hash chain (audit verify)',
  async run(argv) {
    if (argv[0] !== 'verify') {
      processOutput.err('Usage: lookout audit verify');
      return 2;
    }
    return withContainer((c) => runAuditVerify(c.platform.db));
  },
};
