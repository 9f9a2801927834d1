/**
 * The soak test: many seeded orders through the saga against faulty sandbox APIs (generic 429, 500,
 * 503 and slow answers everywhere, and Stripe's own faults on the payment API: a 500 stored under
 * its idempotency key and replayed, 409 for a key in use, `idempotency_error`, search that misses a
 * new intent), then a second run of a sample of the orders after Stripe pruned their keys, then the
 * saga's invariants (`soak-invariants.ts`) checked against the sandbox ledger.
 */
import { Order, OrderErrors } from "../../deploy/workflows/order/definition";
import { LocalOrderStack, startLocalOrderStack } from "../local/order-stack";
import { runPool } from "../local/pool";
import { matchesOrderSchema } from "../local/order-schema";
import { FaultSpec, seededRandom, uniformFaults } from "../sandbox/faults";
import { INVALID_KINDS, OrderKind, soakOrder } from "./soak-orders";
import { checkInvariants, checkReruns, SoakExecution } from "./soak-invariants";

export { checkInvariants, checkReruns, soakOrder };
export type { OrderKind };
export type { SoakExecution };

/** Soak parameters. */
export interface SoakOptions {
    readonly orders: number;
    /** Probability that a call to a business endpoint gets a fault (split over 429/500/503/slow). */
    readonly faultRate: number;
    readonly seed: number;
    /** @default 16 */
    readonly concurrency?: number;
    /** Share of injected 500s (stored ones included) that happen after the API did its work. @default 0 */
    readonly afterEffectShare?: number;
    /** Share of orders run a second time after Stripe pruned their keys (25 hours later on the Stripe clock). @default 0.05 */
    readonly rerunShare?: number;
    /** No new order starts after this. @default 10 minutes */
    readonly deadlineMs?: number;
}

/** What a soak run saw. */
export interface SoakReport {
    readonly executions: SoakExecution[];
    readonly counts: Record<string, number>;
    readonly violations: string[];
}

/**
 * The faults of each payment endpoint: the generic ones, plus Stripe's own where they can happen
 * within one execution. A pruned key (`pKeyExpired`) needs 24 hours between two uses of a key, which
 * only a re-run has, so it is exercised by the re-run phase, not injected into retries seconds apart.
 */
function paymentFaults(generic: FaultSpec, rate: number, afterEffectShare: number): Record<string, FaultSpec> {
    const stripe = { pStored500: rate / 4, p409: rate / 4, afterEffectShare };
    return {
        "POST /payment_intents": { ...generic, ...stripe, pIdempotencyError: rate / 8 },
        "POST /payment_intents/{id}/capture": { ...generic, ...stripe },
        "GET /payment_intents/search": generic,
    };
}

/** First-run outcomes after which the payment is settled (cancelled or never held), so a re-run must change nothing. */
const RERUNNABLE: ReadonlySet<string> = new Set([OrderErrors.PaymentDeclined, OrderErrors.PaymentAuthenticationRequired, OrderErrors.OrderCancelled]);

/** Seconds before a new PaymentIntent can be found by search: Stripe's "less than a minute" under normal conditions. */
const SEARCH_LAG_SECONDS = 60;

/** The order to send: a storefront-confirmed one gets its PaymentIntent created first, as Stripe.js would leave it. */
function sendable(kind: OrderKind, order: Order | Record<string, unknown>, local: LocalOrderStack): Order | Record<string, unknown> {
    if (kind !== "3ds-storefront" && kind !== "3ds-unfinished") return order;
    const o = order as Order;
    const status = kind === "3ds-storefront" ? "requires_capture" : "requires_action";
    const intent = local.sandbox.stripe.clientConfirmed({ amount: o.amount, currency: o.currency.toLowerCase(), metadata: { order_id: o.orderId }, status });
    const { paymentMethod: _, ...rest } = o;
    return { ...rest, paymentIntentId: intent.id };
}

/** Runs one order and says how it ended. */
async function execute(local: LocalOrderStack, kind: string, order: Order | Record<string, unknown>, expectInvalid: boolean): Promise<SoakExecution> {
    const result = await local.runner.run(order);
    const orderId = String((order as { orderId?: unknown }).orderId);
    return { orderId, kind, expectInvalid, status: result.status, ...(result.error ? { error: result.error } : {}) };
}

/** Runs a soak: starts the sandbox, runs the orders, checks the invariants, closes the sandbox. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
    // Wait states take no real time but move the Stripe clock: search lag, key expiry and authorization
    // expiry all run on it. (The clock is shared, so one order's waits age every other order a little.)
    const started: { stack?: LocalOrderStack } = {};
    const local = await startLocalOrderStack({
        seed: options.seed,
        stripe: { searchLagSeconds: SEARCH_LAG_SECONDS },
        waitMs: (seconds) => (started.stack?.sandbox.stripe.clock.advance(seconds), 0),
    });
    started.stack = local;
    try {
        const afterEffectShare = options.afterEffectShare ?? 0;
        const generic = uniformFaults(options.faultRate, { slowMs: 2, afterEffectShare });
        local.sandbox.setFaults(generic);
        for (const [endpoint, spec] of Object.entries(paymentFaults(generic, options.faultRate, afterEffectShare)))
            local.sandbox.faults.payment.set(endpoint, spec);
        const random = seededRandom(options.seed);
        const rerunRandom = seededRandom(options.seed ^ 0x5eed);
        const reruns: { kind: OrderKind; order: Order | Record<string, unknown> }[] = [];
        // Each order is made when its task starts (the pool starts them in index order, so the seeded
        // sequence is the same), never all at once: a million orders would take gigabytes up front.
        const run = await runPool(
            options.orders,
            options.concurrency ?? 16,
            async (i): Promise<SoakExecution> => {
                const made = soakOrder(i, random);
                const order = sendable(made.kind, made.order, local);
                const expectInvalid = !matchesOrderSchema(order);
                if (expectInvalid !== INVALID_KINDS.has(made.kind))
                    throw new Error(`Soak order ${i} (${made.kind}) is ${expectInvalid ? "invalid" : "valid"} by the schema.`);
                if (!expectInvalid && rerunRandom() < (options.rerunShare ?? 0.05)) reruns.push({ kind: made.kind, order });
                return execute(local, made.kind, order, expectInvalid);
            },
            options.deadlineMs ?? 10 * 60_000,
        );
        // Stripe prunes keys after 24 hours: a re-run then gets no stored answer and must find the order's intent by search.
        // Only orders whose first run settled the payment are run again (an unknown or mismatched one is a person's).
        local.sandbox.stripe.clock.advance(25 * 3600);
        const settled = new Set(run.results.filter((e) => e.status === "SUCCEEDED" || RERUNNABLE.has(e.error ?? "")).map((e) => e.orderId));
        const rerun = reruns.filter((r) => settled.has(String((r.order as { orderId: string }).orderId)));
        const since = local.sandbox.ledger.entries.length;
        const again = await runPool(
            rerun.length,
            options.concurrency ?? 16,
            (i) => execute(local, `rerun ${rerun[i].kind}`, rerun[i].order, false),
            options.deadlineMs ?? 10 * 60_000,
        );
        const ledger = local.sandbox.ledger;
        const counts: Record<string, number> = { orders: run.results.length, succeeded: run.results.filter((e) => e.status === "SUCCEEDED").length };
        for (const e of run.results) if (e.error) counts[`failed ${e.error}`] = (counts[`failed ${e.error}`] ?? 0) + 1;
        counts["reruns after key expiry"] = again.results.length;
        counts["reruns succeeded"] = again.results.filter((e) => e.status === "SUCCEEDED").length;
        for (const kind of [
            "authorization",
            "decline",
            "requires-action",
            "capture",
            "cancel",
            "refund",
            "refund-failed",
            "reservation",
            "out-of-stock",
            "release",
            "shipment",
            "shipment-cancel",
            "fault",
        ] as const)
            counts[`ledger ${kind}`] = ledger.of(kind).length;
        counts["notifications"] = local.outbox.messages.length;
        counts["capture delays paged"] = local.outbox.messages.filter((m) => m.attributes.event === "PaymentCaptureDelayed").length;
        const violations = [...checkInvariants(run.results, ledger), ...checkReruns(again.results, ledger, since)];
        return { executions: [...run.results, ...again.results], counts, violations };
    } finally {
        await local.close();
    }
}
