/**
 * What the order saga needs from a payment gateway, so another gateway can follow Stripe: a module
 * that returns the payment states for the saga's transitions.
 *
 * The contract on the execution state, which the saga's outcome states read:
 * - `$.payment.outcome` (one of `PAYMENT_OUTCOMES`) and `$.payment.reason` (a string, always set
 *   with the outcome) when the payment did not go through; the saga then tells the customer and
 *   ends with the outcome's error once every compensation has finished;
 * - a failed compensation is recorded at one of `failurePaths`, and the execution then ends
 *   `CompensationFailed`, whatever the outcome.
 */
import { ApiTarget } from "../../../asl/http-task";
import { Retrier, State } from "../../../asl/types";

/**
 * Retry settings of every compensation (and of reading a payment's state): they must not give up
 * early, because giving up leaves money or stock for a person to release. 10 attempts with waits
 * capped at 60 s keep trying for about five minutes; forward steps make 3 attempts.
 */
export const COMPENSATION_RETRY: Partial<Omit<Retrier, "ErrorEquals">> = { MaxAttempts: 10, MaxDelaySeconds: 60 };

/** The payment providers a stack can choose (`payment.provider`). */
export const PAYMENT_PROVIDERS = ["stripe"] as const;
/** One of `PAYMENT_PROVIDERS`. */
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

/**
 * Why a payment did not go through: the value of `$.payment.outcome`, the error the execution ends
 * with, and whether it pages (a person must act) or is a business outcome.
 */
export const PAYMENT_OUTCOMES = {
    /** The card was refused (Stripe: 402 `card_error`). */
    declined: { error: "PaymentDeclined", pages: false },
    /** The customer's bank requires authentication (3-D Secure) that a server-side confirmation cannot do. */
    authentication: { error: "PaymentAuthenticationRequired", pages: false },
    /** The gateway refused our request (400, 401, 403, 404, `idempotency_error`): a bug or a configuration problem. */
    request: { error: "PaymentRequestFailed", pages: true },
    /** The gateway could not be used before anything was held (or what was held was released). */
    unavailable: { error: "PaymentUnavailable", pages: true },
    /** The answer to a payment was lost and the payment could not be found within the bound. */
    unknown: { error: "PaymentStateUnknown", pages: true },
    /** The payment found for the order does not match it (order id, amount or currency): it is left untouched. */
    mismatch: { error: "PaymentMismatch", pages: true },
} as const;
/** One of the keys of `PAYMENT_OUTCOMES`. */
export type PaymentOutcome = keyof typeof PAYMENT_OUTCOMES;

/** Where the saga goes after each payment step. */
export interface PaymentTransitions {
    /** After the payment is authorized (money held, not taken). */
    readonly authorized: string;
    /** After the capture (the customer is charged). */
    readonly captured: string;
    /** When the goods left but the payment can no longer be captured: a person must act. */
    readonly notCapturable: string;
    /** After the payment is declined, cancelled, refunded or known to be absent: the outcome decision. */
    readonly settled: string;
    /**
     * When a re-run finds the order's payment captured and nothing refunded: an earlier run completed
     * the order (the saga captures only after the shipment exists), so nothing is done again.
     */
    readonly completed: string;
}

/** The gateway's API as the definition sees it. */
export interface PaymentTarget {
    readonly api: ApiTarget;
    /** The saga's SNS topic: operations events (e.g. a delayed capture) are published there. */
    readonly topicArn: string;
}

/** The payment states of one provider and the names the saga enters them by. */
export interface PaymentSteps {
    readonly states: Readonly<Record<string, State>>;
    /** Authorizes an order carrying a payment method (entered after validation). */
    readonly authorize: string;
    /** Takes over a payment the storefront confirmed (an order carrying `paymentIntentId`). */
    readonly adoptConfirmed: string;
    /** Captures the authorized amount (entered once the shipment exists). */
    readonly capture: string;
    /** Undoes whatever the payment is now: cancels an authorization or refunds a capture. */
    readonly undo: string;
    /** State paths where a failed payment compensation is recorded. */
    readonly failurePaths: readonly string[];
}

/** Builds a provider's payment states. */
export type PaymentProvider = (target: PaymentTarget, transitions: PaymentTransitions) => PaymentSteps;
