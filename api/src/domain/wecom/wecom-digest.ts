import {
  utf8Length,
  WECOM_MARKDOWN_MAX_BYTES,
  WECOM_TEXT_MAX_BYTES,
  type WecomMessage,
} from './wecom-message.js';

/**
 * Several text messages due for one group robot at once, as one digest message: a WeCom robot takes
 * 20 messages a minute, so 2,000 separate reminders would take 100 minutes and drown the group.
 *
 * The digest starts with the messages' common title (the leading 【…】 tag, e.g. 【订单超时提醒】)
 * and the count, then one numbered line per message. When any message mentions someone, the digest
 * is a text message (WeCom mentions by mobile only in text, at most 2,048 bytes) mentioning all of
 * them; otherwise markdown (4,096 bytes). It takes messages in order while they fit; `included`
 * says how many, and the rest wait for the next digest. A message too long to share a digest is
 * sent alone, as it was written.
 */
export interface Digest {
  message: WecomMessage;
  /** The first `included` messages are in it. */
  included: number;
}

const TITLE = /^【[^】]{1,20}】/;

export function buildDigest(all: readonly WecomMessage[]): Digest {
  if (all.length === 0) throw new RangeError('a digest needs at least one message');
  // Reminders and notices are text; alerts written as markdown keep their layout and go alone.
  const run = all.findIndex((m) => m.msgtype !== 'text');
  const messages = run === -1 ? all : all.slice(0, run);
  if (messages.length <= 1) return { message: all[0], included: 1 };
  const mentions = (m: WecomMessage) => (m.msgtype === 'text' ? (m.text.mentioned_mobile_list ?? []) : []);
  const anyMention = messages.some((m) => mentions(m).length > 0);
  const limit = anyMention ? WECOM_TEXT_MAX_BYTES : WECOM_MARKDOWN_MAX_BYTES;
  const contents = messages.map(contentOf);
  const title = commonTitle(contents);
  const lines: string[] = [];
  // The count in the header may grow by a digit or two; reserve room for it.
  const headerBytes = (n: number) => utf8Length(header(title, n, !anyMention)) + 4;
  let bytes = 0;
  for (const content of contents) {
    const line = `${lines.length + 1}. ${content.replace(TITLE, '').trim()}`;
    const size = utf8Length(line) + 1;
    if (headerBytes(lines.length + 1) + bytes + size > limit) break;
    lines.push(line);
    bytes += size;
  }
  if (lines.length < 2) return { message: messages[0], included: 1 };
  const content = [header(title, lines.length, !anyMention), ...lines].join('\n');
  if (!anyMention) return { message: { msgtype: 'markdown', markdown: { content } }, included: lines.length };
  const mobiles = [...new Set(messages.slice(0, lines.length).flatMap(mentions))];
  return {
    message: { msgtype: 'text', text: { content, mentioned_mobile_list: mobiles } },
    included: lines.length,
  };
}

function header(title: string, count: number, markdown: boolean): string {
  return markdown ? `**${title}共 ${count} 条**` : `${title}共 ${count} 条`;
}

function contentOf(message: WecomMessage): string {
  return message.msgtype === 'text' ? message.text.content : message.markdown.content;
}

/** The 【…】 tag every message starts with, or 【消息汇总】 when they differ. */
function commonTitle(contents: readonly string[]): string {
  const first = TITLE.exec(contents[0])?.[0];
  return first && contents.every((c) => c.startsWith(first)) ? first : '【消息汇总】';
}
