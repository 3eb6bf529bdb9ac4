import { OutboxMessage } from '../infra/outbox/outbox-message.entity.js';
import { ApiClient } from '../modules/auth/api-client.entity.js';
import { PlatformSecret } from '../modules/auth/platform-secret.entity.js';
import { StaffUser } from '../modules/auth/staff-user.entity.js';
import { FlowHealthEvent } from '../modules/flow-health/flow-health-event.entity.js';
import { FlowHealthState } from '../modules/flow-health/flow-health-state.entity.js';
import { InvoiceRow } from '../modules/invoices/invoice.entity.js';
import { BillImportRow, MoneyRecordRow } from '../modules/ledger/money-record.entity.js';
import { OrderNote } from '../modules/order-events/order-note.entity.js';
import { Order } from '../modules/orders/order.entity.js';
import { OrderEvent } from '../modules/orders/order-event.entity.js';
import {
  ReconciliationAuditRow,
  ReconciliationItemRow,
  ReconciliationRunRow,
} from '../modules/reconciliation/reconciliation.entity.js';
import { FreshnessAlert } from '../modules/reports/freshness-alert.entity.js';
import { TimeoutReportSnapshot } from '../modules/reports/timeout-report-snapshot.entity.js';
import { AddressParseStat } from '../modules/routing/address-parse-stat.entity.js';
import { ProcessingGroup } from '../modules/routing/processing-group.entity.js';
import { RoutingRuleHit } from '../modules/routing/routing-rule-hit.entity.js';
import { RoutingRuleSetVersion } from '../modules/routing/routing-rule-set-version.entity.js';
import { SlaPolicyVersion } from '../modules/sla/sla-policy-version.entity.js';
import { SlaStageRecord } from '../modules/sla/sla-stage-record.entity.js';
import { Ticket } from '../modules/tickets/ticket.entity.js';
import { TicketComment } from '../modules/tickets/ticket-comment.entity.js';

/** Every entity the platform persists; the ORM and the migrations are built from this list. */
export const ENTITIES = [
  OutboxMessage,
  Order,
  OrderEvent,
  StaffUser,
  ApiClient,
  PlatformSecret,
  OrderNote,
  ProcessingGroup,
  RoutingRuleSetVersion,
  AddressParseStat,
  RoutingRuleHit,
  FlowHealthState,
  FlowHealthEvent,
  SlaPolicyVersion,
  SlaStageRecord,
  Ticket,
  TicketComment,
  TimeoutReportSnapshot,
  FreshnessAlert,
  MoneyRecordRow,
  BillImportRow,
  ReconciliationRunRow,
  ReconciliationItemRow,
  ReconciliationAuditRow,
  InvoiceRow,
];
