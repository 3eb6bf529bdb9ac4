import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { markdownMessage, textMessage } from '../../../api/src/domain/wecom/wecom-message.js';
import type { WecomSender } from '../../../api/src/modules/wecom/wecom-sender.js';
import { freePort } from '../../support/free-port.js';
import { type RecordingServer, startRecordingServer } from '../../support/recording-server.js';

/**
 * What every `WecomSender` must do, checked against a real HTTP server standing in for the
 * group robot. `makeSender` receives the request timeout the contract needs.
 */
export function describeWecomSenderContract(
  name: string,
  makeSender: (options: { timeoutMs: number }) => WecomSender,
): void {
  describe(`WecomSender contract: ${name}`, () => {
    let server: RecordingServer;
    let sender: WecomSender;
    const key = 'robot-key-7f3a';
    const webhook = () => `${server.url}/cgi-bin/webhook/send?key=${key}`;
    const message = textMessage('订单 TB-1001 超时未发货，请跟进', { mentionedMobiles: ['13812345678'] });

    beforeAll(async () => {
      server = await startRecordingServer();
      // Long enough for a first request on a busy machine, well short of the 2 s slow robot.
      sender = makeSender({ timeoutMs: 1000 });
    });
    afterAll(() => server.close());
    beforeEach(() => server.reset());

    it('posts the message as JSON in the group-robot format and succeeds on errcode 0', async () => {
      const markdown = markdownMessage('## 标题\n> 内容');
      await expect(sender.send(webhook(), markdown)).resolves.toEqual({ ok: true });
      expect(server.requests).toHaveLength(1);
      const [request] = server.requests;
      expect(request.method).toBe('POST');
      expect(request.path).toBe(`/cgi-bin/webhook/send?key=${key}`);
      expect(request.headers['content-type']).toMatch(/^application\/json/);
      expect(request.body).toEqual({ msgtype: 'markdown', markdown: { content: '## 标题\n> 内容' } });
    });

    it('sends text with the mobiles to remind', async () => {
      await sender.send(webhook(), message);
      expect(server.requests[0].body).toEqual({
        msgtype: 'text',
        text: { content: '订单 TB-1001 超时未发货，请跟进', mentioned_mobile_list: ['13812345678'] },
      });
    });

    it.each([
      ['system busy (errcode -1)', { body: { errcode: -1, errmsg: 'system busy' } }],
      ['rate limited (errcode 45009)', { body: { errcode: 45009, errmsg: 'api freq out of limit' } }],
      ['HTTP 500', { status: 500, body: 'internal error' }],
      ['HTTP 502', { status: 502, body: 'bad gateway' }],
      ['HTTP 429', { status: 429, body: 'slow down' }],
      ['a 200 that is not a WeCom answer', { status: 200, body: '<html>proxy</html>' }],
    ])('answers a retryable failure on %s', async (_label, response) => {
      server.script([response]);
      const outcome = await sender.send(webhook(), message);
      expect(outcome).toMatchObject({ ok: false, retryable: true });
    });

    it.each([
      ['invalid webhook (errcode 93000)', { body: { errcode: 93000, errmsg: 'invalid webhook url' } }],
      ['bad message (errcode 40008)', { body: { errcode: 40008, errmsg: 'invalid message type' } }],
      ['an unknown errcode', { body: { errcode: 12345, errmsg: 'something' } }],
      ['HTTP 404', { status: 404, body: 'not found' }],
      ['HTTP 400', { status: 400, body: 'bad request' }],
    ])('answers a permanent failure on %s', async (_label, response) => {
      server.script([response]);
      const outcome = await sender.send(webhook(), message);
      expect(outcome).toMatchObject({ ok: false, retryable: false });
    });

    it('gives up on a robot that does not answer in time, as retryable', async () => {
      server.script([{ delayMs: 2000 }]);
      const started = Date.now();
      const outcome = await sender.send(webhook(), message);
      expect(Date.now() - started).toBeLessThan(1900);
      expect(outcome).toMatchObject({ ok: false, retryable: true });
    });

    it('treats an unreachable robot as retryable', async () => {
      const port = await freePort();
      const outcome = await sender.send(`http://127.0.0.1:${port}/cgi-bin/webhook/send?key=${key}`, message);
      expect(outcome).toMatchObject({ ok: false, retryable: true });
    });

    it('refuses a webhook that is not an http(s) URL without a request', async () => {
      expect(await sender.send('not a url', message)).toMatchObject({ ok: false, retryable: false });
      expect(await sender.send('ftp://example.com/x', message)).toMatchObject({
        ok: false,
        retryable: false,
      });
      expect(server.requests).toHaveLength(0);
    });

    it('never puts the robot key or the content in its error text', async () => {
      const answers = [
        { body: { errcode: 45009, errmsg: 'api freq out of limit' } },
        { status: 500, body: 'oops' },
        { delayMs: 2000 },
      ];
      server.script(answers);
      for (let i = 0; i < answers.length; i++) {
        const outcome = await sender.send(webhook(), message);
        expect(outcome.ok).toBe(false);
        const error = outcome.ok ? '' : outcome.error;
        expect(error).not.toContain(key);
        expect(error).not.toContain('TB-1001');
        expect(error).not.toContain('13812345678');
      }
    });
  });
}
