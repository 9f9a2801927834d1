/**
 * What the sandbox APIs did, in order: the evidence the soak test checks its invariants against.
 */

/** Kinds of ledger entries. */
export type LedgerKind = "charge" | "decline" | "refund" | "reservation" | "out-of-stock" | "release" | "shipment" | "shipment-cancel" | "token" | "fault";

/** One thing a sandbox API did. */
export interface LedgerEntry {
    readonly seq: number;
    readonly api: string;
    readonly kind: LedgerKind;
    readonly orderId?: string;
    /** The id of the charge, refund, reservation, shipment or token. */
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
