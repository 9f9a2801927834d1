/**
 * The saga's invariants, checked against the sandbox ledger (what the APIs actually did), not
 * against what the workflow believes it did. Each broken invariant is one sentence.
 */
import { OrderErrors } from "../../deploy/workflows/order/definition";
import { Ledger, LedgerKind } from "../sandbox/ledger";

/** How one execution ended. */
export interface SoakExecution {
    readonly orderId: string;
    readonly kind: string;
    /** What the order JSON Schema says of the input (the ASL must agree). */
    readonly expectInvalid: boolean;
    readonly status: "SUCCEEDED" | "FAILED";
    readonly error?: string;
}

/** Ledger kinds whose `id` is a PaymentIntent. */
const INTENT_KINDS: readonly LedgerKind[] = ["authorization", "decline", "requires-action", "capture", "cancel"];
/** Outcomes where the saga deliberately leaves the payment to a person or to Stripe (docs/saga.md: saga outcomes). */
const LEFT_TO_A_PERSON: ReadonlySet<string> = new Set([OrderErrors.PaymentNotCapturable, OrderErrors.PaymentMismatch]);

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
        const intents = new Set(entries.filter((x) => INTENT_KINDS.includes(x.kind)).map((x) => x.id));
        if (e.status === "FAILED" && !named.has(e.error ?? "")) problems.push(`${e.orderId}: FAILED with an unnamed error \`${e.error}\``);
        if (e.expectInvalid !== (e.error === OrderErrors.InvalidOrder))
            problems.push(`${e.orderId}: the order schema says ${e.expectInvalid ? "invalid" : "valid"} but the execution ended ${e.error ?? e.status}`);
        if (e.error === OrderErrors.InvalidOrder && entries.length > 0) problems.push(`${e.orderId}: InvalidOrder after ${entries.length} API effect(s)`);
        if (intents.size > 1) problems.push(`${e.orderId}: ${intents.size} PaymentIntents for one order`);
        if (n("authorization") > 1) problems.push(`${e.orderId}: authorized ${n("authorization")} times`);
        if (captured.length > 1 || new Set(captured).size !== captured.length) problems.push(`${e.orderId}: captured ${captured.length} times`);
        if (n("refund") > 1) problems.push(`${e.orderId}: refunded ${n("refund")} times`);
        // Once the money is taken nothing may fail: a capture never leads to a compensation.
        if (captured.length > 0 && e.status !== "SUCCEEDED") problems.push(`${e.orderId}: captured but ended ${e.error}`);
        if (e.status === "SUCCEEDED") {
            if (n("authorization") !== 1 || captured.length !== 1 || n("reservation") !== 1 || n("shipment") !== 1)
                problems.push(
                    `${e.orderId}: SUCCEEDED with ${n("authorization")} authorization(s), ${captured.length} capture(s), ${n("reservation")} reservation(s), ${n("shipment")} shipment(s); expected one of each`,
                );
            if (n("cancel") + n("refund") + n("release") + n("shipment-cancel") > 0)
                problems.push(
                    `${e.orderId}: SUCCEEDED but compensated (${n("cancel")} cancel, ${n("refund")} refund, ${n("release")} release, ${n("shipment-cancel")} shipment cancellation)`,
                );
        } else if (!LEFT_TO_A_PERSON.has(e.error ?? "")) {
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
        } else if (e.error === OrderErrors.PaymentNotCapturable && n("shipment") !== 1) {
            problems.push(`${e.orderId}: PaymentNotCapturable without a shipment (only a shipped order can end so)`);
        }
    }
    return problems;
}

/** Ledger kinds that move money or make a new intent: a re-run must cause none. */
const MONEY_KINDS: readonly LedgerKind[] = ["authorization", "decline", "requires-action", "capture", "refund"];

/**
 * The invariants of re-runs (an order run again after its first execution ended): each ends in a
 * named error or succeeds, and causes no authorization, decline, 3-D Secure attempt, capture or
 * refund: what the first run did is found, never done again. `since` is the ledger length when the
 * re-runs started.
 */
export function checkReruns(reruns: readonly SoakExecution[], ledger: Ledger, since: number): string[] {
    const problems: string[] = [];
    const named = new Set<string>(Object.values(OrderErrors));
    const later = ledger.entries.slice(since);
    for (const e of reruns) {
        if (e.status === "FAILED" && !named.has(e.error ?? "")) problems.push(`${e.orderId} (re-run): FAILED with an unnamed error \`${e.error}\``);
        const moved = later.filter((x) => x.orderId === e.orderId && MONEY_KINDS.includes(x.kind)).map((x) => x.kind);
        if (moved.length > 0) problems.push(`${e.orderId} (re-run): ${moved.join(", ")} again`);
    }
    return problems;
}
