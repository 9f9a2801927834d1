/**
 * The soak test: many seeded orders through the saga against faulty sandbox APIs, then the saga's
 * invariants checked against the sandbox ledger (what the APIs actually did), not against what the
 * workflow believes it did.
 */
import { Order, OrderErrors, sampleOrder } from "../workflows/order";
import { startLocalOrderStack } from "./order-stack";
import { runPool } from "./pool";
import { MAGIC } from "./sandbox/apis";
import { seededRandom, uniformFaults } from "./sandbox/faults";
import { Ledger } from "./sandbox/ledger";

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
    readonly status: "SUCCEEDED" | "FAILED";
    readonly error?: string;
}

/** What a soak run saw. */
export interface SoakReport {
    readonly executions: SoakExecution[];
    readonly counts: Record<string, number>;
    readonly violations: string[];
}

/** The mix of orders: mostly good ones, and every magic path. */
export type OrderKind = "normal" | "declined" | "sold-out" | "ship-flaky" | "ship-down" | "invalid";
const MIX: readonly [OrderKind, number][] = [
    ["normal", 0.8],
    ["declined", 0.06],
    ["sold-out", 0.06],
    ["ship-flaky", 0.04],
    ["ship-down", 0.02],
    ["invalid", 0.02],
];
const SKUS = ["SKU-RED-MUG", "SKU-BLUE-PLATE", "SKU-TEA-TOWEL", "SKU-OAK-BOARD"];

/** The `i`-th order of a seeded soak. */
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
    const amount = kind === "declined" ? MAGIC.declinedAmount : 500 + Math.floor(random() * 50_000);
    const order: Order = { ...sampleOrder, orderId, amount, items: [{ sku, quantity: 1 + Math.floor(random() * 3) }] };
    return { kind, order: kind === "invalid" ? { ...order, items: [] } : order };
}

/** Every broken invariant, as sentences; empty when the run was clean. */
export function checkInvariants(executions: readonly SoakExecution[], ledger: Ledger): string[] {
    const problems: string[] = [];
    const named = new Set<string>(Object.values(OrderErrors));
    const byOrder = ledger.byOrder();
    for (const e of executions) {
        const entries = byOrder.get(e.orderId) ?? [];
        const n = (kind: string) => entries.filter((x) => x.kind === kind).length;
        const [charges, refunds, reservations, releases, shipments, cancels] = [
            "charge",
            "refund",
            "reservation",
            "release",
            "shipment",
            "shipment-cancel",
        ].map(n);
        if (e.status === "FAILED" && !named.has(e.error ?? "")) problems.push(`${e.orderId}: FAILED with an unnamed error \`${e.error}\``);
        if (charges > 1) problems.push(`${e.orderId}: charged ${charges} times`);
        if (e.status === "SUCCEEDED") {
            if (charges !== 1 || reservations !== 1 || shipments !== 1)
                problems.push(
                    `${e.orderId}: SUCCEEDED with ${charges} charge(s), ${reservations} reservation(s), ${shipments} shipment(s); expected one of each`,
                );
            if (refunds > 0 || releases > 0 || cancels > 0)
                problems.push(`${e.orderId}: SUCCEEDED but ${refunds} refund(s), ${releases} release(s) and ${cancels} shipment cancellation(s)`);
        } else {
            if (charges > 0 && refunds !== 1) problems.push(`${e.orderId}: FAILED (${e.error}) after a charge, refunded ${refunds} times`);
            if (reservations > releases) problems.push(`${e.orderId}: FAILED (${e.error}) with ${reservations - releases} reservation(s) still held`);
            if (shipments > cancels) problems.push(`${e.orderId}: FAILED (${e.error}) with ${shipments - cancels} shipment(s) not cancelled`);
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
                return { orderId: `soak-${i}`, kind, status: result.status, ...(result.error ? { error: result.error } : {}) };
            },
            options.deadlineMs ?? 10 * 60_000,
        );
        const ledger = local.sandbox.ledger;
        const counts: Record<string, number> = { orders: run.results.length, succeeded: run.results.filter((e) => e.status === "SUCCEEDED").length };
        for (const e of run.results) if (e.error) counts[`failed ${e.error}`] = (counts[`failed ${e.error}`] ?? 0) + 1;
        for (const kind of ["charge", "decline", "refund", "reservation", "out-of-stock", "release", "shipment", "shipment-cancel", "fault"] as const)
            counts[`ledger ${kind}`] = ledger.of(kind).length;
        counts["notifications"] = local.outbox.messages.length;
        return { executions: run.results, counts, violations: checkInvariants(run.results, ledger) };
    } finally {
        await local.close();
    }
}
