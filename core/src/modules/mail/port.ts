import { and, desc, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { createTransport } from 'nodemailer';
import type { Db } from '../../db/database.js';
import { devMail, type DevMailRow } from './schema.js';

/** One plain-text message to one person. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The recipient's tenant (the dev sink shows a tenant's admins only their tenant's mail). */
  tenantId?: string | null;
}

/** How a message left: through an SMTP server, into the dev sink, or not at all. */
export type MailTransport = 'smtp' | 'dev-sink' | 'console' | 'none';

/**
 * Port for outgoing mail (new agents' passwords, ADM-08/13). `send` resolves once the message
 * is handed over (`delivered: false` when no transport is configured) and rejects when the
 * transport refused it, so a caller can tell the admin.
 */
export interface MailPort {
  readonly transport: MailTransport;
  send(message: MailMessage): Promise<{ delivered: boolean }>;
}

/** Mail through an SMTP server (`SMTP_URL`), with nodemailer. */
export class SmtpMailPort implements MailPort {
  readonly transport = 'smtp' as const;
  private readonly mailer: ReturnType<typeof createTransport>;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    // Bounded: an SMTP server that never answers must not hold an admin's request for minutes.
    this.mailer = createTransport({
      url: smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async send(message: MailMessage): Promise<{ delivered: boolean }> {
    await this.mailer.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text });
    return { delivered: true };
  }

  /** Closes pooled connections (none by default; kept for symmetry with shutdown). */
  close(): void {
    this.mailer.close();
  }
}

/**
 * Demo mode without SMTP: messages are kept in the database (they survive a restart and are
 * shared by instances) and logged, so a newcomer can read a new agent's password in the
 * console. Holds passwords in clear text, hence demo mode only.
 */
export class DevMailSink implements MailPort {
  readonly transport = 'dev-sink' as const;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  async send(message: MailMessage): Promise<{ delivered: boolean }> {
    await this.db.insert(devMail).values({
      tenantId: message.tenantId ?? null,
      to: message.to.toLowerCase(),
      subject: message.subject,
      text: message.text,
    });
    this.logger.warn(
      { to: message.to, subject: message.subject, devMailText: message.text },
      'dev mail sink: message kept (set SMTP_URL to send mail); read it at GET /api/v1/dev/mail',
    );
    return { delivered: true };
  }

  /** The newest messages to a tenant's people (the dev sink's reader). */
  async list(tenantId: string, opts: { to?: string | undefined; limit: number }): Promise<DevMailRow[]> {
    return this.db
      .select()
      .from(devMail)
      .where(and(eq(devMail.tenantId, tenantId), opts.to ? eq(devMail.to, opts.to.toLowerCase()) : undefined))
      .orderBy(desc(devMail.createdAt))
      .limit(opts.limit);
  }
}

/** No transport (production without `SMTP_URL`): logs that mail was not sent, never its body. */
export class UndeliveredMail implements MailPort {
  readonly transport = 'none' as const;

  constructor(private readonly logger: Logger) {}

  async send(message: MailMessage): Promise<{ delivered: boolean }> {
    this.logger.warn(
      { to: message.to, subject: message.subject },
      'no mail transport configured (set SMTP_URL): a message was not delivered',
    );
    return { delivered: false };
  }
}

/** Writes whole messages to a stream: the tenant CLI's transport when no SMTP server is set. */
export class ConsoleMail implements MailPort {
  readonly transport = 'console' as const;

  constructor(private readonly write: (text: string) => void) {}

  async send(message: MailMessage): Promise<{ delivered: boolean }> {
    this.write(`--- mail to ${message.to}: ${message.subject}\n${message.text}\n---\n`);
    return { delivered: true };
  }
}

/**
 * The mail port the configuration asks for: SMTP when `SMTP_URL` is set, else the dev sink in
 * demo mode, else none.
 */
export function mailPortFor(
  config: { mail: { smtpUrl?: string | undefined; from: string }; demo: { enabled: boolean } },
  db: Db,
  logger: Logger,
): MailPort {
  if (config.mail.smtpUrl) return new SmtpMailPort(config.mail.smtpUrl, config.mail.from);
  if (config.demo.enabled) return new DevMailSink(db, logger);
  return new UndeliveredMail(logger);
}
