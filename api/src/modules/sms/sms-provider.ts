/** One SMS as a gateway sends it: a signed template and its parameters. */
export interface SmsSend {
  /** Our id of the message (`sms_message.id`); gateways that accept one use it to de-duplicate. */
  messageId: string;
  /** The phone, in clear: only the provider sees it. */
  phone: string;
  /** The gateway's template code. */
  templateCode: string;
  params: Readonly<Record<string, string>>;
  /** The rendered text, for providers that record rather than send. */
  text: string;
}

export type SmsOutcome =
  | { ok: true; providerMessageId: string }
  | { ok: false; error: string; retryable: boolean };

/**
 * Sends one SMS. Implementations never throw for a delivery failure and never put the phone or
 * the text into an error message (errors reach the outbox and the log).
 */
export interface SmsProvider {
  readonly name: string;
  send(message: SmsSend): Promise<SmsOutcome>;
}
