/**
 * Seeded fault injection for the sandbox APIs: per endpoint, the probabilities of a 429, 500 or
 * 503 answer and of a slow answer, and the faults only Stripe has (a 500 stored under the
 * idempotency key and replayed, 409 for a key in use, `idempotency_error`, a pruned key, search
 * lag). The same seed gives the same sequence of decisions per server, so a soak run can be repeated.
 */

/** Fault probabilities of one endpoint (each in [0, 1]; their sum at most 1). */
export interface FaultSpec {
    readonly p429?: number;
    readonly p500?: number;
    readonly p503?: number;
    readonly pSlow?: number;
    /** Delay of a slow answer. @default 20 */
    readonly slowMs?: number;
    /**
     * Share of 500s that happen after the endpoint did its work (a crash before the answer), which
     * only an idempotency key makes safe to retry. @default 0
     */
    readonly afterEffectShare?: number;
    /**
     * Stripe only: a 500 from Stripe itself, stored under the request's `Idempotency-Key` and
     * replayed to every retry with that key until the key expires (docs.stripe.com/api/idempotent_requests:
     * "Retries with the same key return the saved response, including 500 errors"). `afterEffectShare`
     * says how often the work was done first. Requests without a key get an unstored 500.
     */
    readonly pStored500?: number;
    /** Stripe only: 409 `idempotency_key_in_use`, as when another request with the key is still running. */
    readonly p409?: number;
    /** Stripe only: 400 `idempotency_error`, as when the key was first used with other parameters (a re-run). */
    readonly pIdempotencyError?: number;
    /** Stripe only: the key's stored answer was pruned (older than 24 h), so the request runs again as new. */
    readonly pKeyExpired?: number;
    /** Stripe only: seconds (on the sandbox's Stripe clock) before a new PaymentIntent is searchable. */
    readonly searchLagSeconds?: number;
    /** Stripe only: how many searches miss a new PaymentIntent before the index has it (a lag in calls, not time). */
    readonly searchMisses?: number;
}

/** What the Stripe idempotency layer does with one POST (see `FaultSpec`'s Stripe-only fields). */
export type StripeFaultDecision =
    { readonly kind: "none" } | { readonly kind: "stored500"; readonly afterEffect: boolean } | { readonly kind: "409" | "idempotencyError" | "keyExpired" };

/** What the server does with one request. */
export type FaultDecision =
    | { readonly kind: "none" }
    | { readonly kind: "slow"; readonly delayMs: number }
    | { readonly kind: "status"; readonly status: 429 | 500 | 503; readonly afterEffect: boolean };

/** mulberry32: tiny, fast, good enough for test traffic; not for anything secret. */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** A stable 32-bit number from a string (to derive per-server seeds). */
export function hashSeed(text: string, seed: number): number {
    let h = seed ^ 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return h >>> 0;
}

/** The fault plan of one server: specs by endpoint (`"POST /charges"`) or `"*"` for all. */
export class FaultInjector {
    private readonly specs = new Map<string, FaultSpec>();
    private readonly random: () => number;

    constructor(seed: number) {
        this.random = seededRandom(seed);
    }

    /** Sets (or with `undefined`, clears) the faults of `endpoint`; `"*"` applies to every endpoint. */
    set(endpoint: string, spec: FaultSpec | undefined): void {
        if (spec === undefined) this.specs.delete(endpoint);
        else this.specs.set(endpoint, spec);
    }

    /** Decides the fate of the next request to `endpoint`. */
    decide(endpoint: string): FaultDecision {
        const spec = this.spec(endpoint);
        if (!spec) return { kind: "none" };
        const roll = this.random();
        let edge = 0;
        for (const status of [429, 500, 503] as const) {
            edge += spec[`p${status}`] ?? 0;
            if (roll < edge) return { kind: "status", status, afterEffect: status === 500 && this.random() < (spec.afterEffectShare ?? 0) };
        }
        edge += spec.pSlow ?? 0;
        if (roll < edge) return { kind: "slow", delayMs: spec.slowMs ?? 20 };
        return { kind: "none" };
    }

    /** The Stripe-only fault (if any) of the next POST to `endpoint`; a roll only when the spec has Stripe faults. */
    decideStripe(endpoint: string): StripeFaultDecision {
        const spec = this.spec(endpoint);
        if (!spec || (spec.pStored500 ?? 0) + (spec.p409 ?? 0) + (spec.pIdempotencyError ?? 0) + (spec.pKeyExpired ?? 0) === 0) return { kind: "none" };
        const roll = this.random();
        let edge = spec.pStored500 ?? 0;
        if (roll < edge) return { kind: "stored500", afterEffect: this.random() < (spec.afterEffectShare ?? 0) };
        for (const [kind, p] of [
            ["409", spec.p409],
            ["idempotencyError", spec.pIdempotencyError],
            ["keyExpired", spec.pKeyExpired],
        ] as const) {
            edge += p ?? 0;
            if (roll < edge) return { kind };
        }
        return { kind: "none" };
    }

    /** The spec that applies to `endpoint` (its own, else `"*"`). */
    spec(endpoint: string): FaultSpec | undefined {
        return this.specs.get(endpoint) ?? this.specs.get("*");
    }
}

/** Stripe's faults at `rate` in all, split evenly over a stored 500, 409, `idempotency_error` and a pruned key. */
export function stripeFaults(rate: number, options: { afterEffectShare?: number; searchLagSeconds?: number; searchMisses?: number } = {}): FaultSpec {
    const each = rate / 4;
    return { pStored500: each, p409: each, pIdempotencyError: each, pKeyExpired: each, ...options };
}

/** `rate` split evenly over 429, 500, 503 and slow answers. */
export function uniformFaults(rate: number, options: { slowMs?: number; afterEffectShare?: number } = {}): FaultSpec {
    const each = rate / 4;
    return { p429: each, p500: each, p503: each, pSlow: each, slowMs: options.slowMs ?? 5, afterEffectShare: options.afterEffectShare ?? 0 };
}
