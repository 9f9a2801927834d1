/**
 * How an order that did not complete ends: once every compensation has finished, the customer is
 * told what happened (`DecideOutcome` and one notification per message), then the execution fails
 * with the outcome's name (`Conclude`). A failed compensation overrides every outcome: the customer
 * is told a person is checking the payment, and the execution ends `CompensationFailed`.
 */
import { format, path } from "../../asl/payload";
import { snsPublish } from "../../asl/sns-task";
import { ChoiceRule, ChoiceState, FailState, State } from "../../asl/types";
import { PAYMENT_OUTCOMES, PaymentOutcome } from "./payment/provider";

/** What the customer reads, by message; `{}` is the order id. */
export const CUSTOMER_MESSAGES = {
    PaymentDeclined: { subject: "Payment declined", text: "Payment for order {} was declined. No money was taken." },
    PaymentAuthenticationRequired: {
        subject: "Payment needs your confirmation",
        text: "Your bank asks you to confirm the payment for order {}. Please pay again at checkout, where you can confirm it with your bank. No money was taken.",
    },
    PaymentProblem: {
        subject: "Payment not possible right now",
        text: "We could not take the payment for order {} because of a problem on our side. No money was taken; please try again later.",
    },
    NeedsAttention: {
        subject: "Order on hold",
        text: "Order {} could not be completed. We are checking your payment and will release or refund any amount held or taken.",
    },
    OrderCancelled: {
        subject: "Order cancelled",
        text: "Order {} was cancelled. Any payment held was released, and any payment taken is refunded.",
    },
} as const;
/** One of the keys of `CUSTOMER_MESSAGES`. */
export type CustomerMessage = keyof typeof CUSTOMER_MESSAGES;

/** The message each payment outcome sends when every compensation succeeded. */
export const MESSAGE_OF_OUTCOME: Readonly<Record<PaymentOutcome, CustomerMessage>> = {
    declined: "PaymentDeclined",
    authentication: "PaymentAuthenticationRequired",
    request: "PaymentProblem",
    unavailable: "PaymentProblem",
    unknown: "NeedsAttention",
    mismatch: "NeedsAttention",
};

const present = (p: string): ChoiceRule => ({ Variable: p, IsPresent: true });
/** `$.payment.outcome` is `outcome` (a JSONPath rule on an absent path would be a `States.Runtime`, hence the presence test first). */
const outcomeIs = (outcome: string): ChoiceRule => ({
    And: [present("$.payment.outcome"), { Variable: "$.payment.outcome", StringEquals: outcome }],
});

const notifyState = (message: CustomerMessage) => `Notify${message}`;

/** The states from `DecideOutcome` on, and the Fail states they end in. */
export function outcomeStates(
    topicArn: string,
    failurePaths: readonly string[],
    errors: { compensationFailed: string; cancelled: string },
): Record<string, State> {
    const failed: ChoiceRule = { Or: failurePaths.map(present) };
    const outcomes = Object.entries(PAYMENT_OUTCOMES) as [PaymentOutcome, (typeof PAYMENT_OUTCOMES)[PaymentOutcome]][];
    const decide: ChoiceState = {
        Type: "Choice",
        Comment: "Every compensation has finished: tell the customer what happened.",
        Choices: [
            { ...failed, Next: notifyState("NeedsAttention") },
            ...outcomes.map(([outcome]) => ({ ...outcomeIs(outcome), Next: notifyState(MESSAGE_OF_OUTCOME[outcome]) })),
        ],
        Default: notifyState("OrderCancelled"),
    };
    const notifications = Object.fromEntries(
        (Object.keys(CUSTOMER_MESSAGES) as CustomerMessage[]).map((message) => [
            notifyState(message),
            snsPublish({
                topicArn,
                subject: CUSTOMER_MESSAGES[message].subject,
                message: format(CUSTOMER_MESSAGES[message].text, path("$.orderId")),
                attributes: { event: message, orderId: path("$.orderId") },
                resultPath: null,
                // The notification is best effort: the order's outcome must still be reported.
                catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.notificationFailure", Next: "Conclude" }],
                transition: { Next: "Conclude" },
            }),
        ]),
    );
    const conclude: ChoiceState = {
        Type: "Choice",
        Comment: "A failed compensation needs a person; otherwise the payment's outcome, or a cancellation.",
        Choices: [{ ...failed, Next: errors.compensationFailed }, ...outcomes.map(([outcome, { error }]) => ({ ...outcomeIs(outcome), Next: error }))],
        Default: errors.cancelled,
    };
    const fails: Record<string, FailState> = Object.fromEntries(
        outcomes.map(([, { error }]) => [error, { Type: "Fail", Error: error, CausePath: "$.payment.reason" }]),
    );
    return { DecideOutcome: decide, ...notifications, Conclude: conclude, ...fails };
}
