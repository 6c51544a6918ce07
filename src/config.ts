/**
 * Configuration from the environment: parsed once at start-up, validated, frozen.
 * Every variable is documented in .env.example. In production a missing secret stops start-up
 * with a message naming the variable; elsewhere a fixed development value is used and said so.
 */
import { z } from 'zod';

const DEV_SECRET = 'development-only-secret-do-not-use-in-production-0000';
// 32 bytes, base64: the development data-encryption key (never valid in production).
const DEV_MASTER_KEY = 'ZGV2ZWxvcG1lbnQtb25seS1tYXN0ZXIta2V5LTMyYiE=';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Public base URL, used in links printed by the CLI (set-up links, QR codes). */
  BASE_URL: z.url().optional(),
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  LOOKOUT_DATA_DIR: z.string().min(1).default('./data'),
  /** Signs session cookies, CSRF tokens and receipt lookups. */
  SESSION_SECRET: z.string().min(32).optional(),
  /** Base64 32-byte key-encryption keys: the current one first, older ones after, comma separated. */
  MASTER_KEYS: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FILE: z.string().min(1).optional(),
  TRUST_PROXY: bool.default(false),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  UPLOAD_LIMIT_BYTES: z.coerce.number().int().min(1024).default(10_485_760),
  RATE_LIMIT_PUBLIC_POSTS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  SEED_DEMO: bool.default(true),
  SMTP_URL: z.string().min(1).optional(),
  SMTP_FROM: z.string().min(3).default('lookout@example.org'),
  JOBS_ENABLED: bool.default(true),
  // Worker loops per instance. Above 1 only helps on PostgreSQL (PGlite is one connection).
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
});

export type Env = z.infer<typeof schema>;

export interface Config {
  readonly env: Env['NODE_ENV'];
  readonly production: boolean;
  readonly port: number;
  readonly host: string;
  readonly baseUrl: string;
  readonly databaseUrl: string | undefined;
  readonly databasePoolSize: number;
  readonly dataDir: string;
  /** True when run against an in-memory PGlite (tests only; never from the environment). */
  readonly memoryDb: boolean;
  readonly sessionSecret: string;
  readonly masterKeys: readonly string[];
  readonly logLevel: Env['LOG_LEVEL'];
  readonly logFile: string | undefined;
  readonly trustProxy: boolean;
  readonly bodyLimit: number;
  readonly uploadLimit: number;
  readonly publicPostsPerMinute: number;
  readonly seedDemo: boolean;
  readonly smtpUrl: string | undefined;
  readonly smtpFrom: string;
  readonly jobsEnabled: boolean;
  readonly jobsConcurrency: number;
  /** Development fallbacks in use, named so start-up can say so. */
  readonly insecureDefaults: readonly string[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses and validates the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const missing: string[] = [];
  const insecure: string[] = [];
  if (!e.SESSION_SECRET) (production ? missing : insecure).push('SESSION_SECRET');
  if (!e.MASTER_KEYS) (production ? missing : insecure).push('MASTER_KEYS');
  if (production && !e.BASE_URL) missing.push('BASE_URL');
  if (missing.length) {
    throw new ConfigError(
      `Missing required secret${missing.length > 1 ? 's' : ''} in production: ${missing.join(', ')}. ` +
        'Set them in the environment (see .env.example).',
    );
  }
  const masterKeys = (e.MASTER_KEYS ?? DEV_MASTER_KEY).split(',').map((k) => k.trim());
  for (const [i, k] of masterKeys.entries()) {
    if (Buffer.from(k, 'base64').length !== 32) {
      throw new ConfigError(`Invalid configuration:\n  MASTER_KEYS: key ${i + 1} must be 32 bytes encoded in base64`);
    }
  }
  const config: Config = {
    env: e.NODE_ENV,
    production,
    port: e.PORT,
    host: e.HOST,
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir: e.LOOKOUT_DATA_DIR,
    memoryDb: false,
    sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
    masterKeys,
    logLevel: e.LOG_LEVEL,
    logFile: e.LOG_FILE,
    trustProxy: e.TRUST_PROXY,
    bodyLimit: e.BODY_LIMIT_BYTES,
    uploadLimit: e.UPLOAD_LIMIT_BYTES,
    publicPostsPerMinute: e.RATE_LIMIT_PUBLIC_POSTS_PER_MINUTE,
    seedDemo: e.SEED_DEMO,
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM,
    jobsEnabled: e.JOBS_ENABLED,
    jobsConcurrency: e.JOBS_CONCURRENCY,
    insecureDefaults: insecure,
    ...overrides,
  };
  return Object.freeze(config);
}
