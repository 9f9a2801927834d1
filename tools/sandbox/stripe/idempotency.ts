/**
 * Stripe's idempotency layer for API v1 POSTs (docs.stripe.com/api/idempotent_requests and
 * docs.stripe.com/error-low-level#idempotency):
 * - the status and body of the first request with a key are saved once the endpoint begins to
 *   execute, and every retry with the key gets them back, **including 500s**; a result is not saved
 *   when parameters fail validation or the request conflicts with one still running (here: 400,
 *   401, 403, 404, 409, 429 are not saved);
 * - the same key with other parameters, or on another endpoint, is 400 `idempotency_error`;
 * - a key still in use by a running request is 409 (type `idempotency_error`, code
 *   `idempotency_key_in_use`, docs.stripe.com/error-codes);
 * - keys may be pruned once at least 24 hours old; then the request runs again as new;
 * - a replay carries `Idempotent-Replayed: true` and `Original-Request` (the first request's id),
 *   under a `Request-Id` of its own (observed on Stripe test mode: gburgyan/aat-stripe README,
 *   "Idempotent replays"). GET and DELETE ignore keys.
 */
import type { Reply } from "../http-server";
import { StripeFaultDecision } from "../faults";
import { StripeClock, KEY_TTL_SECONDS } from "./control";
import { docUrl } from "./errors";

interface Saved {
    readonly endpoint: string;
    readonly path: string;
    readonly fingerprint: string;
    readonly reply: Reply;
    readonly requestId: string;
    readonly savedAtMs: number;
}

/** JSON with object keys sorted, so parameters sent in another order count as the same. */
export function canonical(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) =>
        typeof v === "object" && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
    );
}

/** Stripe's 400 `idempotency_error` for a key reused with other parameters (or otherwise refused). */
export const idempotencyError = (message: string, key: string): Reply => ({
    status: 400,
    body: { error: { type: "idempotency_error", message: `${message} Try using a key other than '${key}' if you meant to execute a different request.` } },
});

/** Stripe's answer to a POST whose key a running request holds. */
const inUse = (key: string): Reply => ({
    status: 409,
    body: {
        error: {
            type: "idempotency_error",
            code: "idempotency_key_in_use",
            doc_url: docUrl("idempotency_key_in_use"),
            message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
        },
    },
});

/** Stripe's own 500 (type `api_error`). */
export const STRIPE_500: Reply = {
    status: 500,
    body: { error: { type: "api_error", message: "An unknown error occurred while processing your request. Please retry." } },
};

/** A request as the idempotency layer sees it. */
export interface KeyedRequest {
    readonly key: string | undefined;
    readonly endpoint: string;
    /** The full path, e.g. `/v1/payment_intents`, for Stripe's "same endpoint" message. */
    readonly path: string;
    readonly params: unknown;
    readonly requestId: string;
}

/** The keys of one Stripe account. */
export class IdempotencyLayer {
    private readonly saved = new Map<string, Saved>();
    private readonly held = new Set<string>();

    constructor(private readonly clock: StripeClock) {}

    /** Holds `key` as if a request with it were running. */
    hold(key: string): { release(): void } {
        this.held.add(key);
        return { release: () => this.held.delete(key) };
    }

    /** Answers `req`: a replay, a refusal, or `execute()` (whose answer is saved when Stripe saves it). */
    run(req: KeyedRequest, fault: StripeFaultDecision, execute: () => Reply): { reply: Reply; headers: Record<string, string> } {
        const { key } = req;
        if (key === undefined) return { reply: fault.kind === "stored500" ? this.crash(fault, execute) : execute(), headers: {} };
        const headers: Record<string, string> = { "Idempotency-Key": key, "Original-Request": req.requestId };
        if (key.length > 255)
            return {
                reply: { status: 400, body: { error: { type: "invalid_request_error", message: "Idempotency keys can be at most 255 characters long." } } },
                headers,
            };
        if (this.held.has(key) || fault.kind === "409") return { reply: inUse(key), headers };
        let previous = this.saved.get(key);
        if (previous && (this.clock.nowMs() - previous.savedAtMs >= KEY_TTL_SECONDS * 1000 || fault.kind === "keyExpired")) {
            this.saved.delete(key);
            previous = undefined;
        }
        if (fault.kind === "idempotencyError" && !previous)
            return {
                reply: idempotencyError("Keys for idempotent requests can only be used with the same parameters they were first used with.", key),
                headers,
            };
        const fingerprint = canonical(req.params ?? {});
        if (previous) {
            if (previous.endpoint === req.endpoint && previous.path === req.path && previous.fingerprint === fingerprint)
                return { reply: previous.reply, headers: { ...headers, "Idempotent-Replayed": "true", "Original-Request": previous.requestId } };
            const reason =
                previous.path === req.path
                    ? "Keys for idempotent requests can only be used with the same parameters they were first used with."
                    : `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${previous.path}' vs '${req.path}').`;
            return { reply: idempotencyError(reason, key), headers };
        }
        const reply = fault.kind === "stored500" ? this.crash(fault, execute) : execute();
        if (![400, 401, 403, 404, 409, 429].includes(reply.status))
            this.saved.set(key, { endpoint: req.endpoint, path: req.path, fingerprint, reply, requestId: req.requestId, savedAtMs: this.clock.nowMs() });
        return { reply, headers };
    }

    /** A 500 from Stripe, after doing the work when `afterEffect` (a request that fails validation never gets that far). */
    private crash(fault: { afterEffect: boolean }, execute: () => Reply): Reply {
        if (!fault.afterEffect) return STRIPE_500;
        const reply = execute();
        return [400, 401, 403, 404].includes(reply.status) ? reply : STRIPE_500;
    }
}
