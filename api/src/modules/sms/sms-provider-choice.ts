import type { Logger } from '../../infra/logging/logger.js';
import type { TrackingSettings } from '../shipments/tracking-settings.js';
import { HttpSmsProvider } from './http-sms-provider.js';
import { RecordingSmsProvider } from './recording-sms-provider.js';
import type { SmsProvider } from './sms-provider.js';

/** The provider the settings name: the recording default, or the HTTP gateway. */
export function smsProviderFor(settings: TrackingSettings, logger: Logger): SmsProvider {
  if (settings.smsProvider === 'http')
    return new HttpSmsProvider({ url: settings.smsHttpUrl!, apiKey: settings.smsHttpKey });
  return new RecordingSmsProvider({ logger, printToConsole: settings.smsPrintCodes });
}
