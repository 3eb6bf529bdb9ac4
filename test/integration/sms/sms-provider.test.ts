import { HttpSmsProvider } from '../../../api/src/modules/sms/http-sms-provider.js';
import { RecordingSmsProvider } from '../../../api/src/modules/sms/recording-sms-provider.js';
import { startRecordingServer } from '../../support/recording-server.js';
import { smsProviderContract } from './sms-provider-contract.js';

smsProviderContract('recording (default)', async () => {
  const lines: string[] = [];
  const provider = new RecordingSmsProvider({ printToConsole: true, write: (l) => lines.push(l) });
  return {
    provider,
    async received() {
      // The console shows the masked phone only.
      for (const line of lines) if (line.includes('13800138000')) throw new Error('phone printed in clear');
      return provider.sent.map((m) => ({
        phone: m.phone,
        templateCode: m.templateCode,
        params: { ...m.params },
      }));
    },
    async close() {},
  };
});

smsProviderContract('http gateway', async () => {
  const OK = { status: 200, body: { Code: 'OK', BizId: 'biz-1', Message: 'OK' } };
  const server = await startRecordingServer([], OK);
  const provider = new HttpSmsProvider({
    url: `${server.url}/sms/send`,
    apiKey: 'test-key',
    timeoutMs: 2000,
  });
  return {
    provider,
    async received() {
      return server.requests.map((r) => {
        const body = r.body as { PhoneNumbers: string; TemplateCode: string; TemplateParam: string };
        if (r.headers.authorization !== 'Bearer test-key') throw new Error('no API key sent');
        return {
          phone: body.PhoneNumbers,
          templateCode: body.TemplateCode,
          params: JSON.parse(body.TemplateParam),
        };
      });
    },
    failNext(how) {
      server.script(
        [
          how === 'UNAVAILABLE'
            ? { status: 503, body: 'busy' }
            : how === 'REFUSED'
              ? { status: 200, body: { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: 'bad number' } }
              : { delayMs: 5000, ...OK },
        ],
        OK,
      );
    },
    close: () => server.close(),
  };
});
