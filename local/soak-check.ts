/**
 * The soak test: many seeded orders through the saga against faulty sandbox APIs, then the saga's
 * invariants checked against the sandbox ledger (what the APIs actually did), not against what the
 * workflow believes it did.
 */
import { Order, OrderErrors, sampleOrder } from "../workflows/order";
import { startLocalOrderStack } from "./order-stack";
import { runPool } from "./pool";
import { matchesOrderSchema } from "./order-schema";
import { MAGIC } from "./sandbox/apis";
import { seededRandom, uniformFaults } from "./sandbox/faults";
import { Ledger, LedgerKind } from "./sandbox/ledger";
import { STRIPE_TEST_PAYMENT_METHODS as PM } from "./sandbox/stripe";

/** Soak parameters. */
export interface SoakOptions {
    readonly orders: number;
    /** Probability that a call to a business endpoint gets a fault (split over 429/500/503/slow). */
    readonly faultRate: number;
    readonly seed: number;
    /** @default 16 */
    readonly concurrency?: number;
    /** Share of injected 500s that happen after the API did its work. @default 0 */
    readonly afterEffectShare?: number;
    /** No new order starts after this. @default 10 minutes */
    readonly deadlineMs?: number;
}

/** How one execution ended. */
export interface SoakExecution {
    readonly orderId: string;
    readonly kind: OrderKind;
    /** What the order JSON Schema says of the input (the ASL must agree). */
    readonly expectInvalid: boolean;
    readonly status: "SUCCEEDED" | "FAILED";
    readonly error?: string;
}

/** What a soak run saw. */
export interface SoakReport {
    readonly executions: SoakExecution[];
    readonly counts: Record<string, number>;
    readonly violations: string[];
}

/** The mix of orders: mostly good ones, every saga path, and hostile ones. */
export type OrderKind =
    "normal" | "declined" | "insufficient-funds" | "3ds" | "sold-out" | "ship-flaky" | "ship-down" | "near-limit" | "bad-fields" | "path-like-id" | "oversize";
/** Kinds that `ValidateOrder` must reject before any HTTP call. */
const INVALID_KINDS: ReadonlySet<OrderKind> = new Set(["bad-fields", "path-like-id", "oversize"]);
const MIX: readonly [OrderKind, number][] = [
    ["normal", 0.6],
    ["declined", 0.04],
    ["insufficient-funds", 0.02],
    ["3ds", 0.03],
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

/** Every broken invariant, as sentences; empty when the run was clean. */
export function checkInvariants(executions: readonly SoakExecution[], ledger: Ledger): string[] {
    const problems: string[] = [];
    const named = new Set<string>(Object.values(OrderErrors));
    const byOrder = ledger.byOrder();
    for (const e of executions) {
        const entries = byOrder.get(e.orderId) ?? [];
        const ids = (kind: LedgerKind) => entries.filter((x) => x.kind === kind).map((x) => x.id ?? "");
        const n = (kind: LedgerKind) => ids(kind).length;
        const cancelled = new Set(ids("cancel"));
        const refunded = new Set(entries.filter((x) => x.kind === "refund").map((x) => x.detail ?? ""));
        const captured = ids("capture");
        if (e.status === "FAILED" && !named.has(e.error ?? "")) problems.push(`${e.orderId}: FAILED with an unnamed error \`${e.error}\``);
        if (e.expectInvalid !== (e.error === OrderErrors.InvalidOrder))
            problems.push(`${e.orderId}: the order schema says ${e.expectInvalid ? "invalid" : "valid"} but the execution ended ${e.error ?? e.status}`);
        if (e.error === OrderErrors.InvalidOrder && entries.length > 0) problems.push(`${e.orderId}: InvalidOrder after ${entries.length} API effect(s)`);
        if (n("authorization") > 1) problems.push(`${e.orderId}: authorized ${n("authorization")} times`);
        if (captured.length > 1 || new Set(captured).size !== captured.length) problems.push(`${e.orderId}: captured ${captured.length} times`);
        if (n("refund") > 1) problems.push(`${e.orderId}: refunded ${n("refund")} times`);
        if (e.status === "SUCCEEDED") {
            if (n("authorization") !== 1 || captured.length !== 1 || n("reservation") !== 1 || n("shipment") !== 1)
                problems.push(
                    `${e.orderId}: SUCCEEDED with ${n("authorization")} authorization(s), ${captured.length} capture(s), ${n("reservation")} reservation(s), ${n("shipment")} shipment(s); expected one of each`,
                );
            if (n("cancel") + n("refund") + n("release") + n("shipment-cancel") > 0)
                problems.push(
                    `${e.orderId}: SUCCEEDED but compensated (${n("cancel")} cancel, ${n("refund")} refund, ${n("release")} release, ${n("shipment-cancel")} shipment cancellation)`,
                );
        } else {
            // Every intent that holds money or could still be confirmed must be cancelled, or captured and refunded.
            for (const id of [...ids("authorization"), ...ids("requires-action")]) {
                const undone = captured.includes(id) ? refunded.has(id) : cancelled.has(id);
                if (!undone)
                    problems.push(
                        `${e.orderId}: FAILED (${e.error}) with PaymentIntent ${id} ${captured.includes(id) ? "captured and not refunded" : "not cancelled"}`,
                    );
            }
            if (n("reservation") > n("release"))
                problems.push(`${e.orderId}: FAILED (${e.error}) with ${n("reservation") - n("release")} reservation(s) still held`);
            if (n("shipment") > n("shipment-cancel"))
                problems.push(`${e.orderId}: FAILED (${e.error}) with ${n("shipment") - n("shipment-cancel")} shipment(s) not cancelled`);
        }
    }
    return problems;
}

/** Runs a soak: starts the sandbox, runs the orders, checks the invariants, closes the sandbox. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
    const local = await startLocalOrderStack({ seed: options.seed });
    try {
        local.sandbox.setFaults(uniformFaults(options.faultRate, { slowMs: 2, afterEffectShare: options.afterEffectShare ?? 0 }));
        const random = seededRandom(options.seed);
        const orders = Array.from({ length: options.orders }, (_, i) => soakOrder(i, random));
        const run = await runPool(
            orders.length,
            options.concurrency ?? 16,
            async (i): Promise<SoakExecution> => {
                const { kind, order } = orders[i];
                const result = await local.runner.run(order);
                const orderId = String((order as { orderId?: unknown }).orderId);
                const expectInvalid = !matchesOrderSchema(order);
                if (expectInvalid !== INVALID_KINDS.has(kind))
                    throw new Error(`Soak order ${i} (${kind}) is ${expectInvalid ? "invalid" : "valid"} by the schema.`);
                return { orderId, kind, expectInvalid, status: result.status, ...(result.error ? { error: result.error } : {}) };
            },
            options.deadlineMs ?? 10 * 60_000,
        );
        const ledger = local.sandbox.ledger;
        const counts: Record<string, number> = { orders: run.results.length, succeeded: run.results.filter((e) => e.status === "SUCCEEDED").length };
        for (const e of run.results) if (e.error) counts[`failed ${e.error}`] = (counts[`failed ${e.error}`] ?? 0) + 1;
        for (const kind of [
            "authorization",
            "decline",
            "requires-action",
            "capture",
            "cancel",
            "refund",
            "reservation",
            "out-of-stock",
            "release",
            "shipment",
            "shipment-cancel",
            "fault",
        ] as const)
            counts[`ledger ${kind}`] = ledger.of(kind).length;
        counts["notifications"] = local.outbox.messages.length;
        return { executions: run.results, counts, violations: checkInvariants(run.results, ledger) };
    } finally {
        await local.close();
    }
}
