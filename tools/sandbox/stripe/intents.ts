/**
 * PaymentIntents: create (optionally confirming), confirm, retrieve (with `expand[]=latest_charge`),
 * capture and cancel, with Stripe's state rules, amount and currency rules
 * (`deploy/workflows/order/payment/stripe-currencies.ts`), test PaymentMethods (`methods.ts`), and an
 * authorization that lapses at `capture_before` (7 days on the test clock): the intent is then
 * `canceled` with `cancellation_reason: "automatic"` (which of `automatic`/`expired` Stripe sets is
 * UNKNOWN from its types; `automatic` is what both the saga and the sandbox expect).
 */
import { Reply, SandboxRequest } from "../http-server";
import { formatStripeAmount, stripeAmountRefusal } from "../../../deploy/workflows/order/payment/stripe-currencies";
import { AUTHORIZATION_SECONDS } from "./control";
import { invalid, refuse } from "./errors";
import { authenticationDecline, Decline, TEST_METHODS } from "./methods";
import { boolOf, integerOf, metadataOf, Params, paramsOf, stringOf } from "./params";
import { newId, NEW_INTENT, PaymentIntent, randomText, Status, StripeState } from "./state";

const CANCELABLE: readonly Status[] = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"];
const CONFIRMABLE: readonly Status[] = ["requires_payment_method", "requires_confirmation", "requires_action"];
const RETURN_URL_NEEDED =
    "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.";

const decoded = (segment: string) => {
    try {
        return decodeURIComponent(segment);
    } catch {
        return segment;
    }
};

/** Copies, so a stored idempotent answer never changes with the intent. */
export const answer = (intent: PaymentIntent, expand?: unknown, state?: StripeState): Reply => {
    const body = structuredClone(intent);
    const fields = Array.isArray(expand) ? expand : [];
    if (state && fields.includes("latest_charge")) body.latest_charge = state.charge(intent) as unknown as string;
    return { status: 200, body };
};

/** The PaymentIntent operations of one account. */
export function intentOperations(state: StripeState) {
    const unexpectedState = (intent: PaymentIntent, message: string): never =>
        invalid(message, { code: "payment_intent_unexpected_state", payment_intent: structuredClone(intent) });

    /** Applies what the clock says happened since: an authorization past `capture_before` lapses. */
    const expire = (intent: PaymentIntent): PaymentIntent => {
        const before = state.extra.get(intent.id)?.captureBefore;
        if (intent.status === "requires_capture" && before !== undefined && state.clock.now() >= before) {
            Object.assign(intent, { status: "canceled", canceled_at: before, cancellation_reason: "automatic", amount_capturable: 0 });
            state.record("cancel", intent, "requires_capture");
        }
        return intent;
    };

    const intentAt = (req: SandboxRequest): PaymentIntent => {
        const id = decoded(req.params[0]);
        const intent = state.intents.get(id);
        if (!intent)
            return refuse(404, { type: "invalid_request_error", code: "resource_missing", param: "intent", message: `No such payment_intent: '${id}'` });
        return expire(intent);
    };

    const decline = (intent: PaymentIntent, method: string, d: Decline): never => {
        const error = { type: "card_error", ...d, charge: intent.latest_charge, payment_method: { id: method, object: "payment_method", type: "card" } };
        Object.assign(intent, {
            status: "requires_payment_method",
            payment_method: null,
            last_payment_error: { ...error, doc_url: `https://stripe.com/docs/error-codes/${d.code.replace(/_/g, "-")}` },
        });
        state.record("decline", intent, d.decline_code);
        return refuse(402, { ...error, payment_intent: structuredClone(intent) });
    };

    /** Confirms with the intent's payment method: authorize, decline (402) or ask for action. */
    const confirm = (intent: PaymentIntent, p: Params): Reply => {
        const method = intent.payment_method;
        if (method === null)
            return unexpectedState(
                intent,
                "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
            );
        const test = TEST_METHODS[method];
        const offSession = p.off_session !== undefined && p.off_session !== "false";
        if (test.needsAction) {
            // A refused confirmation still leaves the intent open (requires_payment_method), as on Stripe.
            if (offSession || boolOf(p, "error_on_requires_action")) {
                state.newCharge(intent);
                return decline(intent, method, authenticationDecline(offSession));
            }
            Object.assign(intent, { status: "requires_action", next_action: { type: "use_stripe_sdk", use_stripe_sdk: { type: "stripe_3ds2_fingerprint" } } });
            state.record("requires-action", intent);
            return answer(intent);
        }
        state.newCharge(intent);
        if (test.decline) return decline(intent, method, test.decline);
        authorize(intent, method);
        return answer(intent);
    };

    const authorize = (intent: PaymentIntent, method: string) => {
        const held = `${intent.amount} ${intent.currency}`;
        const extra = { ...state.extra.get(intent.id)!, chargedWith: method, captureBefore: state.clock.now() + AUTHORIZATION_SECONDS };
        state.extra.set(intent.id, extra);
        if (intent.capture_method === "manual") state.lapses.add(extra.captureBefore, intent, extra.seq);
        Object.assign(intent, { last_payment_error: null, next_action: null });
        state.record("authorization", intent, held);
        if (intent.capture_method === "manual") Object.assign(intent, { status: "requires_capture", amount_capturable: intent.amount });
        else {
            Object.assign(intent, { status: "succeeded", amount_received: intent.amount });
            state.record("capture", intent, held);
        }
    };

    const methodOf = (p: Params): string | undefined => {
        const method = stringOf(p, "payment_method");
        if (method !== undefined && !Object.hasOwn(TEST_METHODS, method))
            invalid(`No such PaymentMethod: '${method}'`, { code: "resource_missing", param: "payment_method" });
        return method;
    };

    /** A new intent from checked parameters (shared by `create` and the client-confirmed hook). */
    const open = (fields: Partial<PaymentIntent> & Pick<PaymentIntent, "amount" | "currency" | "metadata" | "status">): PaymentIntent => {
        const id = newId("pi");
        const intent: PaymentIntent = {
            ...structuredClone(NEW_INTENT),
            id,
            client_secret: `${id}_secret_${randomText(25)}`,
            created: state.clock.now(),
            payment_method: null,
            ...fields,
        } as PaymentIntent;
        state.add(intent);
        return intent;
    };

    const create = (req: SandboxRequest): Reply => {
        const p = paramsOf(req, "POST /payment_intents");
        const amount = integerOf(p, "amount")!;
        if (amount < 1) invalid("This value must be greater than or equal to 1.", { code: "parameter_invalid_integer", param: "amount" });
        const currency = p.currency as string;
        const refusal = stripeAmountRefusal(amount, currency);
        if (refusal) invalid(refusal.message, { param: refusal.param, ...(refusal.code ? { code: refusal.code } : {}) });
        const apm = (p.automatic_payment_methods ?? {}) as Params;
        const types = p.allowed_payment_method_types as string[] | undefined;
        const enabled = boolOf(apm, "enabled");
        if (types !== undefined && enabled)
            invalid("You may only specify one of these parameters: automatic_payment_methods, allowed_payment_method_types.", {
                param: "automatic_payment_methods",
            });
        const automatic = types === undefined && enabled !== false;
        const method = methodOf(p);
        const confirming = boolOf(p, "confirm") ?? false;
        if (confirming && automatic && apm.allow_redirects !== "never" && p.return_url === undefined) invalid(RETURN_URL_NEEDED);
        const intent = open({
            amount,
            currency,
            metadata: metadataOf(p.metadata),
            status: method === undefined ? "requires_payment_method" : "requires_confirmation",
            capture_method: (p.capture_method as string | undefined) ?? "automatic",
            automatic_payment_methods: automatic ? { ...(apm.allow_redirects ? { allow_redirects: apm.allow_redirects } : {}), enabled: true } : null,
            payment_method_types: types ?? ["card"],
            payment_method: method ?? null,
            ...{
                description: stringOf(p, "description") ?? null,
                customer: stringOf(p, "customer") ?? null,
                receipt_email: stringOf(p, "receipt_email") ?? null,
            },
            ...{
                statement_descriptor: stringOf(p, "statement_descriptor") ?? null,
                statement_descriptor_suffix: stringOf(p, "statement_descriptor_suffix") ?? null,
            },
            ...{ setup_future_usage: stringOf(p, "setup_future_usage") ?? null, transfer_group: stringOf(p, "transfer_group") ?? null },
        });
        return confirming ? confirm(intent, p) : answer(intent, p.expand, state);
    };

    const confirmRoute = (req: SandboxRequest): Reply => {
        const intent = intentAt(req);
        const p = paramsOf(req, "POST /payment_intents/{id}/confirm");
        if (!CONFIRMABLE.includes(intent.status))
            unexpectedState(
                intent,
                `You cannot confirm this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(", ")}.`,
            );
        const method = methodOf(p);
        if (method !== undefined) intent.payment_method = method;
        if (p.capture_method !== undefined) intent.capture_method = p.capture_method as string;
        return confirm(intent, p);
    };

    const capture = (req: SandboxRequest): Reply => {
        const intent = intentAt(req);
        const p = paramsOf(req, "POST /payment_intents/{id}/capture");
        if (intent.status !== "requires_capture")
            unexpectedState(
                intent,
                `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
            );
        const amount = integerOf(p, "amount_to_capture") ?? intent.amount_capturable;
        if (amount > intent.amount_capturable) {
            const [wanted, capturable] = [formatStripeAmount(amount, intent.currency), formatStripeAmount(intent.amount_capturable, intent.currency)];
            invalid(`The amount to capture (${wanted}) is greater than the amount capturable (${capturable}).`, {
                code: "amount_too_large",
                param: "amount_to_capture",
            });
        }
        Object.assign(intent, { status: "succeeded", amount_received: amount, amount_capturable: 0, metadata: metadataOf(p.metadata, intent.metadata) });
        state.indexMetadata(intent);
        state.record("capture", intent, `${amount} ${intent.currency}`);
        return answer(intent, p.expand, state);
    };

    const cancel = (req: SandboxRequest): Reply => {
        const intent = intentAt(req);
        const p = paramsOf(req, "POST /payment_intents/{id}/cancel");
        const before = intent.status;
        if (!CANCELABLE.includes(before))
            unexpectedState(
                intent,
                `You cannot cancel this PaymentIntent because it has a status of ${before}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(", ")}.`,
            );
        const reason = (p.cancellation_reason as string | undefined) ?? null;
        Object.assign(intent, { status: "canceled", canceled_at: state.clock.now(), cancellation_reason: reason, amount_capturable: 0, next_action: null });
        state.record("cancel", intent, before);
        return answer(intent, p.expand, state);
    };

    const retrieve = (req: SandboxRequest): Reply => {
        const intent = intentAt(req);
        const p = paramsOf(req, "GET /payment_intents/{id}");
        return answer(intent, p.expand, state);
    };

    /** The storefront's Stripe.js confirmation, done: an intent already authorized or waiting for 3-D Secure. */
    const clientConfirmed = (o: {
        amount: number;
        currency: string;
        metadata: Record<string, string>;
        status: "requires_capture" | "requires_action";
        paymentMethod?: string;
    }) => {
        const method = o.paymentMethod ?? (o.status === "requires_capture" ? "pm_card_visa" : "pm_card_threeDSecure2Required");
        const intent = open({ amount: o.amount, currency: o.currency, metadata: { ...o.metadata }, status: "requires_confirmation", capture_method: "manual" });
        intent.payment_method = method;
        if (o.status === "requires_capture") {
            state.newCharge(intent);
            authorize(intent, method);
        } else {
            Object.assign(intent, { status: "requires_action", next_action: { type: "use_stripe_sdk", use_stripe_sdk: { type: "stripe_3ds2_fingerprint" } } });
            state.record("requires-action", intent);
        }
        return { id: intent.id, status: intent.status };
    };

    return { create, confirm: confirmRoute, capture, cancel, retrieve, expire, clientConfirmed };
}
