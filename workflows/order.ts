/**
 * The e-commerce order saga: validate → authorize → reserve → ship → capture → notify, with
 * compensation.
 *
 * Happy path: ValidateOrder, AuthorizePayment, CheckAuthorization, ReserveInventory,
 * CreateShipment, CapturePayment, NotifyCustomer (7 states; Standard workflows bill every
 * transition). Money is only held until the goods ship, so a cancelled order costs the customer
 * nothing. Every call carries its own idempotency key derived from the order id, so retries never
 * charge, reserve or ship twice.
 *
 * Compensations address what they undo by ids the saga chose (`res-<orderId>`, `shp-<orderId>`) or
 * learnt from the gateway (the PaymentIntent id, recovered even when its answer was lost): never by
 * something a lost response would have told. A 404 from a compensation means nothing to undo. An
 * order value reaches a URL only after `ValidateOrder` proved it safe (the order id's pattern).
 */
import { ApiTarget, dynamicPath, httpRetryPolicy, httpStatusError, httpTask } from "../asl/http-task";
import { format, path } from "../asl/payload";
import { snsPublish } from "../asl/sns-task";
import { Catcher, ChoiceRule, FailState, StateMachineDefinition } from "../asl/types";
import { invalidOrderState, validateOrderState } from "./order-validation";
import { COMPENSATION_RETRY, PaymentProvider, PaymentProviderName } from "./payment/provider";
import { stripePayment } from "./payment/stripe";

/** Where the saga's calls go. */
export interface OrderWorkflowTargets {
    readonly payment: ApiTarget;
    /** The payment gateway's API. @default "stripe" */
    readonly paymentProvider?: PaymentProviderName;
    readonly inventory: ApiTarget;
    readonly shipping: ApiTarget;
    /** SNS topic for customer notifications. */
    readonly notificationTopicArn: string;
    /** Accept `http://` loopback base URLs (local runner only). @default false */
    readonly allowLoopbackHttp?: boolean;
}

/** The payment modules, by `payment.provider`. */
export const PAYMENT_PROVIDER_MODULES: Readonly<Record<PaymentProviderName, PaymentProvider>> = { stripe: stripePayment };

/** The named errors an order execution can end with. */
export const OrderErrors = {
    InvalidOrder: "InvalidOrder",
    PaymentDeclined: "PaymentDeclined",
    OrderCancelled: "OrderCancelled",
    CompensationFailed: "CompensationFailed",
} as const;

/** An order as the workflow expects it (`contracts/order.schema.json`). `amount` is in minor units (cents). */
export interface Order {
    readonly orderId: string;
    readonly customer: { readonly name?: string; readonly email?: string; readonly phone?: string };
    /** A Stripe PaymentMethod id, e.g. `pm_card_visa` (test mode). */
    readonly paymentMethod: string;
    readonly items: readonly { readonly sku: string; readonly quantity: number }[];
    readonly amount: number;
    readonly currency: string;
}

/** A sample order, used for the `start-execution` command and the local runner's happy path. */
export const sampleOrder: Order = {
    orderId: "ord-1001",
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
    paymentMethod: "pm_card_visa",
    items: [{ sku: "SKU-RED-MUG", quantity: 2 }],
    amount: 2599,
    currency: "EUR",
};

const fail = (error: string, cause: string): FailState => ({ Type: "Fail", Error: error, Cause: cause });

const compensationRetry = httpRetryPolicy(COMPENSATION_RETRY);

/** The compensation's catches: 404 is "nothing to undo", anything else is recorded at `failurePath`. */
const compensationCatch = (next: string, failurePath: string): Catcher[] => [
    { ErrorEquals: [httpStatusError(404)], ResultPath: null, Next: next },
    { ErrorEquals: ["States.ALL"], ResultPath: failurePath, Next: next },
];

/** Ids the saga chooses itself, so a compensation can name them even if a response was lost. */
const reservationId = format("res-{}", path("$.orderId"));
const shipmentId = format("shp-{}", path("$.orderId"));

const idempotencyKey = (step: string) => ({ "Idempotency-Key": format(`${step}-{}`, path("$.orderId")) });

const present = (p: string): ChoiceRule => ({ Variable: p, IsPresent: true });
const DECLINED: ChoiceRule = { And: [present("$.payment.declined"), { Variable: "$.payment.declined", BooleanEquals: true }] };

/** Builds the order saga for the given APIs and topic. */
export function orderDefinition(targets: OrderWorkflowTargets): StateMachineDefinition {
    const loopback = { allowLoopbackHttp: targets.allowLoopbackHttp ?? false };
    const topicArn = targets.notificationTopicArn;
    const payment = PAYMENT_PROVIDER_MODULES[targets.paymentProvider ?? "stripe"](
        { api: targets.payment, ...loopback },
        { authorized: "ReserveInventory", captured: "NotifyCustomer", captureFailed: "CancelShipment", settled: "DecideOutcome" },
    );
    const failurePaths = ["$.cancelShipmentFailure", "$.releaseFailure", ...payment.failurePaths];
    return {
        Comment: "E-commerce order saga: payment, inventory and shipping over HTTP Tasks, with compensation.",
        StartAt: "ValidateOrder",
        States: {
            ValidateOrder: validateOrderState(payment.authorize, "InvalidOrder"),
            ...payment.states,
            ReserveInventory: httpTask({
                ...loopback,
                api: targets.inventory,
                path: "/reservations",
                method: "POST",
                headers: idempotencyKey("reservation"),
                requestBody: { reservationId, orderId: path("$.orderId"), items: path("$.items") },
                resultPath: null,
                catch: [
                    // 409 (out of stock) is not retried, and nothing was reserved.
                    { ErrorEquals: [httpStatusError(409)], ResultPath: "$.failure", Next: payment.undo },
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
                // `trackingNumber` is required by contracts/shipping.openapi.yaml (README: what is left uncatchable).
                resultSelector: { trackingNumber: path("$.ResponseBody.trackingNumber") },
                resultPath: "$.shipment",
                catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "CancelShipment" }],
                transition: { Next: payment.capture },
            }),
            NotifyCustomer: snsPublish({
                topicArn,
                subject: "Order confirmed",
                message: format("Order {} is confirmed. Tracking number: {}.", path("$.orderId"), path("$.shipment.trackingNumber")),
                attributes: { event: "OrderConfirmed", orderId: path("$.orderId") },
                resultPath: null,
                // The money is taken and the goods are on their way: a failed notification must not undo that.
                catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.notificationFailure", Next: "OrderCompleted" }],
                transition: { End: true },
            }),
            OrderCompleted: { Type: "Succeed" },
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
                // A failed release still undoes the payment; Conclude reports it.
                catch: compensationCatch(payment.undo, "$.releaseFailure"),
                transition: { Next: payment.undo },
            }),
            DecideOutcome: {
                Type: "Choice",
                Comment: "Tell the customer: declined, or cancelled.",
                Choices: [{ ...DECLINED, Next: "NotifyPaymentDeclined" }],
                Default: "NotifyOrderCancelled",
            },
            NotifyPaymentDeclined: snsPublish({
                topicArn,
                subject: "Payment declined",
                message: format("Payment for order {} was declined. No money was taken.", path("$.orderId")),
                attributes: { event: "PaymentDeclined", orderId: path("$.orderId") },
                resultPath: null,
                // The notification is best effort: the order's outcome must still be reported.
                catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.notificationFailure", Next: "Conclude" }],
                transition: { Next: "Conclude" },
            }),
            NotifyOrderCancelled: snsPublish({
                topicArn,
                subject: "Order cancelled",
                message: format("Order {} was cancelled. Any payment held or taken is released or refunded.", path("$.orderId")),
                attributes: { event: "OrderCancelled", orderId: path("$.orderId") },
                resultPath: null,
                catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.notificationFailure", Next: "Conclude" }],
                transition: { Next: "Conclude" },
            }),
            Conclude: {
                Type: "Choice",
                Comment: "A failed compensation needs a person; otherwise a clean decline or cancellation.",
                Choices: [
                    { Or: failurePaths.map(present), Next: "CompensationFailed" },
                    { ...DECLINED, Next: "PaymentDeclined" },
                ],
                Default: "OrderCancelled",
            },
            InvalidOrder: invalidOrderState(OrderErrors.InvalidOrder),
            PaymentDeclined: { Type: "Fail", Error: OrderErrors.PaymentDeclined, CausePath: "$.payment.reason" },
            OrderCancelled: fail(OrderErrors.OrderCancelled, "The order could not be completed; shipment, inventory and payment were compensated."),
            CompensationFailed: fail(
                OrderErrors.CompensationFailed,
                "A compensation (shipment cancellation, release, payment cancellation or refund) failed or the payment state is unknown; the order needs manual attention.",
            ),
        },
    };
}
