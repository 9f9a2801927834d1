/**
 * The Stripe module's decisions on the way to an authorization (the ones after it are in
 * `stripe-settle.ts`), each a routed JSONata Choice (`stripe-jsonata.ts`) that reads a raw
 * answer or failure, keeps what the saga needs and drops the rest. Every one is total: no answer,
 * however malformed, makes it throw or put an unchecked id into a URL (tests/workflows/stripe-choices.test.ts).
 */
import { ChoiceState } from "../../../asl/types";
import { PaymentOutcome } from "./provider";
import { causeField, jsonataList, routedChoice, withPayment, without } from "./stripe-jsonata";

/** How long the saga looks for an intent it cannot name, per reason: rounds × seconds between searches. */
export const LOOKUP_BOUNDS = {
    /**
     * After a lost or unusable answer to the create call: Stripe's search is "searchable in less than a
     * minute" normally and "up to an hour behind during outages" (docs/aws-facts.md §25), so
     * 31 rounds 2 minutes apart cover an hour.
     */
    unknown: { rounds: 31, seconds: 120 },
    /** After a 402 whose cause does not carry Stripe's answer: only to cancel the declined intent and read why. */
    declined: { rounds: 3, seconds: 20 },
} as const;

/**
 * The codes of a card that needs authentication the server cannot do: Stripe's `authentication_required`
 * (code and decline code), and the decline codes it gives a confirmation with `error_on_requires_action`
 * (`authentication_not_handled` as the sandbox records it; `requires_action_not_handled` as Stripe's
 * "Migrate your basic card integration" guide names it: which one the pinned version sends is UNKNOWN, so both count).
 */
const AUTH = jsonataList(["authentication_required", "authentication_not_handled", "requires_action_not_handled"]);

/** A payment outcome as a JSONata string literal. */
export const outcome = (o: PaymentOutcome) => `'${o}'`;

/** Where each decision can lead (state names of the Stripe module and the saga). */
export interface ChoiceTargets {
    readonly authorized: string;
    readonly captured: string;
    readonly notCapturable: string;
    readonly settled: string;
    /** Where a re-run of an order whose payment was captured and not refunded ends (nothing is done again). */
    readonly completed: string;
    /** Reads an intent found by search again, by id and with its charge (search answers may be stale). */
    readonly readFound: string;
    readonly undo: string;
    readonly create: string;
    readonly lookup: string;
    readonly reportCaptureDelay: string;
    readonly refund: string;
    readonly cancel: string;
}

/** A way to the undo states for intent `$id` with an outcome and reason. */
const toUndo = (undo: string, id: string, why: string, reason: string) => ({
    next: undo,
    output: withPayment(
        without("authorization", "failure", "search", "searchFailure", "lookup"),
        `{ 'intentId': ${id}, 'outcome': ${why}, 'reason': ${reason} }`,
    ),
});
/** A way to the outcome decision, nothing to undo. */
export const toSettled = (settled: string, why: string, reason: string, ...drop: string[]) => ({
    next: settled,
    output: withPayment(without(...drop), `{ 'outcome': ${why}, 'reason': ${reason} }`),
});
/** A way to the next search for an intent, `purpose` says why it is looked for. */
const toLookup = (lookup: string, purpose: keyof typeof LOOKUP_BOUNDS, round: string, ...drop: string[]) => ({
    next: lookup,
    output: `$merge([${without(...drop)}, { 'lookup': { 'purpose': '${purpose}', 'round': ${round}, 'wait': ${LOOKUP_BOUNDS[purpose].seconds} } }])`,
});

/**
 * Reads an intent at `$.authorization.ResponseBody` (the create answer, the storefront's intent, or
 * one found by search and read again by id): authorized when it is this order's and `requires_capture`;
 * otherwise undone with Stripe's reason, or left alone when it is not this order's.
 *
 * A `succeeded` intent was captured by an earlier run, which the saga does only after the shipment
 * exists, so the order completed once: it is never reserved, shipped or compensated again (issue 15:
 * a re-run that went on to ship again refunded a completed order when the shipping call failed).
 * Its charge (`latest_charge`, expanded) says what happened since: nothing refunded ends the re-run
 * as completed; refunded in full (`refunded`, or `amount_refunded` up to `amount_received`) ends it
 * `OrderCancelled`; partly refunded (a person's change) is left to a person; an unreadable charge is
 * an unknown state. Nothing is called in any of these cases.
 */
export function checkAuthorization(t: ChoiceTargets): ChoiceState {
    const lets = [
        `$i := $intent($o.authorization.ResponseBody)`,
        `$s := $text($i.status)`,
        `$code := $text($i.last_payment_error.code)`,
        `$why := $text($i.last_payment_error.decline_code) ? $text($i.last_payment_error.decline_code) : $code ? $code : $s`,
        `$client := $exists($o.paymentIntentId)`,
        // Stripe's Charge: `amount_refunded` counts partial refunds, `refunded` is true only when refunded in full.
        `$ch := $type($i.latest_charge) = 'object' ? $i.latest_charge : ()`,
        `$back := $type($ch.amount_refunded) = 'number' ? $ch.amount_refunded : ()`,
        `$settledBefore := $not($exists($back)) ? 'capturedUnread' : $back = 0 ? 'completed' : ($ch.refunded = true or $back >= $i.amount_received) ? 'refunded' : 'partlyRefunded'`,
        `$route := $not($exists($i)) ? ($client ? 'unreadable' : 'lost') : ($not($ours($i)) or ($client and $i.id != $o.paymentIntentId)) ? 'mismatch' : $s = 'requires_capture' ? 'authorized' : $s = 'succeeded' ? $settledBefore : ($s = 'requires_action' or $code in ${AUTH} or $text($i.last_payment_error.decline_code) in ${AUTH}) ? 'authentication' : 'declined'`,
    ];
    const captured = `'PaymentIntent ' & $i.id & ' of this order was captured by an earlier run'`;
    const mismatch = `'PaymentIntent ' & $i.id & ' (order_id ' & ($text($i.metadata.order_id) ? $text($i.metadata.order_id) : 'none') & ', ' & $text($i.amount) & ' ' & $text($i.currency) & ') does not match order ' & $o.orderId & ' (' & $string($o.amount) & ' ' & $cur & '); it was left untouched'`;
    return routedChoice(
        "Only this order's intent in requires_capture is authorized; a captured one ends the re-run by its refunds; anything else is undone or left alone.",
        lets,
        {
            authorized: { next: t.authorized, output: withPayment(without("authorization", "lookup"), `{ 'intentId': $i.id, 'attempt': 1 }`) },
            completed: {
                next: t.completed,
                output: withPayment(
                    without("authorization", "lookup"),
                    `{ 'intentId': $i.id, 'reason': ${captured} & ' and nothing was refunded: the order was completed; nothing was done again' }`,
                ),
            },
            // No outcome: the saga's default outcome, OrderCancelled, is what happened (the customer was told so, or is now).
            refunded: {
                next: t.settled,
                output: withPayment(
                    without("authorization", "lookup"),
                    `{ 'intentId': $i.id, 'reason': ${captured} & ' and refunded in full; nothing was done again' }`,
                ),
            },
            partlyRefunded: toSettled(
                t.settled,
                outcome("mismatch"),
                `${captured} & ' and partly refunded (' & $string($back) & ' of ' & $text($i.amount_received) & '): someone changed it; it was left untouched'`,
                "authorization",
                "lookup",
            ),
            capturedUnread: toSettled(
                t.settled,
                outcome("unknown"),
                `${captured} & ', but whether it was refunded could not be read: look it up in Stripe; nothing was done again'`,
                "authorization",
                "lookup",
            ),
            authentication: toUndo(
                t.undo,
                "$i.id",
                outcome("authentication"),
                "'The card needs authentication (3-D Secure), which only the storefront can do; PaymentIntent ' & $i.id & ' is ' & $s",
            ),
            declined: toUndo(
                t.undo,
                "$i.id",
                outcome("declined"),
                "$s = 'canceled' ? 'PaymentIntent ' & $i.id & ' of this order was already cancelled (' & ($text($i.cancellation_reason) ? $text($i.cancellation_reason) : 'no reason') & '); an order is paid once: use a new order id' : 'Stripe did not authorize the payment: ' & $why",
            ),
            mismatch: toSettled(t.settled, outcome("mismatch"), mismatch, "authorization", "lookup"),
            // The storefront's intent could not be read: release it (the undo reads it again and checks its order).
            unreadable: toUndo(t.undo, "$o.paymentIntentId", outcome("unavailable"), "'Stripe did not answer with PaymentIntent ' & $o.paymentIntentId"),
        },
        toLookup(t.lookup, "unknown", "0", "authorization"),
    );
}

/**
 * After the create call (or the storefront intent's retrieval) failed, Stripe's way: 402 is a card
 * failure; 400, 401, 403 and 404 mean our request was wrong (a bug or configuration, never the
 * customer's card); anything else left the outcome unknown, so the intent is looked for by search.
 */
export function readRefusal(t: ChoiceTargets): ChoiceState {
    const cause = "$o.failure.Cause";
    const lets = [
        `$e := $text($o.failure.Error)`,
        `$status := $e ? $substringAfter($e, 'States.Http.StatusCode.') : ''`,
        `$code := ${causeField(cause, "code", "[a-z_]{1,80}")}`,
        `$decline := ${causeField(cause, "decline_code", "[a-z_]{1,80}")}`,
        `$etype := ${causeField(cause, "type", "[a-z_]{1,80}")}`,
        // The intent Stripe attached to the error: the first `pi_` id inside it (Stripe writes `id` first; nested objects carry other prefixes).
        `$pi := $type(${cause}) = 'string' ? $match(${cause}, /"payment_intent"\\s*:\\s*\\{.*?"id"\\s*:\\s*"(pi_[A-Za-z0-9]{1,200})"/)[0].groups[0] : ()`,
        `$client := $exists($o.paymentIntentId)`,
        `$route := $status = '402' ? ($pi ? 'declinedIntent' : 'declinedUnread') : $status in ['400', '401', '403', '404'] ? ($pi and $not($client) ? 'refusedIntent' : 'refused') : $client ? 'clientUnknown' : 'unknown'`,
    ];
    const auth = `($code in ${AUTH} or $decline in ${AUTH})`;
    const declined = `${auth} ? ${outcome("authentication")} : ${outcome("declined")}`;
    const declineReason = `${auth} ? 'The card needs authentication (3-D Secure), which only the storefront can do' : 'Stripe declined the payment: ' & ($decline ? $decline : $code ? $code : 'card_error')`;
    const refusal = `'Stripe refused the request (' & $e & ($etype ? ', ' & $etype : '') & ($code ? ', ' & $code : '') & '): a bug or a configuration problem, not a card problem'`;
    return routedChoice(
        "Stripe's error classes: 402 a card failure; 400/401/403/404 our request was wrong; anything else an unknown outcome, found by search.",
        lets,
        {
            declinedIntent: toUndo(t.undo, "$pi", declined, declineReason),
            declinedUnread: toLookup(t.lookup, "declined", "0", "failure"),
            refusedIntent: toUndo(t.undo, "$pi", outcome("request"), refusal),
            refused: toSettled(t.settled, outcome("request"), refusal, "failure", "authorization"),
            clientUnknown: toUndo(
                t.undo,
                "$o.paymentIntentId",
                outcome("unavailable"),
                "'Stripe could not be reached to read PaymentIntent ' & $o.paymentIntentId & ' (' & $e & ')'",
            ),
        },
        toLookup(t.lookup, "unknown", "0", "failure"),
    );
}

/**
 * Reads a search for the order's intent (`metadata['order_id']`). Before the create call
 * (`$.lookup` absent) nothing found means "create it", and a failed search ends the order before
 * anything was held. After an unknown outcome the search is repeated within `LOOKUP_BOUNDS`, and
 * an intent is never created a second time.
 */
export function readSearchResult(t: ChoiceTargets, requestVersion: string): ChoiceState {
    const bound = (p: keyof typeof LOOKUP_BOUNDS) => LOOKUP_BOUNDS[p].rounds;
    const lets = [
        `$data := $o.search.ResponseBody.data`,
        `$found := $intent($filter($type($data) = 'array' ? $data : [], function($v) { $type($v) = 'object' and $v.metadata.order_id = $o.orderId })[0])`,
        `$purpose := $o.lookup.purpose = 'declined' ? 'declined' : $o.lookup.purpose = 'unknown' ? 'unknown' : 'precheck'`,
        `$round := $type($o.lookup.round) = 'number' ? $o.lookup.round : 0`,
        `$max := $purpose = 'declined' ? ${bound("declined")} : ${bound("unknown")}`,
        `$route := $exists($found) ? 'found' : $purpose = 'precheck' ? ($exists($o.search) ? 'create' : 'unavailable') : $round + 1 < $max ? 'again' : 'exhausted'`,
        // The create call's key: the step, the order and a hash of everything the request says, so changed contents never reuse a key.
        `$key := 'authorize-' & $o.orderId & '-' & $substring($hash($string(['${requestVersion}', $o.amount, $cur, $o.paymentMethod, $o.orderId]), 'SHA-256'), 0, 32)`,
    ];
    const dropped = ["search", "searchFailure", "lookup"];
    return routedChoice(
        "An intent for this order found by search is continued from; none found before creating means create it; after an unknown outcome, search again within a bound.",
        lets,
        {
            found: { next: t.readFound, output: `$merge([${without(...dropped, "failure")}, { 'authorization': { 'ResponseBody': $found } }])` },
            create: { next: t.create, output: `$merge([${without(...dropped)}, { 'stripeRequest': { 'currency': $cur, 'idempotencyKey': $key } }])` },
            unavailable: toSettled(
                t.settled,
                outcome("unavailable"),
                "'Stripe could not be searched before paying (' & $text($o.searchFailure.Error) & '); nothing was created'",
                ...dropped,
            ),
            again: { next: t.lookup, output: `$merge([${without("search", "searchFailure")}, { 'lookup': $merge([$o.lookup, { 'round': $round + 1 }]) }])` },
        },
        {
            next: t.settled,
            output: withPayment(
                without(...dropped),
                `$purpose = 'declined' ? { 'outcome': ${outcome("declined")}, 'reason': 'Stripe declined the payment (402)' } : { 'outcome': ${outcome("unknown")}, 'reason': 'The answer to the payment was lost and no PaymentIntent with metadata order_id ' & $o.orderId & ' was found within an hour: look it up in Stripe' }`,
            ),
        },
    );
}
