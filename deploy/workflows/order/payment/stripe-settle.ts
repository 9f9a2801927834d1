/**
 * The Stripe module's decisions once an intent is authorized: after a failed capture, when undoing
 * a payment, and after a refund. Routed JSONata Choices (`stripe-jsonata.ts`), total like the others
 * (tests/workflows/stripe-choices.test.ts).
 */
import { ChoiceState, PassState } from "../../../asl/types";
import { ChoiceTargets, outcome, toSettled } from "./stripe-choices";
import { CANCELLABLE, jsonataList, routedChoice, withPayment, without } from "./stripe-jsonata";

/** Capture retries: one an hour while Stripe still holds the authorization (about seven days for cards). */
export const CAPTURE_ROUNDS = { rounds: 7 * 24, seconds: 3600 };

/** After a failed capture, the intent as read (`$.captureState`): captured, worth another try later, or lost. */
export function chooseAfterCapture(t: ChoiceTargets): ChoiceState {
    const lets = [
        `$i := $intent($o.captureState.ResponseBody)`,
        `$s := $text($i.status)`,
        // Card authorizations expire: Stripe says when on the charge (payment_method_details.card.capture_before, Unix seconds).
        `$before := $i.latest_charge.payment_method_details.card.capture_before`,
        `$n := $type($o.payment.attempt) = 'number' ? $o.payment.attempt : 1`,
        `$open := $not($exists($i)) or $s in ['requires_capture', 'processing']`,
        `$inTime := $not($type($before) = 'number') or $millis() < ($before - ${CAPTURE_ROUNDS.seconds}) * 1000`,
        `$route := $s = 'succeeded' ? 'captured' : ($open and $inTime and $n < ${CAPTURE_ROUNDS.rounds}) ? 'again' : 'lost'`,
    ];
    const dropped = ["captureFailure", "captureState", "captureReadFailure"];
    return routedChoice(
        "A capture outage never cancels a shipped order: captured completes it, capturable waits and retries, anything else needs a person.",
        lets,
        {
            captured: { next: t.captured, output: without(...dropped) },
            again: {
                next: t.reportCaptureDelay,
                output: withPayment(
                    without(...dropped),
                    `{ 'attempt': $n + 1, 'lastCaptureError': $text($o.captureFailure.Error) ? $text($o.captureFailure.Error) : 'unknown' }`,
                ),
            },
        },
        {
            next: t.notCapturable,
            output: withPayment(
                without(...dropped),
                `{ 'reason': 'The goods were shipped but PaymentIntent ' & $o.payment.intentId & ' could not be captured (status ' & ($s ? $s : 'unreadable') & ' after ' & $string($n) & ' attempts): ask the customer to pay again, or recover the goods' }`,
            ),
        },
    );
}

/** After `ReadPaymentIntent`: refund this order's captured intent, cancel its uncaptured one; never touch another order's. */
export function chooseUndo(t: ChoiceTargets): ChoiceState {
    const lets = [
        `$i := $o.intentState.ResponseBody`,
        `$s := $text($i.status)`,
        `$foreign := $type($i) = 'object' and $i.metadata.order_id != $o.orderId`,
        `$route := $foreign ? 'foreign' : $s = 'succeeded' ? 'refund' : $s in ${jsonataList(CANCELLABLE)} ? 'cancel' : $s = 'canceled' ? 'done' : 'unexpected'`,
    ];
    return routedChoice(
        "Undo whatever the payment is now, if it is this order's.",
        lets,
        {
            refund: { next: t.refund, output: without("intentState") },
            cancel: { next: t.cancel, output: without("intentState") },
            done: { next: t.settled, output: without("intentState") },
            foreign: toSettled(
                t.settled,
                outcome("mismatch"),
                `'PaymentIntent ' & $o.payment.intentId & ' belongs to another order; it was left untouched'`,
                "intentState",
            ),
        },
        {
            next: t.settled,
            output: `$merge([${without("intentState")}, { 'paymentCompensationFailure': { 'Error': 'UnexpectedPaymentState', 'Cause': 'The PaymentIntent is in status ' & ($s ? $s : 'unknown') & '; it cannot be cancelled or refunded automatically.' } }])`,
        },
    );
}

/**
 * After `RefundPayment`: Stripe's refund may be `succeeded` or `pending` (it completes later), or
 * `failed`/`canceled`/`requires_action`, which a person must finish (Stripe's Refund object).
 */
export function checkRefund(next: string): PassState {
    const status = `($type($states.input.refund.ResponseBody.status) = 'string' ? $states.input.refund.ResponseBody.status : 'unknown')`;
    const keep = `$sift($states.input, function($v, $k) { $k != 'refund' })`;
    return {
        Type: "Pass",
        QueryLanguage: "JSONata",
        Comment: "A refund that did not succeed or start is a failed compensation.",
        Output: `{% (${status} in ['succeeded', 'pending']) ? ${keep} : $merge([${keep}, { 'paymentCompensationFailure': { 'Error': 'RefundNotCompleted', 'Cause': 'Stripe answered the refund with status ' & $substring(${status}, 0, 40) & '; refund the payment by hand.' } }]) %}`,
        Next: next,
    };
}
