import type { Channel } from '../order/order-types.js';

/** Staff roles; a user may hold several. */
export const STAFF_ROLES = ['ADMIN', 'OPS', 'SUPERVISOR', 'FINANCE', 'WAREHOUSE', 'SERVICE'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** What a partner API key may do. */
export const PARTNER_SCOPES = ['orders:read', 'orders:write', 'events:write'] as const;
export type PartnerScope = (typeof PARTNER_SCOPES)[number];

/** Who is calling: decided once per request (or subscription connection) at the edge. */
export type Viewer =
  | {
      kind: 'STAFF';
      userId: string;
      username: string;
      roles: readonly StaffRole[];
      /** When the session token runs out; a subscription opened with it closes then. */
      expiresAt?: Date;
    }
  | {
      kind: 'PARTNER';
      clientId: string;
      name: string;
      channels: readonly Channel[];
      scopes: readonly PartnerScope[];
    }
  | { kind: 'ANONYMOUS' };

export const ANONYMOUS: Viewer = { kind: 'ANONYMOUS' };

/**
 * A requirement written on an operation: staff roles (any of them; ADMIN always passes) and/or
 * partner scopes. An empty requirement means "any signed-in caller".
 */
export type Requirement = StaffRole | PartnerScope;

export type AccessDecision =
  | { ok: true }
  | { ok: false; code: 'UNAUTHENTICATED' | 'FORBIDDEN'; reason: string };

/** Pure access rule used by every resolver guard. */
export function decideAccess(viewer: Viewer, required: readonly Requirement[]): AccessDecision {
  if (viewer.kind === 'ANONYMOUS')
    return { ok: false, code: 'UNAUTHENTICATED', reason: 'sign in or send an API key' };
  if (required.length === 0) return { ok: true };
  if (viewer.kind === 'STAFF') {
    if (viewer.roles.includes('ADMIN') || viewer.roles.some((r) => required.includes(r))) return { ok: true };
    return {
      ok: false,
      code: 'FORBIDDEN',
      reason: `requires one of the roles: ${staffPart(required).join(', ') || 'none (partner only)'}`,
    };
  }
  if (viewer.scopes.some((s) => required.includes(s))) return { ok: true };
  return {
    ok: false,
    code: 'FORBIDDEN',
    reason: `requires one of the scopes: ${partnerPart(required).join(', ') || 'none (staff only)'}`,
  };
}

/** Channels whose orders the viewer may see; `null` means all. */
export function visibleChannels(viewer: Viewer): readonly Channel[] | null {
  if (viewer.kind === 'PARTNER') return viewer.channels;
  if (viewer.kind === 'STAFF') return null;
  return [];
}

export function canSeeChannel(viewer: Viewer, channel: Channel): boolean {
  const channels = visibleChannels(viewer);
  return channels === null || channels.includes(channel);
}

const staffPart = (r: readonly Requirement[]) =>
  r.filter((x): x is StaffRole => (STAFF_ROLES as readonly string[]).includes(x));
const partnerPart = (r: readonly Requirement[]) =>
  r.filter((x): x is PartnerScope => (PARTNER_SCOPES as readonly string[]).includes(x));
