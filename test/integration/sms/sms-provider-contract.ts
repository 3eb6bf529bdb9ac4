import { describe, expect, it } from 'vitest';
import type { SmsProvider, SmsSend } from '../../../api/src/modules/sms/sms-provider.js';

export interface SmsProviderHarness {
  provider: SmsProvider;
  /** What the far side received, as (phone, template code, params), oldest first. */
  received(): Promise<Array<{ phone: string; templateCode: string; params: Record<string, string> }>>;
  /** Makes the next send fail the given way, or says it cannot (null) and the case is skipped. */
  failNext?(how: 'UNAVAILABLE' | 'REFUSED' | 'HANGS'): void;
}

const message = (n: number, over: Partial<SmsSend> = {}): SmsSend => ({
  messageId: `00000000-0000-4000-8000-00000000000${n}`,
  phone: '13800138000',
  templateCode: 'SMS_STALL_NOTICE',
  params: {
    orderNo: `TB${n}`,
    carrier: '中通快递',
    waybillNo: `ZT${n}`,
    reason: '物流信息已超过24小时没有更新',
  },
  text: `订单TB${n}物流信息已超过24小时没有更新`,
  ...over,
});

/** What every SMS provider must do; run against each implementation. */
export function smsProviderContract(
  name: string,
  open: () => Promise<SmsProviderHarness & { close(): Promise<void> }>,
) {
  describe(`SMS provider contract: ${name}`, () => {
    it('sends a template with its parameters and answers a provider message id', async () => {
      const h = await open();
      try {
        const outcome = await h.provider.send(message(1));
        expect(outcome.ok).toBe(true);
        if (outcome.ok) expect(outcome.providerMessageId).not.toBe('');
        expect(await h.received()).toEqual([
          { phone: '13800138000', templateCode: 'SMS_STALL_NOTICE', params: message(1).params },
        ]);
      } finally {
        await h.close();
      }
    });

    it('keeps messages apart and in order', async () => {
      const h = await open();
      try {
        for (const n of [1, 2, 3]) expect((await h.provider.send(message(n))).ok).toBe(true);
        expect((await h.received()).map((r) => r.params.orderNo)).toEqual(['TB1', 'TB2', 'TB3']);
      } finally {
        await h.close();
      }
    });

    it('answers a failure instead of throwing, retryable or not, with no phone in the error', async () => {
      const h = await open();
      try {
        if (!h.failNext) {
          console.info(`${name}: no far side to fail; failure cases do not apply`);
          return;
        }
        for (const [how, retryable] of [
          ['UNAVAILABLE', true],
          ['REFUSED', false],
          ['HANGS', true],
        ] as const) {
          h.failNext(how);
          const outcome = await h.provider.send(message(4));
          expect(outcome).toMatchObject({ ok: false, retryable });
          if (!outcome.ok) expect(outcome.error).not.toContain('13800138000');
        }
      } finally {
        await h.close();
      }
    });
  });
}
