/**
 * Stripe's test PaymentMethods (docs.stripe.com/testing, "Declined payments", "3D Secure
 * authentication", "Refunds") and what each does. The declines' `code`, `decline_code`, `param`,
 * `advice_code` and message are as Stripe test mode answers them (recorded in gburgyan/aat-stripe's
 * README, "Declines, exactly"). Stripe documents no test card that fails at capture time: UNKNOWN,
 * so capture fails here only when the authorization expired or the intent is not capturable.
 */

/** The test PaymentMethods the saga and its tests name. Any other `pm_...` is `resource_missing`. */
export const STRIPE_TEST_PAYMENT_METHODS = {
    /** Authorizes: `requires_capture` (manual capture) or `succeeded`. */
    visa: "pm_card_visa",
    /** Declined: 402 `card_declined`, `decline_code: "generic_decline"`. */
    declined: "pm_card_visa_chargeDeclined",
    /** Declined: 402 `card_declined`, `decline_code: "insufficient_funds"`. */
    insufficientFunds: "pm_card_visa_chargeDeclinedInsufficientFunds",
    /** Declined: 402 `card_declined`, `decline_code: "lost_card"`. */
    lostCard: "pm_card_visa_chargeDeclinedLostCard",
    /** Declined: 402 `expired_card`. */
    expiredCard: "pm_card_chargeDeclinedExpiredCard",
    /** Declined: 402 `processing_error` (the issuer may accept a retry later). */
    processingError: "pm_card_chargeDeclinedProcessingError",
    /** 3-D Secure 2 required: `requires_action`. */
    threeDSecure: "pm_card_threeDSecure2Required",
    /** Authentication required on every transaction: `requires_action`, or 402 off session. */
    authenticationRequired: "pm_card_authenticationRequired",
    /** Pays; a refund starts `pending` and succeeds later. */
    pendingRefund: "pm_card_pendingRefund",
    /** Pays; a refund starts `succeeded` and turns `failed` later. */
    refundFail: "pm_card_refundFail",
} as const;

/** A decline as Stripe's error object carries it. */
export interface Decline {
    readonly code: string;
    readonly decline_code: string;
    readonly message: string;
    readonly param?: string;
    readonly advice_code?: string;
}

/** What a test PaymentMethod does on confirmation, and to refunds of its payment. */
export interface TestMethod {
    readonly decline?: Decline;
    readonly needsAction?: true;
    readonly refund?: "pending" | "failed";
}

const generic = "Your card was declined.";
const declined = (decline_code: string, message: string, advice_code?: string): TestMethod => ({
    decline: { code: "card_declined", decline_code, message, ...(advice_code ? { advice_code } : {}) },
});

/** Every test PaymentMethod the sandbox knows. */
export const TEST_METHODS: Readonly<Record<string, TestMethod>> = {
    pm_card_visa: {},
    pm_card_mastercard: {},
    pm_card_visa_chargeDeclined: declined("generic_decline", generic, "try_again_later"),
    // The id without `visa_` is what earlier docs and this project's tests used; Stripe accepts both spellings: UNKNOWN, kept.
    pm_card_chargeDeclined: declined("generic_decline", generic, "try_again_later"),
    pm_card_visa_chargeDeclinedInsufficientFunds: declined("insufficient_funds", "Your card has insufficient funds.", "try_again_later"),
    pm_card_chargeDeclinedInsufficientFunds: declined("insufficient_funds", "Your card has insufficient funds.", "try_again_later"),
    pm_card_visa_chargeDeclinedLostCard: declined("lost_card", generic, "do_not_try_again"),
    pm_card_visa_chargeDeclinedStolenCard: declined("stolen_card", generic, "do_not_try_again"),
    pm_card_chargeDeclinedFraudulent: declined("fraudulent", generic),
    pm_card_chargeDeclinedExpiredCard: {
        decline: {
            code: "expired_card",
            decline_code: "expired_card",
            param: "exp_month",
            advice_code: "confirm_card_data",
            message: "Your card has expired.",
        },
    },
    pm_card_chargeDeclinedIncorrectCvc: {
        decline: {
            code: "incorrect_cvc",
            decline_code: "incorrect_cvc",
            param: "cvc",
            advice_code: "confirm_card_data",
            message: "Your card's security code is incorrect.",
        },
    },
    pm_card_chargeDeclinedProcessingError: {
        decline: {
            code: "processing_error",
            decline_code: "processing_error",
            advice_code: "try_again_later",
            message: "An error occurred while processing your card. Try again in a little bit.",
        },
    },
    pm_card_threeDSecure2Required: { needsAction: true },
    pm_card_authenticationRequired: { needsAction: true },
    pm_card_pendingRefund: { refund: "pending" },
    pm_card_refundFail: { refund: "failed" },
};

/**
 * The decline of a card that needs authentication when the saga cannot authenticate: with
 * `error_on_requires_action=true` Stripe answers 402 `authentication_required` with decline code
 * `authentication_not_handled`; charged `off_session`, the decline code is `authentication_required`
 * (gburgyan/aat-stripe README, "3D Secure"; docs.stripe.com/declines/codes).
 */
export const authenticationDecline = (offSession: boolean): Decline => ({
    code: "authentication_required",
    decline_code: offSession ? "authentication_required" : "authentication_not_handled",
    message: "Your card was declined. This transaction requires authentication.",
});
