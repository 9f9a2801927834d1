/**
 * The named orders `npm start` runs, one per path of the saga. Each one reaches its path through
 * order data only (Stripe's test PaymentMethods and the sandbox's magic SKUs), so the same inputs
 * work from the CLI, and the payment ones against Stripe test mode too.
 */
import { Order, OrderErrors, sampleOrder } from "../workflows/order";
import { MAGIC } from "./sandbox/apis";
import { STRIPE_TEST_PAYMENT_METHODS as PM } from "./sandbox/stripe";

/** One scenario: the order and the outcome the saga must reach. */
export interface Scenario {
    readonly name: string;
    readonly description: string;
    readonly order: Order | Record<string, unknown>;
    readonly expected: { readonly status: "SUCCEEDED" | "FAILED"; readonly error?: string };
}

const order = (orderId: string, changes: Partial<Order> = {}): Order => ({ ...sampleOrder, orderId, ...changes });

/** Every saga path, in the order `npm start` shows them. */
export const SCENARIOS: readonly Scenario[] = [
    {
        name: "success",
        description: "authorize, reserve, ship, capture, notify",
        order: order("ord-success"),
        expected: { status: "SUCCEEDED" },
    },
    {
        name: "card declined",
        description: `${PM.declined}: Stripe answers 402 card_declined, nothing else is called`,
        order: order("ord-declined", { paymentMethod: PM.declined }),
        expected: { status: "FAILED", error: OrderErrors.PaymentDeclined },
    },
    {
        name: "3-D Secure required",
        description: `${PM.threeDSecure}: the intent needs customer action, so it is cancelled`,
        order: order("ord-3ds", { paymentMethod: PM.threeDSecure }),
        expected: { status: "FAILED", error: OrderErrors.PaymentDeclined },
    },
    {
        name: "out of stock → intent cancelled",
        description: "a sold-out SKU: inventory answers 409, the authorization is cancelled (nothing was charged)",
        order: order("ord-sold-out", { items: [{ sku: `${MAGIC.soldOutSkuPrefix}-TEAPOT`, quantity: 1 }] }),
        expected: { status: "FAILED", error: OrderErrors.OrderCancelled },
    },
    {
        name: "shipping outage retried",
        description: "shipping answers 503 twice; the retries get through",
        order: order("ord-ship-flaky", { items: [{ sku: `${MAGIC.flakyShippingSkuPrefix}-LAMP`, quantity: 1 }] }),
        expected: { status: "SUCCEEDED" },
    },
    {
        name: "shipping down → release + cancel",
        description: "shipping answers 503 to every attempt; reservation released, authorization cancelled",
        order: order("ord-ship-down", { items: [{ sku: `${MAGIC.shippingDownSkuPrefix}-SOFA`, quantity: 1 }] }),
        expected: { status: "FAILED", error: OrderErrors.OrderCancelled },
    },
    {
        name: "invalid order",
        description: "quantity -1: rejected before any API is called",
        order: order("ord-invalid", { items: [{ sku: "SKU-RED-MUG", quantity: -1 }] }),
        expected: { status: "FAILED", error: OrderErrors.InvalidOrder },
    },
    {
        name: "hostile order id",
        description: "orderId `x/../../admin`: rejected before it can reach a URL",
        order: order("x/../../admin"),
        expected: { status: "FAILED", error: OrderErrors.InvalidOrder },
    },
];
