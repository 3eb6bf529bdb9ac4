import { maskPhone } from '../../domain/privacy/mask.js';
import type { Logger } from '../../infra/logging/logger.js';
import type { SmsOutcome, SmsProvider, SmsSend } from './sms-provider.js';

export interface RecordingSmsProviderOptions {
  logger?: Logger;
  /**
   * Also print each message to the console (phone masked, text in full, so a login code can be
   * read): how someone trying the platform locally signs in on the tracking site. @default false
   */
  printToConsole?: boolean;
  write?: (line: string) => void;
}

/**
 * The default provider: sends nothing, keeps what it would have sent. Staff read the messages
 * with the `smsMessages` query (the platform records every SMS in `sms_message`); the log line
 * names the template and the masked phone only.
 */
export class RecordingSmsProvider implements SmsProvider {
  readonly name = 'recording';
  /** Everything sent through this instance, newest last. */
  readonly sent: SmsSend[] = [];
  private seq = 0;

  constructor(private readonly options: RecordingSmsProviderOptions = {}) {}

  async send(message: SmsSend): Promise<SmsOutcome> {
    // A mainland mobile as its 11 digits, or a number elsewhere as E.164 (+852…).
    if (!/^(?:1\d{10}|\+[1-9]\d{6,14})$/.test(message.phone))
      return { ok: false, error: 'not a mobile number', retryable: false };
    this.sent.push(message);
    this.seq += 1;
    const masked = maskPhone(message.phone);
    this.options.logger?.info({ sms: message.templateCode, to: masked }, 'SMS recorded (not sent)');
    if (this.options.printToConsole)
      (this.options.write ?? ((l) => process.stdout.write(l)))(`\n  SMS to ${masked}: ${message.text}\n`);
    return { ok: true, providerMessageId: `recorded-${message.messageId}` };
  }
}
