/**
 * Demo staff: fictional agencies and one enrolled user per role, created on first start with
 * demo data. Passwords and TOTP secrets are random and printed ONCE to stderr, so whoever
 * started the service can sign in (add the secret to an authenticator app, or compute the code
 * with `currentTotpCode`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Container } from '../container.ts';
import type { Platform } from '../platform.ts';
import { NotFoundError } from '../errors.ts';
import type { Role } from './permissions.ts';
import { hashPassword } from './passwords.ts';
import { createSecretBox, generateTotpSecret, totpCode, totpStep } from './totp.ts';
import * as repo from './auth.repository.ts';
import type { AgencyKind } from './auth.repository.ts';
import { cliActor } from './cli-context.ts';

export const DEMO_AGENCIES: { name: string; kind: AgencyKind; area: string }[] = [
  { name: 'Lancashire Constabulary (demo)', kind: 'police', area: 'Lancashire' },
  { name: "Lancashire Children's Social Care (demo)", kind: 'childrens_social_care', area: 'Lancashire' },
  { name: 'Blackpool Adult Social Care (demo)', kind: 'adult_social_care', area: 'Blackpool' },
  { name: 'Fylde Coast Learning Trust (demo)', kind: 'education', area: 'Fylde coast' },
  { name: 'Ribble Valley Community NHS Trust (demo)', kind: 'health', area: 'Lancashire' },
  { name: 'Lancashire Youth Justice Service (demo)', kind: 'youth_justice', area: 'Lancashire' },
  { name: 'Harbour Light Youth Project (demo)', kind: 'voluntary_sector', area: 'Blackpool' },
  { name: 'SpeakSafe Anonymous Line (demo)', kind: 'reporting_intermediary', area: 'England and Wales' },
];

export const DEMO_USERS: { email: string; name: string; roles: Role[]; agency: string }[] = [
  { email: 'admin@demo.lookout.test', name: 'Alex Demo (admin)', roles: ['admin'], agency: 'Lancashire Constabulary (demo)' },
  { email: 'triage@demo.lookout.test', name: 'Taylor Demo (triage)', roles: ['triage'], agency: 'Lancashire Constabulary (demo)' },
  { email: 'caseworker@demo.lookout.test', name: 'Casey Demo (case worker)', roles: ['caseworker'], agency: "Lancashire Children's Social Care (demo)" },
  { email: 'analyst@demo.lookout.test', name: 'Morgan Demo (analyst)', roles: ['analyst'], agency: 'Lancashire Constabulary (demo)' },
  { email: 'campaigns@demo.lookout.test', name: 'Jordan Demo (campaigns)', roles: ['campaigns'], agency: 'Lancashire Constabulary (demo)' },
  { email: 'viewer@demo.lookout.test', name: 'Riley Demo (viewer)', roles: ['viewer'], agency: 'Blackpool Adult Social Care (demo)' },
];

export interface EnrolledUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  agencyId: string;
  password: string;
  totpSecret: string;
}

/** Creates a user who has already chosen a password and enrolled TOTP (demo data and tests). */
export async function createEnrolledUser(
  platform: Platform,
  input: { email: string; name: string; roles: Role[]; agencyId: string; password?: string; disabled?: boolean },
): Promise<EnrolledUser> {
  const password = input.password ?? randomBytes(12).toString('base64url');
  const totpSecret = generateTotpSecret();
  const box = createSecretBox(platform.config.masterKeys);
  const id = randomUUID();
  const email = input.email.toLowerCase();
  const passwordHash = await hashPassword(password);
  await platform.db.transaction(async (tx) => {
    await repo.insertUser(
      tx,
      { id, agency_id: input.agencyId, email, name: input.name, roles: input.roles, setup_token_hash: null, setup_expires_at: null, password_hash: passwordHash, totp_secret_enc: box.seal(totpSecret) },
      platform.clock(),
    );
    if (input.disabled) await repo.setDisabled(tx, id, true);
    await platform.audit.record(tx, cliActor('seed'), { action: 'user.add', subjectType: 'user', subjectId: id, detail: { agencyId: input.agencyId, roles: input.roles, enrolled: true } });
  });
  return { id, email, name: input.name, roles: input.roles, agencyId: input.agencyId, password, totpSecret };
}

/** The TOTP code a user's authenticator shows now (demo users; tests). Never exposed over HTTP. */
export async function currentTotpCode(platform: Platform, email: string, at: Date = platform.clock()): Promise<string> {
  const user = await repo.findUserByEmail(platform.db, email);
  if (!user?.totp_secret_enc) throw new NotFoundError('user', email);
  return totpCode(createSecretBox(platform.config.masterKeys).open(user.totp_secret_enc), at);
}

/** For tests signing the same user in twice within one 30-second step: forget the last used step. */
export async function forgetUsedTotpStep(platform: Platform, userId: string): Promise<void> {
  await platform.db.query('UPDATE users SET totp_last_step = $2 WHERE id = $1', [userId, totpStep(platform.clock()) - 2]);
}

/** Seed step: demo agencies and users (skipped when any agency exists). Prints credentials once. */
export async function seedAuthDemo(container: Container, print: (text: string) => void = (t) => process.stderr.write(t)): Promise<EnrolledUser[]> {
  const { platform, services } = container;
  if ((await services.auth.agencies.list()).length > 0) return [];
  const actor = cliActor('seed');
  const ids = new Map<string, string>();
  for (const a of DEMO_AGENCIES) ids.set(a.name, (await services.auth.agencies.add(actor, a)).id);
  const created: EnrolledUser[] = [];
  for (const u of DEMO_USERS) created.push(await createEnrolledUser(platform, { ...u, agencyId: ids.get(u.agency) as string }));
  const lines = created.map((u) => `  ${u.email.padEnd(30)} password: ${u.password}   TOTP secret: ${u.totpSecret}   (${u.roles.join(', ')})`);
  print(
    [
      '',
      'Demo staff accounts (fictional; shown only this once). Sign in at ' + `${platform.config.baseUrl}/staff/sign-in`,
      'Add the TOTP secret to an authenticator app (time-based, 6 digits, SHA-1) for the security code.',
      ...lines,
      '',
    ].join('\n') + '\n',
  );
  return created;
}
