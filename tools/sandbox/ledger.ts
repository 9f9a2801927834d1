/**
 * What the sandbox APIs did, in order: the evidence the soak test checks its invariants against.
 */

/** Kinds of ledger entries. */
export type LedgerKind =
    /** A PaymentIntent reached `requires_capture`: money is held on the card. `id` is the intent. */
    | "authorization"
    /** A confirmation was declined (402); the intent stays in `requires_payment_method`. */
    | "decline"
    /** A confirmation needs customer action (3-D Secure): `requires_action`, nothing held yet. */
    | "requires-action"
    /** An authorized intent was captured: the customer is charged. */
    | "capture"
    /** An intent was cancelled; `detail` is the status it had. */
    | "cancel"
    /** A captured intent was refunded; `id` is the refund, `detail` the intent. */
    | "refund"
    /** A refund failed after it was created (Stripe's asynchronous failure): the customer did not get the money back. `id` is the refund, `detail` the intent. */
    | "refund-failed"
    | "reservation"
    | "out-of-stock"
    | "release"
    | "shipment"
    | "shipment-cancel"
    | "token"
    | "fault";

/** One thing a sandbox API did. */
export interface LedgerEntry {
    readonly seq: number;
    readonly api: string;
    readonly kind: LedgerKind;
    readonly orderId?: string;
    /** The id of the PaymentIntent, refund, reservation, shipment or token. */
    readonly id?: string;
    readonly detail?: string;
}

/** Append-only record shared by every sandbox API. */
export class Ledger {
    readonly entries: LedgerEntry[] = [];

    /** Appends an entry. */
    record(entry: Omit<LedgerEntry, "seq">): void {
        this.entries.push({ seq: this.entries.length + 1, ...entry });
    }

    /** Entries of `kind`, optionally of one order. */
    of(kind: LedgerKind, orderId?: string): LedgerEntry[] {
        return this.entries.filter((e) => e.kind === kind && (orderId === undefined || e.orderId === orderId));
    }

    /** Entries grouped by order id (entries without one are left out). */
    byOrder(): Map<string, LedgerEntry[]> {
        const out = new Map<string, LedgerEntry[]>();
        for (const e of this.entries) if (e.orderId !== undefined) (out.get(e.orderId) ?? out.set(e.orderId, []).get(e.orderId)!).push(e);
        return out;
    }
}
