/**
 * The soak's orders: a seeded mix of good ones on every saga path (Stripe's test PaymentMethods,
 * storefront-confirmed PaymentIntents, the sandbox's magic SKUs) and hostile ones that
 * `ValidateOrder` must reject before any call.
 */
import { Order, sampleOrder } from "../../deploy/workflows/order/definition";
import { MAGIC } from "../sandbox/apis";
import { STRIPE_TEST_PAYMENT_METHODS as PM } from "../sandbox/stripe";

/** The mix of orders: mostly good ones, every saga path, and hostile ones. */
export type OrderKind =
    | "normal"
    | "declined"
    | "insufficient-funds"
    | "3ds"
    | "3ds-storefront"
    | "3ds-unfinished"
    | "sold-out"
    | "ship-flaky"
    | "ship-down"
    | "near-limit"
    | "bad-fields"
    | "path-like-id"
    | "oversize";
/** Kinds that `ValidateOrder` must reject before any HTTP call. */
export const INVALID_KINDS: ReadonlySet<OrderKind> = new Set(["bad-fields", "path-like-id", "oversize"]);
const MIX: readonly [OrderKind, number][] = [
    ["normal", 0.55],
    ["declined", 0.04],
    ["insufficient-funds", 0.02],
    ["3ds", 0.03],
    ["3ds-storefront", 0.04],
    ["3ds-unfinished", 0.01],
    ["sold-out", 0.05],
    ["ship-flaky", 0.04],
    ["ship-down", 0.02],
    ["near-limit", 0.04],
    ["bad-fields", 0.08],
    ["path-like-id", 0.05],
    ["oversize", 0.03],
];
const SKUS = ["SKU-RED-MUG", "SKU-BLUE-PLATE", "SKU-TEA-TOWEL", "SKU-OAK-BOARD"];
const PATH_LIKE = ["x/../../admin", "a?b=c", "frag#ment", "sp ace", "dot.dot", "..", "%2e%2e", "ünïcode"];
/** One broken field each, as a careless or hostile caller sends them. */
const BAD_FIELDS: readonly ((o: Order) => Record<string, unknown>)[] = [
    (o) => ({ ...o, items: [{ sku: "SKU-RED-MUG", quantity: -1 }] }),
    (o) => ({ ...o, items: [{}] }),
    (o) => ({ ...o, items: [{ quantity: 1 }] }),
    (o) => ({ ...o, items: [] }),
    (o) => ({ ...o, amount: 25.5 }),
    (o) => ({ ...o, amount: 0 }),
    (o) => ({ ...o, amount: "2599" }),
    (o) => ({ ...o, currency: "EURO" }),
    (o) => ({ ...o, customer: { name: "Ada", email: "" } }),
    (o) => ({ ...o, customer: { name: "Ada" } }),
    (o) => ({ ...o, paymentMethod: undefined }),
    (o) => ({ ...o, paymentMethod: "card_4242" }),
    (o) => ({ ...o, items: [{ sku: "SKU-RED-MUG", quantity: 1.5 }] }),
    (o) => ({ ...o, amount: 100_000_000 }),
    (o) => ({ ...o, notes: "unknown field" }),
    (o) => ({ ...o, amount: 49 }),
    (o) => ({ ...o, currency: "XYZ" }),
    (o) => ({ ...o, currency: "KWD", amount: 1235 }),
    (o) => ({ ...o, paymentIntentId: "pi_3MtwBwLkdIwHu7ix28a3tqPa" }),
];

/** The `i`-th order of a seeded soak. Order ids are unique per soak, hostile ones too. */
export function soakOrder(i: number, random: () => number): { kind: OrderKind; order: Order | Record<string, unknown> } {
    let roll = random();
    const kind = MIX.find(([, share]) => (roll -= share) < 0)?.[0] ?? "normal";
    const orderId = `soak-${i}`;
    const sku =
        {
            "sold-out": `${MAGIC.soldOutSkuPrefix}-${i}`,
            "ship-flaky": `${MAGIC.flakyShippingSkuPrefix}-${i}`,
            "ship-down": `${MAGIC.shippingDownSkuPrefix}-${i}`,
        }[kind as string] ?? SKUS[Math.floor(random() * SKUS.length)];
    const paymentMethod = { declined: PM.declined, "insufficient-funds": PM.insufficientFunds, "3ds": PM.threeDSecure }[kind as string] ?? PM.visa;
    const order: Order = {
        ...sampleOrder,
        orderId,
        paymentMethod,
        amount: 500 + Math.floor(random() * 50_000),
        items: [{ sku, quantity: 1 + Math.floor(random() * 3) }],
    };
    switch (kind) {
        case "near-limit":
            // The largest order the contract allows: it must succeed, and its state must stay below 256 KiB.
            return {
                kind,
                order: {
                    ...order,
                    customer: { name: "N".repeat(200), email: `${"e".repeat(240)}@example.com`, phone: "+14155550100" },
                    items: Array.from({ length: 100 }, (_, n) => ({ sku: `SKU-${String(n).padStart(3, "0")}-${"X".repeat(56)}`, quantity: 1000 })),
                },
            };
        case "bad-fields":
            return { kind, order: BAD_FIELDS[Math.floor(random() * BAD_FIELDS.length)](order) };
        case "path-like-id":
            return { kind, order: { ...order, orderId: `${PATH_LIKE[Math.floor(random() * PATH_LIKE.length)]}-${i}` } };
        case "oversize":
            return { kind, order: { ...order, items: Array.from({ length: 2000 }, () => ({ sku, quantity: 1 })) } };
        default:
            return { kind, order };
    }
}
