/**
 * The objects of one sandbox Stripe account and their shapes: PaymentIntents and Refunds built
 * from Stripe's published fixtures (`../stripe-fixtures.json`), and the Charge a PaymentIntent's
 * `latest_charge` expands to.
 */
import { randomBytes } from "crypto";
import { Ledger } from "../ledger";
import fixtures from "../stripe-fixtures.json";
import { StripeClock } from "./control";
import { DueQueue } from "./due-queue";
import { StripeError } from "./errors";

/** A PaymentIntent's status. */
export type Status = "requires_payment_method" | "requires_confirmation" | "requires_action" | "processing" | "requires_capture" | "canceled" | "succeeded";

/** A PaymentIntent as Stripe serializes it; the fields the sandbox changes are typed. */
export interface PaymentIntent {
    [field: string]: unknown;
    id: string;
    amount: number;
    amount_capturable: number;
    amount_received: number;
    currency: string;
    created: number;
    status: Status;
    metadata: Record<string, string>;
    payment_method: string | null;
    latest_charge: string | null;
    last_payment_error: StripeError | null;
    next_action: Record<string, unknown> | null;
    capture_method: string;
}

/** What the sandbox knows about an intent beyond its fields. */
export interface IntentExtra {
    /** When an authorization lapses (`payment_method_details.card.capture_before` of its charge). */
    captureBefore?: number;
    /** The method that paid (kept after a decline clears `payment_method`). */
    chargedWith?: string;
    /** Searches that already missed the intent (fault `searchMisses`). */
    searchMisses: number;
    /** Creation time in milliseconds on the Stripe clock (when search lag starts). */
    createdMs: number;
    /** Place in creation order (search answers and lapses follow it). */
    seq: number;
}

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
// Random bytes drawn in blocks: one `randomBytes` call per id (every answer has a request id) cost more than the sandbox's own work.
let pool = Buffer.alloc(0);
let used = 0;
/** `length` random letters and digits. */
export const randomText = (length: number) => {
    if (used + length > pool.length) [pool, used] = [randomBytes(Math.max(4096, length)), 0];
    let text = "";
    for (let i = 0; i < length; i++) text += ALPHABET[pool[used++] % ALPHABET.length];
    return text;
};
// Module-wide so that ids stay unique across every sandbox of the process; the random tail makes them unguessable.
let issued = 0;
/** A new Stripe-shaped id, e.g. `pi_000001AbC...` (24 characters after the prefix). */
export const newId = (prefix: string) => `${prefix}_${(++issued).toString(36).padStart(6, "0")}${randomText(18)}`;

/** The fixture with its example-only values reset to what a new PaymentIntent has. */
export const NEW_INTENT = {
    ...fixtures.resources.payment_intent,
    ...{ amount_details: { tip: {} }, canceled_at: null, last_payment_error: null, next_action: null, payment_method_configuration_details: null },
    ...{ processing: null, shipping: null, transfer_data: null, managed_payments: null, latest_charge: null, amount_capturable: 0, amount_received: 0 },
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: "automatic" } },
};

/** The fixture with its example-only values reset to what a new Refund has. */
export const NEW_REFUND = { ...fixtures.resources.refund, payment_method: null, status: "succeeded" };

/** A refund with what the sandbox needs to settle it later. */
export interface RefundRecord {
    body: Record<string, unknown> & { id: string; status: string; created: number };
    /** `pending` → `succeeded`, or `succeeded` → `failed`, once the clock passes `settlesAt`. */
    settlesTo?: "succeeded" | "failed";
    settlesAt?: number;
}

/** Everything one sandbox Stripe account holds. */
export class StripeState {
    readonly intents = new Map<string, PaymentIntent>();
    readonly extra = new Map<string, IntentExtra>();
    readonly refunds = new Map<string, RefundRecord>();
    /** Amount refunded (not failed) per intent. */
    readonly refunded = new Map<string, number>();
    /**
     * Intents by every `metadata.order_id` they have had, in creation order: the saga searches by it
     * before each create, and a walk over every intent made a run quadratic in its orders. Readers
     * re-check the current metadata, so an entry left behind by a metadata update is harmless.
     */
    readonly byOrderId = new Map<string, PaymentIntent[]>();
    /** Authorizations by `capture_before` (when they lapse). */
    readonly lapses = new DueQueue<PaymentIntent>();
    /** Asynchronous refunds by the time they settle. */
    readonly settlements = new DueQueue<RefundRecord>();
    private readonly byCharge = new Map<string, PaymentIntent>();

    constructor(
        readonly ledger: Ledger,
        readonly clock: StripeClock,
    ) {}

    /** Stores a new intent, with what search and expiry need to find it. */
    add(intent: PaymentIntent): void {
        this.intents.set(intent.id, intent);
        this.extra.set(intent.id, { searchMisses: 0, createdMs: this.clock.nowMs(), seq: this.intents.size });
        this.indexMetadata(intent);
    }

    /** Indexes `intent` under its current `metadata.order_id` (call after every metadata change). */
    indexMetadata(intent: PaymentIntent): void {
        // Keyed as search compares (`String(value)`), in case a form sent a nested value.
        if (intent.metadata.order_id === undefined) return;
        const orderId = String(intent.metadata.order_id);
        const list = this.byOrderId.get(orderId) ?? this.byOrderId.set(orderId, []).get(orderId)!;
        if (!list.includes(intent)) list.push(intent);
    }

    /** Gives `intent` a new charge (`latest_charge`), findable by `intentOfCharge`. */
    newCharge(intent: PaymentIntent): void {
        intent.latest_charge = newId("ch");
        this.byCharge.set(intent.latest_charge, intent);
    }

    /** The intent whose `latest_charge` is `charge`, if any. */
    intentOfCharge(charge: string): PaymentIntent | undefined {
        const intent = this.byCharge.get(charge);
        return intent?.latest_charge === charge ? intent : undefined;
    }

    /** Records what happened to `intent` in the ledger (api `payment`, order = `metadata.order_id`). */
    record(kind: "authorization" | "decline" | "requires-action" | "capture" | "cancel", intent: PaymentIntent, detail?: string): void {
        this.ledger.record({ api: "payment", kind, orderId: intent.metadata.order_id, id: intent.id, ...(detail !== undefined ? { detail } : {}) });
    }

    /**
     * The Charge `latest_charge` expands to: the fields the saga may read (amounts, status,
     * `payment_method_details.card.capture_before`). Stripe's Charge has many more: this is a subset.
     */
    charge(intent: PaymentIntent): Record<string, unknown> | null {
        if (intent.latest_charge === null) return null;
        const extra = this.extra.get(intent.id);
        const failed = intent.last_payment_error !== null && intent.status === "requires_payment_method";
        const refunded = this.refunded.get(intent.id) ?? 0;
        const authorized = failed ? 0 : intent.amount;
        return {
            id: intent.latest_charge,
            object: "charge",
            amount: intent.amount,
            amount_captured: intent.amount_received,
            amount_refunded: refunded,
            captured: intent.status === "succeeded",
            created: intent.created,
            currency: intent.currency,
            livemode: false,
            metadata: intent.metadata,
            paid: !failed,
            payment_intent: intent.id,
            payment_method: extra?.chargedWith ?? intent.payment_method,
            refunded: refunded > 0 && refunded === intent.amount_received,
            status: failed ? "failed" : "succeeded",
            payment_method_details: {
                type: "card",
                card: {
                    amount_authorized: authorized,
                    brand: "visa",
                    ...(extra?.captureBefore !== undefined && intent.capture_method === "manual" ? { capture_before: extra.captureBefore } : {}),
                },
            },
        };
    }
}
