/**
 * Stripe as the saga's payment gateway: PaymentIntents with manual capture.
 *
 * `AuthorizePayment` creates and confirms an intent server-side (`confirm=true`,
 * `capture_method=manual`, automatic payment methods without redirects); only an intent in
 * `requires_capture` is authorized. `CapturePayment` takes the money once the shipment exists.
 * Undoing a payment always reads the intent first, then cancels it (uncaptured) or refunds it
 * (captured), so it is right whatever happened to an answer.
 *
 * Safety, in the order it matters:
 * - Every call carries an `Idempotency-Key` from the order id, so a retry after a lost answer gets
 *   Stripe's stored answer instead of a second charge (Stripe keeps keys at least 24 hours;
 *   docs/aws-facts.md §13).
 * - When `AuthorizePayment` gives up although Stripe may have done the work, `RecoverPaymentIntent`
 *   sends the identical request with the same key: Stripe replays the stored answer (the intent and
 *   its id), or, if the first request never arrived, performs it now; either way the saga learns
 *   the id it never got and can continue or cancel. The search API is not used: it is eventually
 *   consistent and could miss an intent created a moment ago.
 * - No payment task can fail the execution: each catches every catchable error, and none selects
 *   fields from a response (a missing field would be an uncatchable `States.Runtime`); the raw
 *   answer is read by JSONata Choice states that cannot throw. So an execution only ever fails in
 *   a Fail state, which is where a redrive restarts: a redrive never re-runs a payment call.
 * - The intent id comes from Stripe and is checked (`pi_` + letters and digits) before it goes
 *   into a URL.
 */
import { dynamicPath, httpRetryPolicy, httpStatusError, httpTask } from "../../asl/http-task";
import { format, path } from "../../asl/payload";
import { Catcher, ChoiceState, Retrier, State } from "../../asl/types";
import { COMPENSATION_RETRY, PaymentProvider, PaymentTarget } from "./provider";

/** The Stripe API version the definition is written against (the `stripe` SDK's pinned version). */
export const STRIPE_API_VERSION = "2026-10-28.endive";

/** A PaymentIntent id as Stripe issues them; anything else never reaches a URL. */
export const PAYMENT_INTENT_ID = "^pi_[A-Za-z0-9]{1,200}$";

/** Intent statuses that `POST /v1/payment_intents/{id}/cancel` accepts. */
const CANCELLABLE = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"];

/** Stripe answers 409 when a request with the same key is still running: retry it like a 429. */
const stripeRetry = (options: Partial<Omit<Retrier, "ErrorEquals">> = {}): Retrier[] =>
    httpRetryPolicy(options).map((r) => ({ ...r, ErrorEquals: [...r.ErrorEquals, httpStatusError(409)] }));

const compensationRetry = stripeRetry(COMPENSATION_RETRY);

const headers = (step: string) => ({
    "Idempotency-Key": format(`${step}-{}`, path("$.orderId")),
    "Stripe-Version": STRIPE_API_VERSION,
});

/** Catches of a payment compensation: 404 is "nothing to undo", anything else is recorded. */
const compensationCatch = (next: string, failurePath: string): Catcher[] => [
    { ErrorEquals: [httpStatusError(404)], ResultPath: null, Next: next },
    { ErrorEquals: ["States.ALL"], ResultPath: failurePath, Next: next },
];

/**
 * A total JSONata function: the object if it is a PaymentIntent with a well-formed id, else nothing.
 * "Nothing" is `()`, JSONata's empty sequence (undefined): an unbound `$name` would be read by Step
 * Functions as a workflow-variable reference (docs/aws-facts.md §15).
 */
const INTENT_FN = `$intent := function($b) { ($type($b) = 'object' and $type($b.id) = 'string' and $contains($b.id, /${PAYMENT_INTENT_ID}/)) ? $b : () }`;
/** A short printable version of a value from Stripe, for a reason text. */
const TEXT_FN = `$text := function($v) { $type($v) = 'string' ? $substring($v, 0, 200) : () }`;
/** The input without `fields` (raw HTTP results and handled failures are dropped as soon as they are read). */
const without = (...fields: string[]) => `$sift($states.input, function($v, $k) { $not($k in [${fields.map((f) => `'${f}'`).join(", ")}]) })`;

/**
 * A JSONata Choice whose every path produces `output`. On AWS a matching rule applies only its own
 * `Output` (a rule without one passes the state input on) and the state-level `Output` applies only
 * when `Default` is taken (docs/aws-facts.md §14), so the same `Output` is written on each rule and at
 * state level: the state means the same under either reading.
 */
const jsonataChoice = (comment: string, lets: string[], choices: [string, string][], fallback: string, output: string): ChoiceState => {
    const prelude = [INTENT_FN, TEXT_FN, ...lets].join("; ");
    const Output = `{% (${prelude}; ${output}) %}`;
    return {
        Type: "Choice",
        QueryLanguage: "JSONata",
        Comment: comment,
        Choices: choices.map(([condition, next]) => ({ Condition: `{% (${prelude}; ${condition}) %}`, Output, Next: next })),
        Default: fallback,
        Output,
    };
};

/** Reads `AuthorizePayment`'s (or the recovery's) raw answer at `$.authorization`. */
function checkAuthorization(authorized: string, undo: string, fallback: string, recovery: boolean): ChoiceState {
    const lets = [`$i := $intent($states.input.authorization.ResponseBody)`, `$s := $text($i.status)`];
    const declined = `{ 'intentId': $i.id, 'declined': true, 'reason': 'Stripe did not authorize the payment: the PaymentIntent is ' & $s & ($text($i.last_payment_error.code) ? ' (' & $text($i.last_payment_error.code) & ')' : '') }`;
    const unknown = recovery
        ? `{ 'paymentRecoveryFailure': { 'Error': 'PaymentStateUnknown', 'Cause': 'Stripe answered the recovery without a usable PaymentIntent.' } }`
        : `{}`;
    return jsonataChoice(
        recovery ? "The recovered answer: continue, cancel, or record that the payment state is unknown." : "Only an intent in requires_capture is authorized.",
        lets,
        [
            [`$s = 'requires_capture'`, authorized],
            [`$exists($i)`, undo],
        ],
        fallback,
        `$merge([${recovery ? without("authorization", "failure") : without("authorization")}, $exists($i) ? { 'payment': $s = 'requires_capture' ? { 'intentId': $i.id } : ${declined} } : ${unknown}])`,
    );
}

/** After a 402 or 400 from the create call: Stripe's reason and, if the cause carries it, the intent. */
function readDecline(undo: string, settled: string): ChoiceState {
    const lets = [
        `$c := $states.input.failure.Cause`,
        // The cause is the status text or, where Step Functions includes it, the answer as JSON (§5.2 UNKNOWN).
        `$b := ($type($c) = 'string' and $substring($c, 0, 1) = '{') ? $parse($c) : ()`,
        `$e := $type($b.ResponseBody) = 'object' ? $b.ResponseBody.error : $b.error`,
        `$i := $intent($e.payment_intent)`,
        `$why := $text($e.decline_code) ? $text($e.decline_code) : $text($e.code) ? $text($e.code) : $text($e.message)`,
    ];
    const reason = `$why ? 'Stripe declined the payment: ' & $why : 'Stripe declined the payment (' & $text($states.input.failure.Error) & ': ' & ($text($c) ? $text($c) : 'no cause') & ')'`;
    return jsonataChoice(
        "A decline: keep Stripe's reason and undo the declined intent when its id is known.",
        lets,
        [[`$exists($i)`, undo]],
        settled,
        `$merge([${without("failure")}, { 'payment': $exists($i) ? { 'intentId': $i.id, 'declined': true, 'reason': ${reason} } : { 'declined': true, 'reason': ${reason} } }])`,
    );
}

/** After `ReadPaymentIntent`: refund a captured intent, cancel an uncaptured one, stop at a cancelled one. */
function chooseUndo(refund: string, cancel: string, settled: string): ChoiceState {
    const lets = [
        `$s := $text($states.input.intentState.ResponseBody.status)`,
        `$known := $s in ${JSON.stringify([...CANCELLABLE, "succeeded", "canceled"]).replace(/"/g, "'")}`,
    ];
    return jsonataChoice(
        "Undo whatever the payment is now.",
        lets,
        [
            [`$s = 'succeeded'`, refund],
            [`$s in ${JSON.stringify(CANCELLABLE).replace(/"/g, "'")}`, cancel],
        ],
        settled,
        `$merge([${without("intentState")}, $known ? {} : { 'paymentCompensationFailure': { 'Error': 'UnexpectedPaymentState', 'Cause': 'The PaymentIntent is in status ' & ($s ? $s : 'unknown') & '; it cannot be cancelled or refunded automatically.' } }])`,
    );
}

/** The Stripe payment states. */
export const stripePayment: PaymentProvider = (target: PaymentTarget, next) => {
    const common = { api: target.api, allowLoopbackHttp: target.allowLoopbackHttp, urlEncodedBody: {} };
    const intentId = path("$.payment.intentId");
    const failure = "$.paymentCompensationFailure";
    /** The create request; `RecoverPaymentIntent` sends exactly the same (same key, same parameters). */
    const authorize = (retry: Retrier[], catches: Catcher[], transition: string): State =>
        httpTask({
            ...common,
            path: "/payment_intents",
            method: "POST",
            headers: headers("authorize"),
            requestBody: {
                amount: path("$.amount"),
                currency: path("$.currency"),
                payment_method: path("$.paymentMethod"),
                confirm: true,
                capture_method: "manual",
                // Confirm server-side with no redirect: a card needing 3-D Secure stops in requires_action.
                automatic_payment_methods: { enabled: true, allow_redirects: "never" },
                description: format("Order {}", path("$.orderId")),
                metadata: { order_id: path("$.orderId") },
            },
            resultPath: "$.authorization",
            retry,
            catch: catches,
            transition: { Next: transition },
        });
    const declines = [httpStatusError(402), httpStatusError(400)];
    const states: Record<string, State> = {
        AuthorizePayment: authorize(
            stripeRetry(),
            [
                { ErrorEquals: declines, ResultPath: "$.failure", Next: "ReadDecline" },
                // Stripe may have authorized although no answer arrived: recover the intent.
                { ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "RecoverPaymentIntent" },
            ],
            "CheckAuthorization",
        ),
        // An intent that is not authorized is read before it is undone: it may even be captured.
        CheckAuthorization: checkAuthorization(next.authorized, "ReadPaymentIntent", "RecoverPaymentIntent", false),
        ReadDecline: readDecline("ReadPaymentIntent", next.settled),
        RecoverPaymentIntent: authorize(
            compensationRetry,
            [
                { ErrorEquals: declines, ResultPath: "$.failure", Next: "ReadDecline" },
                { ErrorEquals: ["States.ALL"], ResultPath: "$.paymentRecoveryFailure", Next: next.settled },
            ],
            "CheckRecoveredAuthorization",
        ),
        CheckRecoveredAuthorization: checkAuthorization(next.authorized, "ReadPaymentIntent", next.settled, true),
        CapturePayment: httpTask({
            ...common,
            path: dynamicPath("/payment_intents/{}/capture", intentId),
            method: "POST",
            headers: headers("capture"),
            resultPath: null,
            retry: stripeRetry(),
            catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: next.captureFailed }],
            transition: { Next: next.captured },
        }),
        ReadPaymentIntent: httpTask({
            api: target.api,
            allowLoopbackHttp: target.allowLoopbackHttp,
            path: dynamicPath("/payment_intents/{}", intentId),
            method: "GET",
            headers: { "Stripe-Version": STRIPE_API_VERSION },
            resultPath: "$.intentState",
            retry: compensationRetry,
            catch: compensationCatch(next.settled, failure),
            transition: { Next: "ChooseUndo" },
        }),
        ChooseUndo: chooseUndo("RefundPayment", "CancelPaymentIntent", next.settled),
        CancelPaymentIntent: httpTask({
            ...common,
            path: dynamicPath("/payment_intents/{}/cancel", intentId),
            method: "POST",
            headers: headers("cancel"),
            requestBody: { cancellation_reason: "abandoned" },
            resultPath: null,
            retry: compensationRetry,
            catch: compensationCatch(next.settled, failure),
            transition: { Next: next.settled },
        }),
        RefundPayment: httpTask({
            ...common,
            path: "/refunds",
            method: "POST",
            headers: headers("refund"),
            requestBody: { payment_intent: intentId, metadata: { order_id: path("$.orderId") } },
            resultPath: null,
            retry: compensationRetry,
            catch: compensationCatch(next.settled, failure),
            transition: { Next: next.settled },
        }),
    };
    return { states, authorize: "AuthorizePayment", capture: "CapturePayment", undo: "ReadPaymentIntent", failurePaths: [failure, "$.paymentRecoveryFailure"] };
};
