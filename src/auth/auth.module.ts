/** Builds the auth and audit-search services for the container (`services.auth`). */
import type { Platform } from '../platform.ts';
import { createAuditLogService } from '../audit/audit.service.ts';
import { createAuthService } from './auth.service.ts';
import { loadDenyList } from './passwords.ts';
import { createSessionService } from './sessions.ts';
import { createSecretBox } from './totp.ts';
import { createAgenciesService, createUsersService } from './users.service.ts';

export function createAuthServices(platform: Platform) {
  const sessions = createSessionService(platform);
  const signIn = createAuthService(platform, {
    sessions,
    box: createSecretBox(platform.config.masterKeys),
    denyList: loadDenyList(),
  });
  return {
    sessions,
    signIn,
    users: createUsersService(platform, { auth: signIn }),
    agencies: createAgenciesService(platform),
    auditLog: createAuditLogService(platform),
  };
}

export type AuthServices = ReturnType<typeof createAuthServices>;
