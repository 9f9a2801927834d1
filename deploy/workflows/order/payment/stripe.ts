/**
 * Stripe as the saga's payment gateway: PaymentIntents with manual capture, confirmed either by the
 * saga (an order with `paymentMethod`) or by the storefront with Stripe.js, where 3-D Secure happens
 * (an order with `paymentIntentId`). The decisions are in `stripe-choices.ts`.
 *
 * Safety, in the order it matters:
 * - One intent per order, ever. Before creating, the saga searches for an intent with the order's
 *   `metadata['order_id']` and continues from one it finds (a re-run, or a redrive after Stripe
 *   pruned the keys), read again by id: a captured one means an earlier run completed the order,
 *   which is then never shipped, compensated or refunded again. The create call's `Idempotency-Key` is the step, the order id and a hash of
 *   everything the request says, so changed contents never reuse a key (no `idempotency_error`)
 *   while a retry of the same request gets Stripe's stored answer (docs/aws-facts.md §13). Capture,
 *   cancel and refund keys name the intent (and the capture round) they act on.
 * - An unknown outcome is found, not guessed: Stripe stores a 500 for its key and replays it to every
 *   retry, so after a lost answer the saga searches by `metadata['order_id']` within a bound
 *   (`LOOKUP_BOUNDS`; search is eventually consistent), and never creates a second intent.
 * - Stripe's error classes: 402 `card_error` is a decline (`authentication_required` told apart,
 *   because the saga sends `error_on_requires_action=true`); 400, 401, 403 and 404 are our fault and
 *   page; 409, 429 and 5xx are retried.
 * - Capture never cancels a shipped order: after failed attempts the intent is read, and the saga
 *   retries hourly while Stripe holds the authorization (`capture_before`), publishing an operations
 *   event each round; when it can no longer be captured the order ends `PaymentNotCapturable`.
 * - No payment task can fail the execution: each catches every catchable error, and none selects
 *   fields from a response (a missing field would be an uncatchable `States.Runtime`); raw answers
 *   are read by JSONata Choice states that cannot throw. So an execution only ever fails in a Fail
 *   state, which is where a redrive restarts: a redrive never re-runs a payment call.
 * - Only checked ids reach a URL: the order's `paymentIntentId` (pattern-checked by `ValidateOrder`)
 *   and intent ids that passed `pi_` + letters and digits.
 */
import { dynamicPath, httpRetryPolicy, httpStatusError, httpTask } from "../../../asl/http-task";
import { format, path } from "../../../asl/payload";
import { snsPublish } from "../../../asl/sns-task";
import { Catcher, Retrier, State } from "../../../asl/types";
import { COMPENSATION_RETRY, PaymentProvider } from "./provider";
import { checkAuthorization, ChoiceTargets, readRefusal, readSearchResult } from "./stripe-choices";
import { CAPTURE_ROUNDS, checkRefund, chooseAfterCapture, chooseUndo } from "./stripe-settle";

export { PAYMENT_INTENT_ID } from "./stripe-jsonata";
export { LOOKUP_BOUNDS } from "./stripe-choices";
export { CAPTURE_ROUNDS } from "./stripe-settle";

/** The Stripe API version the definition is written against (the `stripe` SDK's pinned version). */
export const STRIPE_API_VERSION = "2026-10-28.endive";

/** Stripe answers 409 when a request with the same key is still running: retry it like a 429. */
const stripeRetry = (options: Partial<Omit<Retrier, "ErrorEquals">> = {}): Retrier[] =>
    httpRetryPolicy(options).map((r) => ({ ...r, ErrorEquals: [...r.ErrorEquals, httpStatusError(409)] }));

const compensationRetry = stripeRetry(COMPENSATION_RETRY);

const version = { "Stripe-Version": STRIPE_API_VERSION };
/** Headers of a call that changes something, with its idempotency key. */
const keyed = (key: ReturnType<typeof format> | ReturnType<typeof path>) => ({ "Idempotency-Key": key, ...version });

/** Catches of a payment compensation: 404 is "nothing to undo", anything else is recorded. */
const compensationCatch = (next: string, failurePath: string): Catcher[] => [
    { ErrorEquals: [httpStatusError(404)], ResultPath: null, Next: next },
    { ErrorEquals: ["States.ALL"], ResultPath: failurePath, Next: next },
];

/**
 * The create request's fixed parameters. `error_on_requires_action` makes a card that needs 3-D
 * Secure fail with a 402 `authentication_required` instead of waiting in `requires_action`, which a
 * server-side confirmation cannot complete (Stripe's PaymentIntent create parameters).
 */
const CREATE_PARAMETERS = {
    confirm: true,
    capture_method: "manual",
    error_on_requires_action: true,
    automatic_payment_methods: { enabled: true, allow_redirects: "never" },
} as const;

/** A short fingerprint of the fixed parameters: part of the key hash, so a changed definition never reuses a key. */
export const CREATE_REQUEST_VERSION = [...JSON.stringify(CREATE_PARAMETERS)].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7).toString(36);

/** The Stripe payment states. */
export const stripePayment: PaymentProvider = (target, next) => {
    const common = { api: target.api };
    const form = { ...common, urlEncodedBody: {} };
    const intentId = path("$.payment.intentId");
    const failure = "$.paymentCompensationFailure";
    /**
     * Reads the intent at `idPath` with its charge expanded, into `$.authorization`, then `CheckAuthorization`:
     * a re-run of a completed order finds the intent captured, and maybe refunded since.
     */
    const readIntentWithCharge = (idPath: string, caught: Omit<Catcher, "ErrorEquals">): State =>
        httpTask({
            ...common,
            path: dynamicPath("/payment_intents/{}", path(idPath)),
            method: "GET",
            headers: version,
            queryParameters: { "expand[]": "latest_charge" },
            resultPath: "$.authorization",
            retry: stripeRetry(),
            catch: [{ ErrorEquals: ["States.ALL"], ...caught }],
            transition: { Next: "CheckAuthorization" },
        });
    const t: ChoiceTargets = {
        authorized: "CheckAuthorization",
        captured: next.captured,
        notCapturable: next.notCapturable,
        settled: next.settled,
        completed: next.completed,
        readFound: "ReadFoundPaymentIntent",
        undo: "ReadPaymentIntent",
        create: "AuthorizePayment",
        lookup: "WaitForPaymentIntent",
        reportCaptureDelay: "ReportCaptureDelayed",
        refund: "RefundPayment",
        cancel: "CancelPaymentIntent",
    };
    const states: Record<string, State> = {
        SearchPaymentIntent: httpTask({
            ...common,
            path: "/payment_intents/search",
            method: "GET",
            headers: version,
            queryParameters: { query: format("metadata['order_id']:'{}'", path("$.orderId")) },
            resultPath: "$.search",
            retry: stripeRetry(),
            catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.searchFailure", Next: "ReadSearchResult" }],
            transition: { Next: "ReadSearchResult" },
        }),
        ReadSearchResult: readSearchResult(t, CREATE_REQUEST_VERSION),
        // Search is eventually consistent (docs/aws-facts.md §25) and lists `latest_charge` as an id: the found
        // intent is read by id with its charge, which says whether an earlier run captured it and what was refunded since.
        // Unreadable: decide on the search's copy (a captured one then ends PaymentStateUnknown, untouched).
        ReadFoundPaymentIntent: readIntentWithCharge("$.authorization.ResponseBody.id", { ResultPath: null, Next: "CheckAuthorization" }),
        WaitForPaymentIntent: { Type: "Wait", SecondsPath: "$.lookup.wait", Next: "SearchPaymentIntent" },
        AuthorizePayment: httpTask({
            ...form,
            path: "/payment_intents",
            method: "POST",
            headers: keyed(path("$.stripeRequest.idempotencyKey")),
            requestBody: {
                amount: path("$.amount"),
                currency: path("$.stripeRequest.currency"),
                payment_method: path("$.paymentMethod"),
                ...CREATE_PARAMETERS,
                description: format("Order {}", path("$.orderId")),
                metadata: { order_id: path("$.orderId") },
            },
            resultPath: "$.authorization",
            retry: stripeRetry(),
            catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "ReadRefusal" }],
            transition: { Next: "CheckAuthorization" },
        }),
        RetrievePaymentIntent: readIntentWithCharge("$.paymentIntentId", { ResultPath: "$.failure", Next: "ReadRefusal" }),
        CheckAuthorization: checkAuthorization({ ...t, authorized: next.authorized }),
        ReadRefusal: readRefusal(t),
        CapturePayment: httpTask({
            ...form,
            path: dynamicPath("/payment_intents/{}/capture", intentId),
            method: "POST",
            // A new key per round: Stripe replays a stored 500 to every retry with the same key.
            headers: keyed(format("capture-{}-{}", intentId, path("$.payment.attempt"))),
            resultPath: null,
            retry: stripeRetry(),
            catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.captureFailure", Next: "ReadCapture" }],
            transition: { Next: next.captured },
        }),
        ReadCapture: httpTask({
            ...common,
            path: dynamicPath("/payment_intents/{}", intentId),
            method: "GET",
            headers: version,
            // The charge carries `capture_before`, the end of the authorization.
            queryParameters: { "expand[]": "latest_charge" },
            resultPath: "$.captureState",
            retry: compensationRetry,
            catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.captureReadFailure", Next: "ChooseAfterCapture" }],
            transition: { Next: "ChooseAfterCapture" },
        }),
        ChooseAfterCapture: chooseAfterCapture(t),
        ReportCaptureDelayed: snsPublish({
            topicArn: target.topicArn,
            subject: "Payment capture delayed",
            message: format(
                `Capturing PaymentIntent {} of order {} failed (attempt {}); the saga tries again every ${CAPTURE_ROUNDS.seconds / 60} minutes while Stripe holds the authorization. Check Stripe's status and this execution.`,
                intentId,
                path("$.orderId"),
                path("$.payment.attempt"),
            ),
            attributes: { event: "PaymentCaptureDelayed", audience: "operations", orderId: path("$.orderId") },
            resultPath: null,
            // Paging is best effort: the capture must go on whatever happens to the message.
            catch: [{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "WaitToCapture" }],
            transition: { Next: "WaitToCapture" },
        }),
        WaitToCapture: { Type: "Wait", Seconds: CAPTURE_ROUNDS.seconds, Next: "CapturePayment" },
        ReadPaymentIntent: httpTask({
            ...common,
            path: dynamicPath("/payment_intents/{}", intentId),
            method: "GET",
            headers: version,
            resultPath: "$.intentState",
            retry: compensationRetry,
            catch: compensationCatch(next.settled, failure),
            transition: { Next: "ChooseUndo" },
        }),
        ChooseUndo: chooseUndo(t),
        CancelPaymentIntent: httpTask({
            ...form,
            path: dynamicPath("/payment_intents/{}/cancel", intentId),
            method: "POST",
            headers: keyed(format("cancel-{}", intentId)),
            requestBody: { cancellation_reason: "abandoned" },
            resultPath: null,
            retry: compensationRetry,
            catch: compensationCatch(next.settled, failure),
            transition: { Next: next.settled },
        }),
        RefundPayment: httpTask({
            ...form,
            path: "/refunds",
            method: "POST",
            headers: keyed(format("refund-{}", intentId)),
            requestBody: { payment_intent: intentId, metadata: { order_id: path("$.orderId") } },
            resultPath: "$.refund",
            retry: compensationRetry,
            catch: compensationCatch(next.settled, failure),
            transition: { Next: "CheckRefund" },
        }),
        CheckRefund: checkRefund(next.settled),
    };
    return {
        states,
        authorize: "SearchPaymentIntent",
        adoptConfirmed: "RetrievePaymentIntent",
        capture: "CapturePayment",
        undo: "ReadPaymentIntent",
        failurePaths: [failure],
    };
};
