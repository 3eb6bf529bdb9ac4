import type { NonEmptyArray } from 'type-graphql';
import { AccessRevocationResolver } from '../modules/auth/access-revocation.resolver.js';
import { AuthResolver } from '../modules/auth/auth.resolver.js';
import { CustomerResolver } from '../modules/customer/customer.resolver.js';
import { FlowHealthResolver } from '../modules/flow-health/flow-health.resolver.js';
import { OutboxLanesResolver } from '../modules/flow-health/outbox-lanes.resolver.js';
import { InvoiceResolver } from '../modules/invoices/invoice.resolver.js';
import { OrderEventResolver } from '../modules/order-events/order-event.resolver.js';
import { OrderTimelineResolver } from '../modules/order-events/order-timeline.resolver.js';
import { OrderResolver } from '../modules/orders/order.resolver.js';
import { OrderMoneyResolver } from '../modules/orders/order-money.resolver.js';
import { OrderPaymentsResolver } from '../modules/payments/payment.resolver.js';
import { ReconciliationResolver } from '../modules/reconciliation/reconciliation.resolver.js';
import { ReportResolver } from '../modules/reports/report.resolver.js';
import { OrderRoutingResolver } from '../modules/routing/order-routing.resolver.js';
import { ProcessingGroupResolver } from '../modules/routing/processing-group.resolver.js';
import { RoutingRulesResolver } from '../modules/routing/routing-rules.resolver.js';
import { SlaPolicyResolver } from '../modules/sla/sla-policy.resolver.js';
import { SmsResolver } from '../modules/sms/sms.resolver.js';
import { SystemResolver } from '../modules/system/system.resolver.js';
import { TicketResolver } from '../modules/tickets/ticket.resolver.js';

/** Every resolver class of the public API; the schema (and schema/schema.graphql) is built from these. */
// biome-ignore lint/complexity/noBannedTypes: type-graphql takes resolver classes as constructors.
export const RESOLVERS: NonEmptyArray<Function> = [
  SystemResolver,
  AuthResolver,
  AccessRevocationResolver,
  OrderResolver,
  OrderMoneyResolver,
  OrderEventResolver,
  OrderTimelineResolver,
  OrderPaymentsResolver,
  ProcessingGroupResolver,
  RoutingRulesResolver,
  OrderRoutingResolver,
  FlowHealthResolver,
  OutboxLanesResolver,
  SlaPolicyResolver,
  TicketResolver,
  ReportResolver,
  SmsResolver,
  CustomerResolver,
  ReconciliationResolver,
  InvoiceResolver,
];
