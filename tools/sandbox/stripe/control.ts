/**
 * What a test (or the soak) controls in the Stripe sandbox: the clock every Stripe timestamp and
 * expiry is read from, how long a new object takes to reach the search index, how long refunds
 * take to settle, and the faults only Stripe has (a stored 500, 409 on a key in use, an
 * `idempotency_error`, a pruned key). `stripeSandbox` makes one with its routes; `startSandbox` exposes it.
 */
import { FaultInjector } from "../faults";

/** Stripe keeps an idempotency key at least 24 hours, then may prune it (docs.stripe.com/api/idempotent_requests). */
export const KEY_TTL_SECONDS = 24 * 60 * 60;

/**
 * A card authorization "lasts 7 days for online payments" before Stripe releases it and cancels the
 * PaymentIntent (docs.stripe.com/payments/place-a-hold-on-a-payment-method, "Authorization validity").
 */
export const AUTHORIZATION_SECONDS = 7 * 24 * 60 * 60;

/** Wall-clock time plus an offset the tests move forward. */
export class StripeClock {
    private offsetMs = 0;

    /** Milliseconds since the epoch, on this clock. */
    nowMs(): number {
        return Date.now() + this.offsetMs;
    }

    /** Seconds since the epoch, as Stripe's timestamps count. */
    now(): number {
        return Math.floor(this.nowMs() / 1000);
    }

    /** Moves the clock `seconds` forward. */
    advance(seconds: number): void {
        this.offsetMs += seconds * 1000;
    }
}

/** Options of the Stripe sandbox. */
export interface StripeSandboxOptions {
    /** @default a new clock */
    readonly clock?: StripeClock;
    /** Stripe-only faults (`pStored500`, `p409`, `pIdempotencyError`, `pKeyExpired`, `searchLagSeconds`, `searchMisses`). @default none */
    readonly faults?: FaultInjector;
    /**
     * Seconds before a new PaymentIntent can be found by search. Stripe: "don't use search for
     * read-after-write flows"; data is usually searchable within a minute, longer during outages
     * (docs.stripe.com/search#data-freshness). @default 0
     */
    readonly searchLagSeconds?: number;
    /** Seconds before a `pending` refund settles, or a `pm_card_refundFail` refund fails ("some time later": UNKNOWN). @default 60 */
    readonly refundSettleSeconds?: number;
}

/** The handle a test keeps on a running Stripe sandbox. */
export interface StripeControl {
    readonly clock: StripeClock;
    /**
     * Creates a PaymentIntent as the storefront leaves it after confirming with Stripe.js:
     * `requires_capture` (authorized, manual capture) or `requires_action` (3-D Secure not finished).
     * Nothing is recorded as a saga call; the authorization is in the ledger like any other.
     */
    clientConfirmed(intent: {
        amount: number;
        currency: string;
        metadata: Record<string, string>;
        status: "requires_capture" | "requires_action";
        paymentMethod?: string;
    }): {
        id: string;
        status: string;
    };
    /** Marks `key` as used by a request still running, so a request with it answers 409 until `release`. */
    holdKey(key: string): { release(): void };
}
