/**
 * What the order saga needs from a payment gateway, so another gateway can follow Stripe: a module
 * that returns the payment states for the saga's transitions.
 *
 * The contract on the execution state, which the saga's outcome states read:
 * - `$.payment.declined` (`true`) and `$.payment.reason` (a string) when the gateway refused the
 *   payment; the execution then ends `PaymentDeclined` with that reason as its cause;
 * - a failed compensation or an unknown payment state is recorded at one of `failurePaths`, and
 *   the execution then ends `CompensationFailed`.
 */
import { ApiTarget } from "../../asl/http-task";
import { Retrier, State } from "../../asl/types";

/**
 * Retry settings of every compensation (and of the payment recovery): they must not give up early,
 * because giving up leaves money or stock for a person to release. 10 attempts with waits capped at
 * 60 s keep trying for about five minutes; forward steps make 3 attempts.
 */
export const COMPENSATION_RETRY: Partial<Omit<Retrier, "ErrorEquals">> = { MaxAttempts: 10, MaxDelaySeconds: 60 };

/** The payment providers a stack can choose (`payment.provider`). */
export const PAYMENT_PROVIDERS = ["stripe"] as const;
/** One of `PAYMENT_PROVIDERS`. */
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

/** Where the saga goes after each payment step. */
export interface PaymentTransitions {
    /** After the payment is authorized (money held, not taken). */
    readonly authorized: string;
    /** After the capture (the customer is charged). */
    readonly captured: string;
    /** When the capture fails: the start of the saga's compensation. */
    readonly captureFailed: string;
    /** After the payment is declined, cancelled, refunded or known to be absent: the outcome decision. */
    readonly settled: string;
}

/** The gateway's API as the definition sees it. */
export interface PaymentTarget {
    readonly api: ApiTarget;
    /** Accept `http://` loopback base URLs (local runner only). */
    readonly allowLoopbackHttp: boolean;
}

/** The payment states of one provider and the names the saga enters them by. */
export interface PaymentSteps {
    readonly states: Readonly<Record<string, State>>;
    /** Authorizes the order's amount (entered after validation). */
    readonly authorize: string;
    /** Captures the authorized amount (entered once the shipment exists). */
    readonly capture: string;
    /** Undoes whatever the payment is now: cancels an authorization or refunds a capture. */
    readonly undo: string;
    /** State paths where a failed payment compensation is recorded. */
    readonly failurePaths: readonly string[];
}

/** Builds a provider's payment states. */
export type PaymentProvider = (target: PaymentTarget, transitions: PaymentTransitions) => PaymentSteps;
