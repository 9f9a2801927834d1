/**
 * The e-commerce order saga: validate → charge → reserve → ship → notify, with compensation.
 *
 * Happy path: ValidateOrder, ChargePayment, ReserveInventory, CreateShipment, NotifyCustomer
 * (5 states; Standard workflows bill every transition). Every call carries its own idempotency
 * key derived from the order id, so retries and re-runs never charge, reserve or ship twice.
 *
 * Compensations address what they undo through the order id (a reservation is `res-<orderId>`,
 * a shipment `shp-<orderId>`, a refund names the order), never through an id read from a
 * response: when a call did its work but its answer was lost and the retries ran out, the saga
 * does not know that id, yet must still undo the work. A 404 from a compensation means there was
 * nothing to undo.
 */
import { ApiTarget, dynamicPath, httpRetryPolicy, httpStatusError, httpTask } from "../asl/http-task";
import { format, path } from "../asl/payload";
import { snsPublish } from "../asl/sns-task";
import { Catcher, ChoiceState, FailState, StateMachineDefinition } from "../asl/types";

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

/** The compensation's catches: 404 is "nothing to undo", anything else is recorded at `failurePath`. */
const compensationCatch = (next: string, failurePath: string): Catcher[] => [
    { ErrorEquals: [httpStatusError(404)], ResultPath: null, Next: next },
    { ErrorEquals: ["States.ALL"], ResultPath: failurePath, Next: next },
];

/** Ids the saga chooses itself, so a compensation can name them even if a response was lost. */
const reservationId = format("res-{}", path("$.orderId"));
const shipmentId = format("shp-{}", path("$.orderId"));

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
                requestBody: {
                    amount: path("$.amount"),
                    currency: path("$.currency"),
                    orderId: path("$.orderId"),
                    description: format("Order {}", path("$.orderId")),
                },
                resultSelector: { chargeId: path("$.ResponseBody.id"), status: path("$.ResponseBody.status") },
                resultPath: "$.payment",
                catch: [
                    // Gateways such as Stripe answer a declined card with 402.
                    { ErrorEquals: [httpStatusError(402)], ResultPath: "$.failure", Next: "NotifyPaymentDeclined" },
                    // The charge may have happened even so (answer lost): refund by order.
                    { ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "RefundPayment" },
                ],
                transition: { Next: "ReserveInventory" },
            }),
            ReserveInventory: httpTask({
                ...loopback,
                api: targets.inventory,
                path: "/reservations",
                method: "POST",
                headers: idempotencyKey("reservation"),
                requestBody: { reservationId, orderId: path("$.orderId"), items: path("$.items") },
                resultSelector: { reservationId: path("$.ResponseBody.reservationId") },
                resultPath: "$.reservation",
                catch: [
                    // 409 (out of stock) is not retried, and nothing was reserved.
                    { ErrorEquals: [httpStatusError(409)], ResultPath: "$.failure", Next: "RefundPayment" },
                    { ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "ReleaseInventory" },
                ],
                transition: { Next: "CreateShipment" },
            }),
            CreateShipment: httpTask({
                ...loopback,
                api: targets.shipping,
                path: "/shipments",
                method: "POST",
                headers: idempotencyKey("shipment"),
                requestBody: { shipmentId, orderId: path("$.orderId"), items: path("$.items"), recipient: path("$.customer") },
                resultSelector: { shipmentId: path("$.ResponseBody.shipmentId"), trackingNumber: path("$.ResponseBody.trackingNumber") },
                resultPath: "$.shipment",
                catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "CancelShipment" }],
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
            CancelShipment: httpTask({
                ...loopback,
                api: targets.shipping,
                path: dynamicPath("/shipments/shp-{}", path("$.orderId")),
                method: "DELETE",
                headers: idempotencyKey("cancel-shipment"),
                retry: compensationRetry,
                resultPath: null,
                catch: compensationCatch("ReleaseInventory", "$.cancelShipmentFailure"),
                transition: { Next: "ReleaseInventory" },
            }),
            ReleaseInventory: httpTask({
                ...loopback,
                api: targets.inventory,
                path: dynamicPath("/reservations/res-{}", path("$.orderId")),
                method: "DELETE",
                headers: idempotencyKey("release"),
                retry: compensationRetry,
                resultPath: null,
                // A failed release still refunds the customer; CheckCompensations reports it.
                catch: compensationCatch("RefundPayment", "$.releaseFailure"),
                transition: { Next: "RefundPayment" },
            }),
            RefundPayment: httpTask({
                ...loopback,
                api: targets.payment,
                path: "/refunds",
                method: "POST",
                headers: idempotencyKey("refund"),
                // By order, not by charge id: the charge's answer may never have arrived.
                requestBody: { orderId: path("$.orderId"), amount: path("$.amount"), currency: path("$.currency") },
                retry: compensationRetry,
                resultPath: null,
                catch: compensationCatch("NotifyOrderCancelled", "$.refundFailure"),
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
                Comment: "A failed compensation needs a person; everything else is a clean cancellation.",
                Choices: [
                    {
                        Or: ["$.cancelShipmentFailure", "$.releaseFailure", "$.refundFailure"].map((p) => ({ Variable: p, IsPresent: true })),
                        Next: "CompensationFailed",
                    },
                ],
                Default: "OrderCancelled",
            },
            InvalidOrder: fail(
                OrderErrors.InvalidOrder,
                "An order needs a non-empty string orderId, customer.email or customer.phone, at least one item, a positive numeric amount and a currency.",
            ),
            PaymentDeclined: fail(OrderErrors.PaymentDeclined, "The payment gateway declined the charge (HTTP 402)."),
            OrderCancelled: fail(OrderErrors.OrderCancelled, "The order could not be completed; shipment, inventory and payment were compensated."),
            CompensationFailed: fail(
                OrderErrors.CompensationFailed,
                "A compensation (shipment cancellation, release or refund) failed after its retries; the order needs manual attention.",
            ),
        },
    };
}
