/**
 * The named orders `npm start` runs, one per path of the saga. Each one reaches its path through
 * order data (Stripe's test PaymentMethods and the sandbox's magic SKUs), so the same inputs work
 * from the CLI, and the payment ones against Stripe test mode too; the storefront-confirmed ones
 * first have the sandbox create the PaymentIntent as Stripe.js would leave it (`orderOf`).
 */
import { Order, OrderErrors, sampleOrder } from "../../deploy/workflows/order/definition";
import { Sandbox } from "../sandbox";
import { MAGIC } from "../sandbox/apis";
import { STRIPE_TEST_PAYMENT_METHODS as PM } from "../sandbox/stripe";

/** One scenario: the order and the outcome the saga must reach. */
export interface Scenario {
    readonly name: string;
    readonly description: string;
    readonly order: Order | Record<string, unknown>;
    /**
     * The PaymentIntent the storefront confirmed with Stripe.js before sending the order (its
     * `paymentIntentId` is filled in by `orderOf`): authorized, or left with 3-D Secure unfinished.
     */
    readonly storefront?: "requires_capture" | "requires_action";
    readonly expected: { readonly status: "SUCCEEDED" | "FAILED"; readonly error?: string };
}

const order = (orderId: string, changes: Partial<Order> = {}): Order => ({ ...sampleOrder, orderId, ...changes });
/** An order paid by a PaymentIntent the storefront confirmed (its id comes from the sandbox). */
const confirmedOrder = (orderId: string): Order => {
    const { paymentMethod: _, ...rest } = order(orderId);
    return { ...rest, paymentIntentId: "pi_storefront" };
};

/** The order to send for `scenario`: for a storefront-confirmed one, its intent is created in `sandbox` first. */
export function orderOf(scenario: Scenario, sandbox: Sandbox): Order | Record<string, unknown> {
    if (!scenario.storefront) return scenario.order;
    const o = scenario.order as Order;
    const intent = sandbox.stripe.clientConfirmed({
        amount: o.amount,
        currency: o.currency.toLowerCase(),
        metadata: { order_id: o.orderId },
        status: scenario.storefront,
    });
    return { ...o, paymentIntentId: intent.id };
}

/** Every saga path, in the order `npm start` shows them. */
export const SCENARIOS: readonly Scenario[] = [
    {
        name: "success",
        description: "search (nothing yet), authorize, reserve, ship, capture, notify",
        order: order("ord-success"),
        expected: { status: "SUCCEEDED" },
    },
    {
        name: "card declined",
        description: `${PM.declined}: Stripe answers 402 card_declined; the declined intent is found and cancelled, nothing else is called`,
        order: order("ord-declined", { paymentMethod: PM.declined }),
        expected: { status: "FAILED", error: OrderErrors.PaymentDeclined },
    },
    {
        name: "3-D Secure, server-side",
        description: `${PM.threeDSecure}: with error_on_requires_action Stripe answers 402 authentication_required; the customer is asked to pay at checkout`,
        order: order("ord-3ds", { paymentMethod: PM.threeDSecure }),
        expected: { status: "FAILED", error: OrderErrors.PaymentAuthenticationRequired },
    },
    {
        name: "3-D Secure, confirmed by the storefront",
        description: "the customer authenticated with Stripe.js; the order carries the requires_capture PaymentIntent, which the saga checks and captures",
        order: confirmedOrder("ord-3ds-storefront"),
        storefront: "requires_capture",
        expected: { status: "SUCCEEDED" },
    },
    {
        name: "3-D Secure unfinished at the storefront",
        description: "the order carries a PaymentIntent still in requires_action: it is cancelled and the customer asked to pay again",
        order: confirmedOrder("ord-3ds-unfinished"),
        storefront: "requires_action",
        expected: { status: "FAILED", error: OrderErrors.PaymentAuthenticationRequired },
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
        name: "below Stripe's minimum",
        description: "EUR 0.49: Stripe's minimum charge is EUR 0.50, so the order is rejected before any call",
        order: order("ord-too-small", { amount: 49 }),
        expected: { status: "FAILED", error: OrderErrors.InvalidOrder },
    },
    {
        name: "hostile order id",
        description: "orderId `x/../../admin`: rejected before it can reach a URL",
        order: order("x/../../admin"),
        expected: { status: "FAILED", error: OrderErrors.InvalidOrder },
    },
];
