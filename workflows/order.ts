/**
 * The e-commerce order saga: validate → charge → reserve → ship → notify, with compensation.
 *
 * Happy path: ValidateOrder, ChargePayment, ReserveInventory, CreateShipment, NotifyCustomer
 * (5 states; Standard workflows bill every transition). Every call carries its own idempotency
 * key derived from the order id, so retries and re-runs never charge, reserve or ship twice.
 */
import { ApiTarget, dynamicPath, httpRetryPolicy, httpStatusError, httpTask } from "../asl/http-task";
import { format, path } from "../asl/payload";
import { snsPublish } from "../asl/sns-task";
import { ChoiceState, FailState, StateMachineDefinition } from "../asl/types";

/** Where the saga's calls go. */
export interface OrderWorkflowTargets {
    readonly payment: ApiTarget;
    readonly inventory: ApiTarget;
    readonly shipping: ApiTarget;
    /** SNS topic for customer notifications. */
    readonly notificationTopicArn: string;
    /** Accept `http://` loopback base URLs (local runner only). @default false */
    readonly allowLoopbackHttp?: boolean;
}

/** The named errors an order execution can end with. */
export const OrderErrors = {
    InvalidOrder: "InvalidOrder",
    PaymentDeclined: "PaymentDeclined",
    OrderCancelled: "OrderCancelled",
    CompensationFailed: "CompensationFailed",
} as const;

/** An order as the workflow expects it. `amount` is in minor units (cents), as payment gateways take it. */
export interface Order {
    readonly orderId: string;
    readonly customer: { readonly name?: string; readonly email?: string; readonly phone?: string };
    readonly items: readonly { readonly sku: string; readonly quantity: number }[];
    readonly amount: number;
    readonly currency: string;
}

/** A sample order, used for the `start-execution` command and the local runner's happy path. */
export const sampleOrder: Order = {
    orderId: "ord-1001",
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
    items: [{ sku: "SKU-RED-MUG", quantity: 2 }],
    amount: 2599,
    currency: "EUR",
};

const notPresent = (p: string) => ({ Not: { Variable: p, IsPresent: true } });

/** Rules run in order, so each one only inspects paths that the previous rules proved present. */
const validateOrder: ChoiceState = {
    Type: "Choice",
    Comment: "Reject an incomplete order before any third-party API is called.",
    Choices: [
        { Or: ["$.orderId", "$.customer", "$.items[0]", "$.amount", "$.currency"].map(notPresent), Next: "InvalidOrder" },
        {
            Or: [
                { Not: { Variable: "$.orderId", IsString: true } },
                { Not: { Variable: "$.amount", IsNumeric: true } },
                { Not: { Variable: "$.currency", IsString: true } },
                { And: [notPresent("$.customer.email"), notPresent("$.customer.phone")] },
            ],
            Next: "InvalidOrder",
        },
        {
            Or: [
                { Variable: "$.orderId", StringEquals: "" },
                { Variable: "$.currency", StringEquals: "" },
                { Variable: "$.amount", NumericLessThanEquals: 0 },
            ],
            Next: "InvalidOrder",
        },
    ],
    Default: "ChargePayment",
};

const fail = (error: string, cause: string): FailState => ({ Type: "Fail", Error: error, Cause: cause });

/** Compensations must not give up early: more attempts than forward steps. */
const compensationRetry = httpRetryPolicy({ MaxAttempts: 6 });

const idempotencyKey = (step: string) => ({ "Idempotency-Key": format(`${step}-{}`, path("$.orderId")) });

/** Builds the order saga for the given APIs and topic. */
export function orderDefinition(targets: OrderWorkflowTargets): StateMachineDefinition {
    const loopback = { allowLoopbackHttp: targets.allowLoopbackHttp ?? false };
    const topicArn = targets.notificationTopicArn;
    return {
        Comment: "E-commerce order saga: payment, inventory and shipping over HTTP Tasks, with compensation.",
        StartAt: "ValidateOrder",
        States: {
            ValidateOrder: validateOrder,
            ChargePayment: httpTask({
                ...loopback,
                api: targets.payment,
                path: "/charges",
                method: "POST",
                headers: idempotencyKey("charge"),
                requestBody: { amount: path("$.amount"), currency: path("$.currency"), orderId: path("$.orderId"), description: format("Order {}", path("$.orderId")) },
                resultSelector: { chargeId: path("$.ResponseBody.id"), status: path("$.ResponseBody.status") },
                resultPath: "$.payment",
                catch: [
                    // Gateways such as Stripe answer a declined card with 402.
                    { ErrorEquals: [httpStatusError(402)], ResultPath: "$.failure", Next: "NotifyPaymentDeclined" },
                    { ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "NotifyOrderCancelled" },
                ],
                transition: { Next: "ReserveInventory" },
            }),
            ReserveInventory: httpTask({
                ...loopback,
                api: targets.inventory,
                path: "/reservations",
                method: "POST",
                headers: idempotencyKey("reservation"),
                requestBody: { orderId: path("$.orderId"), items: path("$.items") },
                resultSelector: { reservationId: path("$.ResponseBody.reservationId") },
                resultPath: "$.reservation",
                // 409 (out of stock) is not retried: it lands here at once, like exhausted retries.
                catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "RefundPayment" }],
                transition: { Next: "CreateShipment" },
            }),
            CreateShipment: httpTask({
                ...loopback,
                api: targets.shipping,
                path: "/shipments",
                method: "POST",
                headers: idempotencyKey("shipment"),
                requestBody: { orderId: path("$.orderId"), items: path("$.items"), recipient: path("$.customer") },
                resultSelector: { shipmentId: path("$.ResponseBody.shipmentId"), trackingNumber: path("$.ResponseBody.trackingNumber") },
                resultPath: "$.shipment",
                catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "ReleaseInventory" }],
                transition: { Next: "NotifyCustomer" },
            }),
            NotifyCustomer: snsPublish({
                topicArn,
                subject: "Order confirmed",
                message: format("Order {} is confirmed. Tracking number: {}.", path("$.orderId"), path("$.shipment.trackingNumber")),
                attributes: { event: "OrderConfirmed", orderId: path("$.orderId") },
                resultPath: null,
                transition: { End: true },
            }),
            ReleaseInventory: httpTask({
                ...loopback,
                api: targets.inventory,
                path: dynamicPath("/reservations/{}", path("$.reservation.reservationId")),
                method: "DELETE",
                headers: idempotencyKey("release"),
                retry: compensationRetry,
                resultPath: null,
                // Still refund the customer; CheckCompensations reports the stuck reservation.
                catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.releaseFailure", Next: "RefundPayment" }],
                transition: { Next: "RefundPayment" },
            }),
            RefundPayment: httpTask({
                ...loopback,
                api: targets.payment,
                path: "/refunds",
                method: "POST",
                headers: idempotencyKey("refund"),
                requestBody: { chargeId: path("$.payment.chargeId"), amount: path("$.amount"), currency: path("$.currency"), orderId: path("$.orderId") },
                retry: compensationRetry,
                resultSelector: { refundId: path("$.ResponseBody.id") },
                resultPath: "$.refund",
                catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.refundFailure", Next: "NotifyOrderCancelled" }],
                transition: { Next: "NotifyOrderCancelled" },
            }),
            NotifyPaymentDeclined: snsPublish({
                topicArn,
                subject: "Payment declined",
                message: format("Payment for order {} was declined. No money was taken.", path("$.orderId")),
                attributes: { event: "PaymentDeclined", orderId: path("$.orderId") },
                resultPath: null,
                // The notification is best effort: the order's outcome must still be reported.
                catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.notificationFailure", Next: "PaymentDeclined" }],
                transition: { Next: "PaymentDeclined" },
            }),
            NotifyOrderCancelled: snsPublish({
                topicArn,
                subject: "Order cancelled",
                message: format("Order {} was cancelled. Any payment taken is refunded.", path("$.orderId")),
                attributes: { event: "OrderCancelled", orderId: path("$.orderId") },
                resultPath: null,
                catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.notificationFailure", Next: "CheckCompensations" }],
                transition: { Next: "CheckCompensations" },
            }),
            CheckCompensations: {
                Type: "Choice",
                Comment: "A failed release or refund needs a person; everything else is a clean cancellation.",
                Choices: [{ Or: [{ Variable: "$.releaseFailure", IsPresent: true }, { Variable: "$.refundFailure", IsPresent: true }], Next: "CompensationFailed" }],
                Default: "OrderCancelled",
            },
            InvalidOrder: fail(OrderErrors.InvalidOrder, "An order needs a non-empty string orderId, customer.email or customer.phone, at least one item, a positive numeric amount and a currency."),
            PaymentDeclined: fail(OrderErrors.PaymentDeclined, "The payment gateway declined the charge (HTTP 402)."),
            OrderCancelled: fail(OrderErrors.OrderCancelled, "The order could not be completed; payment and inventory were compensated."),
            CompensationFailed: fail(OrderErrors.CompensationFailed, "A compensation (release or refund) failed after its retries; the order needs manual attention."),
        },
    };
}
