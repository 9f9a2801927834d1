/**
 * The sandbox payment API, speaking Stripe's wire protocol for the calls the order saga makes:
 * form-encoded parameters checked against Stripe's own API definition (`api-params.json`), PaymentIntent
 * and Refund objects shaped like Stripe's published fixtures, Stripe's error objects and status
 * codes, Stripe's idempotency layer (`idempotency.ts`), a `Request-Id` on every answer, the pinned
 * `Stripe-Version` required, and Stripe's test PaymentMethods as the way to reach every outcome.
 * What it does not reproduce is listed in the Stripe section of docs/saga.md.
 */
import { STRIPE_API_VERSION } from "../../../deploy/workflows/order/payment/stripe";
import { Reply, Route, SandboxRequest } from "../http-server";
import { Ledger } from "../ledger";
import { StripeClock, StripeControl, StripeSandboxOptions } from "./control";
import { guarded } from "./errors";
import { IdempotencyLayer } from "./idempotency";
import { intentOperations } from "./intents";
import { refundOperations } from "./refunds";
import { searchOperation } from "./search";
import { randomText, StripeState } from "./state";

export { stripeErrorBody } from "./errors";
export { STRIPE_TEST_PAYMENT_METHODS } from "./methods";
export { StripeClock } from "./control";
export type { StripeControl, StripeSandboxOptions } from "./control";

/** A Stripe request id, e.g. `req_a1B2c3D4e5F6g7` (the `Request-Id` header of every answer). */
export const newRequestId = () => `req_${randomText(14)}`;

/**
 * Stripe's answer to an unusable `Stripe-Version`, or `undefined` for the pinned one. A malformed or
 * unknown version is 400 "Invalid Stripe API version: ..." with no code or param (as Stripe answers,
 * gburgyan/aat-stripe README and beam-community/stripity-stripe#613). Without the header Stripe
 * answers at the account's default version, and another real version in that version's shape; the
 * sandbox speaks only the pinned version, so it refuses both, saying why (not Stripe's behaviour).
 */
export function versionRefusal(header: string | string[] | undefined): Reply | undefined {
    const version = Array.isArray(header) ? header.join(", ") : header;
    if (version === STRIPE_API_VERSION) return undefined;
    const refusal = (message: string): Reply => ({ status: 400, body: { error: { type: "invalid_request_error", message } } });
    if (version === undefined || version === "")
        return refusal(
            `The sandbox answers only at Stripe-Version ${STRIPE_API_VERSION}. Without a Stripe-Version header Stripe would answer at the account's default API version, which the sandbox does not emulate: send the header.`,
        );
    if (!/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(version)) return refusal(`Invalid Stripe API version: ${version}`);
    return refusal(`The sandbox answers only at Stripe-Version ${STRIPE_API_VERSION}, not ${version}.`);
}

/** The routes of a Stripe sandbox account and the handle tests steer it with. */
export function stripeSandbox(ledger: Ledger, options: StripeSandboxOptions & { basePath?: string } = {}): { routes: Route[]; control: StripeControl } {
    const clock = options.clock ?? new StripeClock();
    const state = new StripeState(ledger, clock);
    const layer = new IdempotencyLayer(clock);
    const intents = intentOperations(state);
    const refunds = refundOperations(state, options.refundSettleSeconds ?? 60);
    const search = searchOperation(state, options.searchLagSeconds ?? 0, options.faults);
    const base = (options.basePath ?? "/v1").replace(/\/+$/, "");

    /** Time passes between requests: authorizations lapse and asynchronous refunds settle (only those due, from their queues). */
    const tick = () => {
        for (const intent of state.lapses.takeDue(state.clock.now())) intents.expire(intent);
        refunds.settle();
    };

    const route = (method: "GET" | "POST", path: string, pattern: RegExp, handle: (req: SandboxRequest) => Reply): Route => {
        const name = `${method} ${path}`;
        const run = guarded(handle);
        return {
            method,
            pattern,
            name,
            handle: (req) => {
                tick();
                const requestId = newRequestId();
                const headers = { "Request-Id": requestId, "Stripe-Version": STRIPE_API_VERSION };
                const refused = versionRefusal(req.headers["stripe-version"]);
                if (refused) return { ...refused, headers };
                if (method !== "POST") return { ...run(req), headers };
                const header = req.headers["idempotency-key"];
                const key = typeof header === "string" && header !== "" ? header : undefined;
                const fault = options.faults?.decideStripe(name) ?? { kind: "none" as const };
                const result = layer.run({ key, endpoint: name, path: `${base}${req.path}`, params: req.body, requestId }, fault, () => run(req));
                return { ...result.reply, headers: { ...headers, ...result.headers } };
            },
        };
    };
    const routes = [
        route("GET", "/payment_intents/search", /^\/payment_intents\/search$/, search),
        route("POST", "/payment_intents", /^\/payment_intents$/, intents.create),
        route("GET", "/payment_intents/{id}", /^\/payment_intents\/([^/]+)$/, intents.retrieve),
        route("POST", "/payment_intents/{id}/confirm", /^\/payment_intents\/([^/]+)\/confirm$/, intents.confirm),
        route("POST", "/payment_intents/{id}/capture", /^\/payment_intents\/([^/]+)\/capture$/, intents.capture),
        route("POST", "/payment_intents/{id}/cancel", /^\/payment_intents\/([^/]+)\/cancel$/, intents.cancel),
        route("POST", "/refunds", /^\/refunds$/, refunds.create),
        route("GET", "/refunds/{id}", /^\/refunds\/([^/]+)$/, refunds.retrieve),
    ];
    const control: StripeControl = {
        clock,
        clientConfirmed: (o) => intents.clientConfirmed(o),
        holdKey: (key) => layer.hold(key),
    };
    return { routes, control };
}
