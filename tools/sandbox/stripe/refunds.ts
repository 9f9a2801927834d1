/**
 * Refunds: create (by `payment_intent` or `charge`) and retrieve. A card refund succeeds at once,
 * except for the test PaymentMethods whose refunds Stripe makes asynchronous (docs.stripe.com/testing,
 * "Refunds"): `pm_card_pendingRefund` starts `pending` and succeeds later; `pm_card_refundFail`
 * starts `succeeded` and fails later, which gives the money back to the merchant's balance, not to
 * the customer (docs.stripe.com/refunds#failed-refunds). "Later" is `refundSettleSeconds` on the
 * test clock (Stripe's delay is UNKNOWN).
 */
import { Reply, SandboxRequest } from "../http-server";
import { formatStripeAmount } from "../../../deploy/workflows/order/payment/stripe-currencies";
import { invalid, refuse } from "./errors";
import { TEST_METHODS } from "./methods";
import { integerOf, metadataOf, paramsOf } from "./params";
import { newId, NEW_REFUND, PaymentIntent, RefundRecord, StripeState } from "./state";

/** The refund operations of one account; `settleSeconds` is when asynchronous refunds settle. */
export function refundOperations(state: StripeState, settleSeconds: number) {
    /** Settles every refund whose time has come (called before each request). */
    const settle = () => {
        // The queue holds only refunds that settle later, so a request no longer walks every refund.
        for (const record of state.settlements.takeDue(state.clock.now())) {
            if (record.settlesTo === undefined || state.clock.now() < record.settlesAt!) continue;
            const intent = String(record.body.payment_intent);
            record.body.status = record.settlesTo;
            if (record.settlesTo === "failed") {
                // UNKNOWN which reason the test card gives; `unknown` is one of Stripe's documented values.
                Object.assign(record.body, { failure_reason: "unknown", failure_balance_transaction: newId("txn") });
                state.refunded.set(intent, (state.refunded.get(intent) ?? 0) - Number(record.body.amount));
                state.ledger.record({
                    api: "payment",
                    kind: "refund-failed",
                    orderId: state.intents.get(intent)?.metadata.order_id,
                    id: record.body.id,
                    detail: intent,
                });
            }
            record.settlesTo = undefined;
        }
    };

    const create = (req: SandboxRequest): Reply => {
        const p = paramsOf(req, "POST /refunds");
        if (p.payment_intent === undefined && p.charge === undefined)
            invalid("One of the following params should be provided for this request: payment_intent or charge.");
        const intent: PaymentIntent =
            p.payment_intent !== undefined
                ? (state.intents.get(String(p.payment_intent)) ??
                  invalid(`No such payment_intent: '${String(p.payment_intent)}'`, { code: "resource_missing", param: "payment_intent" }))
                : ((typeof p.charge === "string" ? state.intentOfCharge(p.charge) : [...state.intents.values()].find((i) => i.latest_charge === p.charge)) ??
                  invalid(`No such charge: '${String(p.charge)}'`, { code: "resource_missing", param: "charge" }));
        // Stripe answers an uncaptured or unpaid intent with a 400 that has no code or param (gburgyan/aat-stripe README, "Refunds").
        if (intent.status !== "succeeded") invalid(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`);
        const already = state.refunded.get(intent.id) ?? 0;
        const remaining = intent.amount_received - already;
        if (remaining <= 0) invalid(`Charge ${intent.latest_charge} has already been refunded.`, { code: "charge_already_refunded" });
        const amount = integerOf(p, "amount") ?? remaining;
        if (amount < 1) invalid("This value must be greater than or equal to 1.", { code: "parameter_invalid_integer", param: "amount" });
        if (amount > remaining)
            invalid(
                `Refund amount (${formatStripeAmount(amount, intent.currency)}) is greater than unrefunded amount on charge (${formatStripeAmount(remaining, intent.currency)})`,
                { param: "amount" },
            );
        state.refunded.set(intent.id, already + amount);
        const method = state.extra.get(intent.id)?.chargedWith ?? "";
        const behaviour = TEST_METHODS[method]?.refund;
        const body = {
            ...structuredClone(NEW_REFUND),
            ...{
                id: newId("re"),
                amount,
                balance_transaction: newId("txn"),
                charge: intent.latest_charge,
                created: state.clock.now(),
                currency: intent.currency,
            },
            ...{ metadata: metadataOf(p.metadata), payment_intent: intent.id, reason: (p.reason as string | undefined) ?? null },
            status: behaviour === "pending" ? "pending" : "succeeded",
        };
        const record: RefundRecord = {
            body,
            ...(behaviour
                ? { settlesTo: behaviour === "pending" ? ("succeeded" as const) : ("failed" as const), settlesAt: state.clock.now() + settleSeconds }
                : {}),
        };
        state.refunds.set(body.id, record);
        if (record.settlesAt !== undefined) state.settlements.add(record.settlesAt, record);
        state.ledger.record({ api: "payment", kind: "refund", orderId: intent.metadata.order_id, id: body.id, detail: intent.id });
        return { status: 200, body: structuredClone(body) };
    };

    const retrieve = (req: SandboxRequest): Reply => {
        paramsOf(req, "GET /refunds/{id}");
        const id = req.params[0];
        const record =
            state.refunds.get(id) ?? refuse(404, { type: "invalid_request_error", code: "resource_missing", param: "id", message: `No such refund: '${id}'` });
        return { status: 200, body: structuredClone(record.body) };
    };

    return { create, retrieve, settle };
}
