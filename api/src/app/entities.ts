import { OutboxLane } from '../infra/outbox/outbox-lane.entity.js';
import { OutboxMessage } from '../infra/outbox/outbox-message.entity.js';
import { ApiClient } from '../modules/auth/api-client.entity.js';
import { AuthAudit } from '../modules/auth/auth-audit.entity.js';
import { LoginThrottle } from '../modules/auth/login-throttle.entity.js';
import { PlatformSecret } from '../modules/auth/platform-secret.entity.js';
import { StaffUser } from '../modules/auth/staff-user.entity.js';
import {
  CustomerAudit,
  CustomerKey,
  CustomerOtp,
  CustomerOtpRequest,
} from '../modules/customer/customer-otp.entity.js';
import { ChannelRoutingState } from '../modules/flow-health/channel-routing-state.entity.js';
import { FlowHealthEvent } from '../modules/flow-health/flow-health-event.entity.js';
import { FlowHealthState } from '../modules/flow-health/flow-health-state.entity.js';
import { InvoiceRow } from '../modules/invoices/invoice.entity.js';
import { BillImportRow, MoneyRecordRow } from '../modules/ledger/money-record.entity.js';
import { OrderNote } from '../modules/order-events/order-note.entity.js';
import { Order } from '../modules/orders/order.entity.js';
import { OrderEvent } from '../modules/orders/order-event.entity.js';
import { OrderPayment } from '../modules/payments/order-payment.entity.js';
import {
  ReconciliationAuditRow,
  ReconciliationDayOutcomeRow,
  ReconciliationItemRow,
  ReconciliationRunRow,
} from '../modules/reconciliation/reconciliation.entity.js';
import { FreshnessAlert } from '../modules/reports/freshness-alert.entity.js';
import { TimeoutReportSnapshot } from '../modules/reports/timeout-report-snapshot.entity.js';
import { AddressParseStat } from '../modules/routing/address-parse-stat.entity.js';
import { ProcessingGroup } from '../modules/routing/processing-group.entity.js';
import { RoutingRuleHit } from '../modules/routing/routing-rule-hit.entity.js';
import { RoutingRuleSetVersion } from '../modules/routing/routing-rule-set-version.entity.js';
import { Shipment } from '../modules/shipments/shipment.entity.js';
import { ShipmentTrace } from '../modules/shipments/shipment-trace.entity.js';
import { SlaPolicyVersion } from '../modules/sla/sla-policy-version.entity.js';
import { SlaStageRecord } from '../modules/sla/sla-stage-record.entity.js';
import { SmsMessage } from '../modules/sms/sms-message.entity.js';
import { SmsTemplateRow } from '../modules/sms/sms-template.entity.js';
import { Ticket } from '../modules/tickets/ticket.entity.js';
import { TicketComment } from '../modules/tickets/ticket-comment.entity.js';

/** Every entity the platform persists; the ORM and the migrations are built from this list. */
export const ENTITIES = [
  OutboxMessage,
  OutboxLane,
  Order,
  OrderEvent,
  OrderPayment,
  StaffUser,
  ApiClient,
  PlatformSecret,
  OrderNote,
  ProcessingGroup,
  RoutingRuleSetVersion,
  AddressParseStat,
  RoutingRuleHit,
  FlowHealthState,
  ChannelRoutingState,
  FlowHealthEvent,
  SlaPolicyVersion,
  SlaStageRecord,
  Ticket,
  TicketComment,
  TimeoutReportSnapshot,
  FreshnessAlert,
  AuthAudit,
  LoginThrottle,
  Shipment,
  ShipmentTrace,
  SmsTemplateRow,
  SmsMessage,
  CustomerOtp,
  CustomerOtpRequest,
  CustomerAudit,
  CustomerKey,
  MoneyRecordRow,
  BillImportRow,
  ReconciliationRunRow,
  ReconciliationItemRow,
  ReconciliationAuditRow,
  ReconciliationDayOutcomeRow,
  InvoiceRow,
];
