/**
 * The one permission table: which role may do what. Services check these with
 * `access.require(actor, permission)`; routes only decide what to render. Documented in README.
 */
export const ROLES = ['admin', 'triage', 'caseworker', 'analyst', 'campaigns', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  'report:read': 'Read reports and referrals in the inbox (own or shared agency)',
  'report:triage': 'Set urgency, grade, sanitise, assign, share, link and close reports',
  'report:message': 'Send follow-up questions to an anonymous reporter',
  'report:export': 'Export inbox rows as CSV',
  'case:read': 'Read cases for people at risk (own or shared agency)',
  'case:write': 'Open and update cases, add notes, missing episodes and tasks',
  'case:export': 'Export a case summary PDF',
  'intel:read': 'See entities, the deal-line register, network and map views',
  'intel:write': 'Edit the deal-line register and accept or reject suggestions',
  'intel:export': 'Export GraphML, GEXF, CSV and GeoJSON',
  'live:manage': 'Create and present live awareness sessions',
  'campaign:read': 'See campaign reach and aggregate results',
  'user:manage': "Manage users of the admin's own agency and end their sessions",
  'audit:read': 'Search the audit log',
  'retention:review': 'Work the retention review queue',
  'retention:delete': 'Delete records at the end of retention (leaves an audited tombstone)',
} as const;
export type Permission = keyof typeof PERMISSIONS;

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: ['user:manage', 'audit:read', 'retention:review', 'retention:delete', 'report:read', 'case:read', 'intel:read', 'campaign:read'],
  triage: ['report:read', 'report:triage', 'report:message', 'report:export', 'case:read', 'intel:read'],
  caseworker: ['report:read', 'report:message', 'case:read', 'case:write', 'case:export', 'intel:read'],
  analyst: ['report:read', 'case:read', 'intel:read', 'intel:write', 'intel:export'],
  campaigns: ['live:manage', 'campaign:read'],
  viewer: ['report:read', 'case:read', 'intel:read'],
};

export function permissionsFor(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r]));
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
