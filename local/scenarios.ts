/**
 * The named orders `npm start` runs, one per path of the saga. Each one reaches its path through
 * order data only (the sandbox's magic inputs), so the same inputs work from the CLI too.
 */
import { Order, OrderErrors, sampleOrder } from "../workflows/order";
import { MAGIC } from "./sandbox/apis";

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
        description: "charge, reserve, ship, notify",
        order: order("ord-success"),
        expected: { status: "SUCCEEDED" },
    },
    {
        name: "card declined",
        description: `amount ${MAGIC.declinedAmount}: payment answers 402, nothing else is called`,
        order: order("ord-declined", { amount: MAGIC.declinedAmount }),
        expected: { status: "FAILED", error: OrderErrors.PaymentDeclined },
    },
    {
        name: "out of stock → refund",
        description: "a sold-out SKU: inventory answers 409, the charge is refunded",
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
        name: "shipping down → release + refund",
        description: "shipping answers 503 to every attempt; reservation released, charge refunded",
        order: order("ord-ship-down", { items: [{ sku: `${MAGIC.shippingDownSkuPrefix}-SOFA`, quantity: 1 }] }),
        expected: { status: "FAILED", error: OrderErrors.OrderCancelled },
    },
    {
        name: "invalid order",
        description: "no items: rejected before any API is called",
        order: { orderId: "ord-invalid", customer: { email: "ada@example.com" }, items: [], amount: 2599, currency: "EUR" },
        expected: { status: "FAILED", error: OrderErrors.InvalidOrder },
    },
];
