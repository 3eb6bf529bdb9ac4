import type { RoutingRule } from '../../domain/routing/routing-rule.js';

/** Groups seeded into a database without any routing rule set, so routing works from the first order. */
export const DEFAULT_GROUPS: ReadonlyArray<{ id: string; name: string; capacity: number }> = [
  { id: 'east-china', name: '华东组', capacity: 2000 },
  { id: 'south-china', name: '华南组', capacity: 2000 },
  { id: 'large-orders', name: '大额订单组', capacity: 500 },
  { id: 'custom-made', name: '定制组', capacity: 500 },
  { id: 'general', name: '综合组', capacity: 3000 },
];

export const DEFAULT_GROUP_ID = 'general';

/**
 * The seeded rule set: custom orders first (they need the workshop whatever their size or
 * place), then large amounts, then regions; everything else to 综合组.
 */
export const DEFAULT_RULES: readonly RoutingRule[] = [
  {
    id: 'custom-orders',
    name: '定制订单',
    priority: 10,
    groupId: 'custom-made',
    enabled: true,
    conditions: { businessTypes: ['CUSTOM'] },
  },
  {
    id: 'large-amount',
    name: '大额订单（≥ 5000 元）',
    priority: 20,
    groupId: 'large-orders',
    enabled: true,
    conditions: { minAmountCents: 500_000 },
  },
  {
    id: 'east-china',
    name: '华东地区',
    priority: 30,
    groupId: 'east-china',
    enabled: true,
    conditions: { provinceCodes: ['310000', '320000', '330000', '340000'] },
  },
  {
    id: 'south-china',
    name: '华南地区',
    priority: 40,
    groupId: 'south-china',
    enabled: true,
    conditions: { provinceCodes: ['440000', '450000', '460000'] },
  },
];
