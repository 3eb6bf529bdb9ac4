import { buildDigest } from '../../domain/wecom/wecom-digest.js';
import type { OutboxEntry } from '../../infra/outbox/outbox.js';
import { wecomOutboxEntry } from '../wecom/wecom-outbox.js';
import type { SlaReminder } from './sla-sweep.types.js';

/**
 * A batch's WeCom reminders as outbox entries: per robot and purpose, in the batch's order, cut
 * into digests as large as one WeCom message holds (`buildDigest`), one outbox row each instead
 * of one per order. A reminder is sent only when the history row of its level is new
 * (`isNew(orderId, historyKey)`): a level judged again — by a sweep that found the stored level
 * reset, or a second sweep on the same order — reminds nobody twice.
 *
 * A digest of one reminder is that reminder's message under its own key, as if sent alone; a
 * digest of several names its orders (`orderIds`) and is keyed by its first reminder's key and
 * its size, both fixed by the history rows inserted with it.
 */
export function reminderDigests(
  reminders: readonly SlaReminder[],
  isNew: (orderId: string, historyKey: string) => boolean,
): OutboxEntry[] {
  const byRobot = new Map<string, SlaReminder[]>();
  for (const reminder of reminders) {
    if (!isNew(reminder.orderId, reminder.historyKey)) continue;
    const key = `${reminder.purpose} ${reminder.webhookUrl}`;
    const list = byRobot.get(key);
    if (list) list.push(reminder);
    else byRobot.set(key, [reminder]);
  }
  const entries: OutboxEntry[] = [];
  for (const list of byRobot.values()) {
    for (let from = 0; from < list.length; ) {
      // More than a digest ever holds (2,048 bytes of lines of 100 or more).
      const rest = list.slice(from, from + 40);
      const digest = buildDigest(rest.map((r) => r.message));
      const carried = rest.slice(0, digest.included);
      const first = carried[0];
      entries.push(
        wecomOutboxEntry({
          webhookUrl: first.webhookUrl,
          message: digest.message,
          purpose: first.purpose,
          ...(carried.length === 1
            ? { dedupeKey: first.dedupeKey, orderId: first.orderId }
            : {
                dedupeKey: `${first.dedupeKey}+${carried.length}`,
                orderIds: carried.map((r) => r.orderId),
              }),
        }),
      );
      from += digest.included;
    }
  }
  return entries;
}
