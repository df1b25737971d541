import type { Logger } from 'pino';

/** Port for sending SMS. Replace it (e.g. in a plugin) with a real gateway. */
export interface SmsSender {
  /** Sends a login code. `mobile` is as the user typed it (validated). */
  sendLoginCode(mobile: string, code: string): Promise<void>;
}

/**
 * Writes codes to the server log — only in demo mode; otherwise logs that a code was sent but
 * not the code, so a production log never holds a usable credential.
 */
export class ConsoleSmsSender implements SmsSender {
  constructor(
    private readonly logger: Logger,
    private readonly revealCodes: boolean,
  ) {}

  async sendLoginCode(mobile: string, code: string): Promise<void> {
    if (this.revealCodes) {
      // The field is deliberately not named `code`, which the logger redacts.
      this.logger.warn({ mobile, smsLoginCode: code }, 'demo SMS sender: login code (configure a real SMS sender)');
    } else {
      this.logger.warn({ mobile }, 'no SMS sender configured: a login code was generated but not delivered');
    }
  }
}
