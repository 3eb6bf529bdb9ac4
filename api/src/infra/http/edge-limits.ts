import { GraphQLError, Kind, type ValidationRule } from 'graphql';

/**
 * Size limits of the public edges, each checked before the work it bounds: a body is refused
 * before it is parsed, a string before a resolver (or scrypt, or the database) sees it, a
 * WebSocket message before it is read into memory.
 */
export interface EdgeLimits {
  /** Largest GraphQL request body over HTTP, in bytes (`GRAPHQL_MAX_BODY_BYTES`). @default 8 MiB */
  graphqlBodyBytes: number;
  /** Longest string in a GraphQL argument or variable, in UTF-16 units (`GRAPHQL_MAX_STRING_CHARS`). @default 10,000 */
  stringChars: number;
  /**
   * Largest WebSocket message, in bytes (`WS_MAX_PAYLOAD_BYTES`), `connection_init` included: the
   * socket refuses a larger frame (close 1009) before the server reads it or authenticates anyone.
   * @default 64 KiB
   */
  wsPayloadBytes: number;
  /** Largest signed webhook body, in bytes (`WEBHOOK_MAX_BODY_BYTES`). @default 8 MiB */
  webhookBodyBytes: number;
  /** Most lexical tokens in a GraphQL document (graphql-js `maxTokens`). @default 10,000 */
  documentTokens: number;
}

export const DEFAULT_EDGE_LIMITS: EdgeLimits = {
  graphqlBodyBytes: 8 * 1024 * 1024,
  stringChars: 10_000,
  wsPayloadBytes: 64 * 1024,
  webhookBodyBytes: 8 * 1024 * 1024,
  documentTokens: 10_000,
};

/** Deepest nesting of variable values walked; deeper input is refused as a whole. */
const MAX_VALUE_DEPTH = 32;

export interface LongString {
  /** Where the string is, e.g. `input.orders[3].buyerName`. */
  field: string;
  length: number;
}

/**
 * The first string in `value` longer than `maxChars`, with its path, or null. Walks arrays and
 * plain objects only (own keys), so prototype keys such as `__proto__` are just names.
 */
export function findLongString(value: unknown, maxChars: number, path = '', depth = 0): LongString | null {
  if (typeof value === 'string')
    return value.length > maxChars ? { field: path, length: value.length } : null;
  if (depth > MAX_VALUE_DEPTH) return { field: path, length: Number.POSITIVE_INFINITY };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findLongString(value[i], maxChars, `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      const found = findLongString(
        (value as Record<string, unknown>)[key],
        maxChars,
        path ? `${path}.${key}` : key,
        depth + 1,
      );
      if (found) return found;
    }
  }
  return null;
}

export function stringTooLong(found: LongString, maxChars: number): GraphQLError {
  return new GraphQLError(
    `${found.field || 'a value'} is longer than ${maxChars} characters (GRAPHQL_MAX_STRING_CHARS)`,
    {
      extensions: {
        code: 'STRING_TOO_LONG',
        field: found.field,
        maxChars,
        http: { status: 400 },
      },
    },
  );
}

/** Refuses a document whose string literals (arguments written inline) exceed `maxChars`. */
export function maxStringLiteralRule(maxChars: number): ValidationRule {
  return (context) => ({
    [Kind.STRING](node) {
      if (node.value.length > maxChars) {
        const argument = context.getArgument()?.name;
        context.reportError(
          new GraphQLError(
            `${argument ?? 'a string'} is longer than ${maxChars} characters (GRAPHQL_MAX_STRING_CHARS)`,
            {
              nodes: [node],
              extensions: { code: 'STRING_TOO_LONG', field: argument ?? null, maxChars },
            },
          ),
        );
      }
    },
  });
}
