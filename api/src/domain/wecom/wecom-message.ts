import { fail, ok, type Result } from '../shared/result.js';

/**
 * Payloads for a WeCom group robot (`POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`),
 * in WeCom's own field names. WeCom rejects content over its byte limits (errcode 40058), so the
 * builders cut long content on a character boundary and end it with "…" instead.
 */
export interface WecomTextMessage {
  msgtype: 'text';
  text: {
    content: string;
    /** Mobiles of group members to @; `@all` reminds everyone. */
    mentioned_mobile_list?: string[];
  };
}

export interface WecomMarkdownMessage {
  msgtype: 'markdown';
  markdown: { content: string };
}

export type WecomMessage = WecomTextMessage | WecomMarkdownMessage;

/** WeCom's limits on `content`, in UTF-8 bytes. */
export const WECOM_TEXT_MAX_BYTES = 2048;
export const WECOM_MARKDOWN_MAX_BYTES = 4096;

const ELLIPSIS = '…';

export function textMessage(
  content: string,
  options: { mentionedMobiles?: string[] } = {},
): WecomTextMessage {
  const mobiles = [...new Set((options.mentionedMobiles ?? []).map((m) => m.trim()).filter((m) => m !== ''))];
  return {
    msgtype: 'text',
    text: {
      content: truncateUtf8(requireContent(content), WECOM_TEXT_MAX_BYTES),
      ...(mobiles.length > 0 ? { mentioned_mobile_list: mobiles } : {}),
    },
  };
}

export function markdownMessage(content: string): WecomMarkdownMessage {
  return {
    msgtype: 'markdown',
    markdown: { content: truncateUtf8(requireContent(content), WECOM_MARKDOWN_MAX_BYTES) },
  };
}

/** WeCom answers empty content with errcode 44004, a failure no retry can mend: refuse it here. */
function requireContent(content: string): string {
  if (content.trim() === '') throw new RangeError('WeCom message content must not be empty');
  return content;
}

/**
 * `text` unchanged when it fits in `maxBytes` of UTF-8; otherwise the longest prefix of whole
 * user-perceived characters (an emoji with its modifiers stays whole) that fits with "…" added.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  const budget = maxBytes - utf8Length(ELLIPSIS);
  let used = 0;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    const size = utf8Length(segment);
    if (used + size > budget) break;
    used += size;
    kept += segment;
  }
  return kept + ELLIPSIS;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Bytes `text` takes in UTF-8; a lone surrogate counts as the 3-byte replacement character. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

export type WecomErrorKind =
  | 'SYSTEM_BUSY'
  | 'RATE_LIMITED'
  | 'INVALID_WEBHOOK'
  | 'INVALID_MESSAGE'
  | 'UNKNOWN'
  | 'MALFORMED_RESPONSE';

export interface WecomError {
  kind: WecomErrorKind;
  /** WeCom's errcode; `null` when the answer was not a WeCom answer at all. */
  errcode: number | null;
  errmsg: string;
  /** Whether sending the same message again later can succeed. */
  retryable: boolean;
}

/** The errcodes a group robot gives in practice; anything else is `UNKNOWN` and not retried. */
const KNOWN_ERRORS: ReadonlyMap<number, Pick<WecomError, 'kind' | 'retryable'>> = new Map([
  [-1, { kind: 'SYSTEM_BUSY', retryable: true }],
  // At most 20 messages a minute per robot.
  [45009, { kind: 'RATE_LIMITED', retryable: true }],
  // Wrong key, or the robot was removed from its group.
  [93000, { kind: 'INVALID_WEBHOOK', retryable: false }],
  [40008, { kind: 'INVALID_MESSAGE', retryable: false }],
  [40058, { kind: 'INVALID_MESSAGE', retryable: false }],
  [44004, { kind: 'INVALID_MESSAGE', retryable: false }],
]);

/**
 * Reads the body WeCom answered with (parsed JSON, or its text). `errcode` 0 is success; a body
 * without a numeric `errcode` is not from WeCom (a proxy's error page, say) and may be retried.
 */
export function parseWecomResponse(body: unknown): Result<null, WecomError> {
  const parsed = typeof body === 'string' ? parseJson(body) : body;
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as Record<string, unknown>).errcode !== 'number'
  ) {
    return fail({
      kind: 'MALFORMED_RESPONSE',
      errcode: null,
      errmsg: 'response has no numeric errcode',
      retryable: true,
    });
  }
  const { errcode, errmsg } = parsed as { errcode: number; errmsg?: unknown };
  if (errcode === 0) return ok(null);
  const known = KNOWN_ERRORS.get(errcode) ?? { kind: 'UNKNOWN', retryable: false };
  return fail({ ...known, errcode, errmsg: typeof errmsg === 'string' ? errmsg : '' });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
