/**
 * Outgoing email (nodemailer over SMTP), created once from config.smtpUrl by the platform and
 * closed on shutdown. Without SMTP_URL the mailer is disabled and callers notify in the app only.
 *
 * Privacy: callers send notices that carry references, counts and due times, never protected
 * content. Nothing here logs an address, and a failure is reported as a MailError whose message
 * names only the kind of failure (nodemailer's own messages can quote rejected recipients).
 */
import nodemailer from 'nodemailer';
import type { Config } from './config.ts';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface Mailer {
  /** False when SMTP_URL is not set: send() then rejects, so check this first. */
  readonly enabled: boolean;
  /** Sends one message; rejects with a MailError that never contains an address. */
  send(mail: OutgoingMail): Promise<void>;
  /** Closes pooled SMTP connections (container shutdown). */
  close(): void;
}

/** A send failure described without the recipient, the message or the server's reply text. */
export class MailError extends Error {
  override name = 'MailError';
  constructor(
    /** nodemailer's error code (ECONNECTION, ETIMEDOUT, EAUTH, EENVELOPE, ...) or 'EUNKNOWN'. */
    readonly errorCode: string,
    /** The SMTP reply code when the server answered (e.g. 550). */
    readonly responseCode: number | undefined,
  ) {
    super(`email not sent: ${errorCode}${responseCode ? ` (SMTP ${responseCode})` : ''}`);
  }
}

function mailErrorOf(err: unknown): MailError {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown };
  const code = typeof e.code === 'string' && /^[A-Z_]{2,32}$/.test(e.code) ? e.code : 'EUNKNOWN';
  return new MailError(code, typeof e.responseCode === 'number' ? e.responseCode : undefined);
}

export interface MailerOptions {
  /** Milliseconds to wait for the connection, the greeting and each reply (default 10 seconds). */
  timeoutMs?: number;
}

export function createMailer(config: Pick<Config, 'smtpUrl' | 'smtpFrom'>, opts: MailerOptions = {}): Mailer {
  const url = config.smtpUrl;
  if (!url) {
    return {
      enabled: false,
      send: () => Promise.reject(new MailError('ENOTCONFIGURED', undefined)),
      close: () => undefined,
    };
  }
  const timeout = opts.timeoutMs ?? 10_000;
  // A small pool: one overdue run can send a message to each of many owners.
  const transport = nodemailer.createTransport(
    {
      url,
      pool: true,
      maxConnections: 2,
      idleTimeout: 60_000,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 3,
      disableFileAccess: true,
      disableUrlAccess: true,
    },
    { from: config.smtpFrom },
  );
  return {
    enabled: true,
    async send(mail) {
      try {
        await transport.sendMail({ to: mail.to, subject: mail.subject, text: mail.text });
      } catch (err) {
        throw mailErrorOf(err);
      }
    },
    close() {
      transport.close();
    },
  };
}
