import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKuaidi100Subscriber } from '../../../api/src/modules/shipments/kuaidi100-client.js';
import { type RecordingServer, startRecordingServer } from '../../support/recording-server.js';

let server: RecordingServer;
const OK = { status: 200, body: { result: true, returnCode: '200', message: '提交成功' } };

beforeAll(async () => {
  server = await startRecordingServer([], OK);
});
afterAll(async () => {
  await server?.close();
});

const subscriber = () =>
  new HttpKuaidi100Subscriber({
    pollUrl: `${server.url}/poll`,
    key: 'test-key',
    salt: 'test-salt-1',
    timeoutMs: 2000,
  });
const input = {
  carrier: 'zhongtong',
  waybillNo: 'ZT77001',
  callbackUrl: 'https://ops.example.com/webhooks/kuaidi100?order=abc',
};

describe('Kuaidi100 poll subscription client', () => {
  it('posts schema=json and param with company, number, key, callback, salt and resultv2', async () => {
    server.reset();
    expect(await subscriber().subscribe(input)).toEqual({ ok: true });
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/poll');
    expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded');
    const form = new URLSearchParams(request.rawBody);
    expect(form.get('schema')).toBe('json');
    expect(JSON.parse(form.get('param')!)).toEqual({
      company: 'zhongtong',
      number: 'ZT77001',
      key: 'test-key',
      parameters: { callbackurl: input.callbackUrl, salt: 'test-salt-1', resultv2: '1' },
    });
  });

  it('takes "already subscribed" (501) as done; retries server trouble and timeouts; not bad input', async () => {
    server.reset();
    server.script(
      [
        { body: { result: false, returnCode: '501', message: '重复订阅' } },
        { status: 502, body: 'bad gateway' },
        { delayMs: 5000, ...OK },
        { body: { result: false, returnCode: '700', message: '参数错误' } },
        { body: { result: false, returnCode: '500', message: '服务器错误' } },
      ],
      OK,
    );
    const s = subscriber();
    expect(await s.subscribe(input)).toEqual({ ok: true });
    expect(await s.subscribe(input)).toMatchObject({ ok: false, retryable: true });
    expect(await s.subscribe(input)).toMatchObject({
      ok: false,
      retryable: true,
      error: expect.stringContaining('2000 ms'),
    });
    expect(await s.subscribe(input)).toMatchObject({
      ok: false,
      retryable: false,
      error: expect.stringContaining('700'),
    });
    expect(await s.subscribe(input)).toMatchObject({ ok: false, retryable: true });
  });
});
