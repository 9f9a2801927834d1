/**
 * The e-commerce order saga: validate → authorize → reserve → ship → capture → notify, with
 * compensation.
 *
 * Happy path (an order with `paymentMethod`): ValidateOrder, SearchPaymentIntent, ReadSearchResult,
 * AuthorizePayment, CheckAuthorization, ReserveInventory, CreateShipment, CheckShipment,
 * CapturePayment, NotifyCustomer (10 states; Standard workflows bill every transition). An order the
 * storefront already confirmed (`paymentIntentId`, 3-D Secure done with Stripe.js) skips the search
 * and the create call: 8 states. Money is only held until the goods ship, so a cancelled order
 * costs the customer nothing; once the goods ship, a capture failure never cancels the order.
 *
 * Compensations address what they undo by ids the saga chose (`res-<orderId>`, `shp-<orderId>`) or
 * learnt from the gateway (the PaymentIntent id, found by search even when its answer was lost):
 * never by something a lost response would have told. A 404 from a compensation means nothing to
 * undo. The customer is told the outcome only after every compensation has finished. An order
 * value reaches a URL only after `ValidateOrder` proved it safe (the order id's pattern, the
 * PaymentIntent id's pattern).
 */
import { ApiTarget, dynamicPath, httpRetryPolicy, httpStatusError, httpTask } from "../../asl/http-task";
import { format, path } from "../../asl/payload";
import { snsPublish } from "../../asl/sns-task";
import { Catcher, ChoiceState, FailState, State, StateMachineDefinition } from "../../asl/types";
import type { orderModule } from "./index";
import { outcomeStates } from "./outcomes";
import { invalidOrderState, validateOrderState } from "./validation";
import { COMPENSATION_RETRY, PAYMENT_OUTCOMES, PaymentProvider, PaymentProviderName } from "./payment/provider";
import { stripePayment } from "./payment/stripe";

/** One of the APIs the saga calls (`apis` of `deploy/workflows/order/index.ts`). */
export type OrderApiName = (typeof orderModule.apis)[number];

/** Where the saga's calls go. */
export interface OrderWorkflowTargets {
    /** Each API of the order module's `apis`: its base URL and connection ARN. */
    readonly apis: Readonly<Record<OrderApiName, ApiTarget>>;
    /** The payment gateway's API. @default "stripe" */
    readonly paymentProvider?: PaymentProviderName;
    /** SNS topic for customer notifications. */
    readonly notificationTopicArn: string;
}

/** The state a new order's happy path passes (the capture): the cost model prices the path through it. */
export const ORDER_CAPTURE_STATE = "CapturePayment";

/** The payment modules, by `payment.provider`. */
export const PAYMENT_PROVIDER_MODULES: Readonly<Record<PaymentProviderName, PaymentProvider>> = { stripe: stripePayment };

/** The named errors an order execution can end with. */
export const OrderErrors = {
    InvalidOrder: "InvalidOrder",
    PaymentDeclined: "PaymentDeclined",
    PaymentAuthenticationRequired: "PaymentAuthenticationRequired",
    OrderCancelled: "OrderCancelled",
    CompensationFailed: "CompensationFailed",
    PaymentRequestFailed: "PaymentRequestFailed",
    PaymentUnavailable: "PaymentUnavailable",
    PaymentStateUnknown: "PaymentStateUnknown",
    PaymentMismatch: "PaymentMismatch",
    PaymentNotCapturable: "PaymentNotCapturable",
} as const;

/** The errors that page (a person must act); the others are business outcomes. */
export const ORDER_INCIDENTS: readonly string[] = [
    OrderErrors.CompensationFailed,
    ...Object.values(PAYMENT_OUTCOMES)
        .filter((o) => o.pages)
        .map((o) => o.error),
    OrderErrors.PaymentNotCapturable,
];

/** An order as the workflow expects it (`deploy/workflows/order/order.schema.json`). `amount` is in minor units (cents). */
export interface Order {
    readonly orderId: string;
    readonly customer: { readonly name?: string; readonly email?: string; readonly phone?: string };
    /** A Stripe PaymentMethod id, e.g. `pm_card_visa` (test mode): the saga confirms the payment. Exactly one of this or `paymentIntentId`. */
    readonly paymentMethod?: string;
    /** A PaymentIntent the storefront confirmed with Stripe.js (3-D Secure included), for this order's amount and currency. */
    readonly paymentIntentId?: string;
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

/** A tracking number as `deploy/apis/shipping/openapi.yaml` defines it (a string of 1 to 64 characters). */
const TRACKING_NUMBER = { minLength: 1, maxLength: 64 };

/**
 * `CheckShipment`: the shipment answer must carry a tracking number before the money is taken. A
 * `ResultSelector` would raise an uncatchable `States.Runtime` on a 2xx without it; this total
 * JSONata Choice sends such a shipment to the compensation instead (as a failed shipment).
 */
function checkShipment(capture: string, cancel: string): ChoiceState {
    const lets = `$t := $states.input.shipmentAnswer.ResponseBody.trackingNumber; $ok := $type($t) = 'string' and $length($t) >= ${TRACKING_NUMBER.minLength} and $length($t) <= ${TRACKING_NUMBER.maxLength}; $rest := $sift($states.input, function($v, $k) { $k != 'shipmentAnswer' })`;
    const Output = `{% (${lets}; $ok ? $merge([$rest, { 'shipment': { 'trackingNumber': $t } }]) : $merge([$rest, { 'failure': { 'Error': 'ShipmentWithoutTrackingNumber', 'Cause': 'The shipping API answered 2xx without a tracking number (deploy/apis/shipping/openapi.yaml requires one).' } }])) %}`;
    return {
        Type: "Choice",
        QueryLanguage: "JSONata",
        Comment: "Take the money only for a shipment with a tracking number.",
        // The same Output on the rule and the state (docs/aws-facts.md §14).
        Choices: [{ Condition: `{% (${lets}; $ok) %}`, Output, Next: capture }],
        Default: cancel,
        Output,
    };
}

/** Builds the order saga for the given APIs and topic. */
export function orderDefinition(targets: OrderWorkflowTargets): StateMachineDefinition {
    const topicArn = targets.notificationTopicArn;
    const payment = PAYMENT_PROVIDER_MODULES[targets.paymentProvider ?? "stripe"](
        { api: targets.apis.payment, topicArn },
        {
            authorized: "ReserveInventory",
            captured: "NotifyCustomer",
            notCapturable: OrderErrors.PaymentNotCapturable,
            settled: "DecideOutcome",
            // A re-run of a completed order ends here: no reservation, shipment or compensation again (issue 15).
            completed: "OrderCompleted",
        },
    );
    const failurePaths = ["$.cancelShipmentFailure", "$.releaseFailure", ...payment.failurePaths];
    const states: Record<string, State> = {
        ValidateOrder: validateOrderState({ serverSide: payment.authorize, clientConfirmed: payment.adoptConfirmed }, "InvalidOrder"),
        ...payment.states,
        ReserveInventory: httpTask({
            api: targets.apis.inventory,
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
            api: targets.apis.shipping,
            path: "/shipments",
            method: "POST",
            headers: idempotencyKey("shipment"),
            requestBody: { shipmentId, orderId: path("$.orderId"), items: path("$.items"), recipient: path("$.customer") },
            resultPath: "$.shipmentAnswer",
            catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "CancelShipment" }],
            transition: { Next: "CheckShipment" },
        }),
        CheckShipment: checkShipment(payment.capture, "CancelShipment"),
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
            api: targets.apis.shipping,
            path: dynamicPath("/shipments/shp-{}", path("$.orderId")),
            method: "DELETE",
            headers: idempotencyKey("cancel-shipment"),
            retry: compensationRetry,
            resultPath: null,
            catch: compensationCatch("ReleaseInventory", "$.cancelShipmentFailure"),
            transition: { Next: "ReleaseInventory" },
        }),
        ReleaseInventory: httpTask({
            api: targets.apis.inventory,
            path: dynamicPath("/reservations/res-{}", path("$.orderId")),
            method: "DELETE",
            headers: idempotencyKey("release"),
            retry: compensationRetry,
            resultPath: null,
            // A failed release still undoes the payment; Conclude reports it.
            catch: compensationCatch(payment.undo, "$.releaseFailure"),
            transition: { Next: payment.undo },
        }),
        ...outcomeStates(topicArn, failurePaths, { compensationFailed: OrderErrors.CompensationFailed, cancelled: OrderErrors.OrderCancelled }),
        InvalidOrder: invalidOrderState(OrderErrors.InvalidOrder),
        OrderCancelled: fail(OrderErrors.OrderCancelled, "The order could not be completed; shipment, inventory and payment were compensated."),
        CompensationFailed: fail(
            OrderErrors.CompensationFailed,
            "A compensation (shipment cancellation, release, payment cancellation or refund) failed; the order needs manual attention.",
        ),
        // The goods left and the payment can no longer be captured: Stripe released it. The cause says what to do.
        PaymentNotCapturable: { Type: "Fail", Error: OrderErrors.PaymentNotCapturable, CausePath: "$.payment.reason" },
    };
    return {
        Comment: "E-commerce order saga: payment, inventory and shipping over HTTP Tasks, with compensation.",
        StartAt: "ValidateOrder",
        States: states,
    };
}
