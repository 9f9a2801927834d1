/**
 * The sandbox payment API, speaking Stripe's wire protocol for the calls the order saga makes:
 * form-encoded parameters, PaymentIntent and Refund objects shaped like Stripe's published fixtures
 * (`stripe-fixtures.json`), Stripe's error objects and status codes, and Stripe's test
 * PaymentMethods as the way to reach every outcome. Routes use Stripe's idempotency semantics.
 */
import { randomBytes } from "crypto";
import { Reply, Route, SandboxRequest } from "./http-server";
import { Ledger } from "./ledger";
import fixtures from "./stripe-fixtures.json";

/** Stripe's test PaymentMethod ids the sandbox knows; any other `pm_...` is `resource_missing`. */
export const STRIPE_TEST_PAYMENT_METHODS = {
    /** Authorizes: `requires_capture` (manual capture) or `succeeded`. */
    visa: "pm_card_visa",
    /** Declined: 402 `card_declined`, `decline_code: "generic_decline"`. */
    declined: "pm_card_chargeDeclined",
    /** Declined: 402 `card_declined`, `decline_code: "insufficient_funds"`. */
    insufficientFunds: "pm_card_chargeDeclinedInsufficientFunds",
    /** 3-D Secure 2 required: `requires_action`. */
    threeDSecure: "pm_card_threeDSecure2Required",
    /** Authentication required (on session): `requires_action`. */
    authenticationRequired: "pm_card_authenticationRequired",
} as const;

type Status = "requires_payment_method" | "requires_confirmation" | "requires_action" | "processing" | "requires_capture" | "canceled" | "succeeded";
type Params = Record<string, unknown>;
type StripeError = { type: string; message: string; code?: string; decline_code?: string; param?: string; doc_url?: string; [field: string]: unknown };

/** A PaymentIntent as Stripe serializes it; the fields the sandbox changes are typed. */
interface PaymentIntent {
    [field: string]: unknown;
    id: string;
    amount: number;
    amount_capturable: number;
    amount_received: number;
    currency: string;
    status: Status;
    metadata: Record<string, string>;
    payment_method: string | null;
    latest_charge: string | null;
    last_payment_error: StripeError | null;
    next_action: Params | null;
}

const PM = STRIPE_TEST_PAYMENT_METHODS;
const DECLINES: Record<string, { decline_code: string; message: string }> = {
    [PM.declined]: { decline_code: "generic_decline", message: "Your card was declined." },
    [PM.insufficientFunds]: { decline_code: "insufficient_funds", message: "Your card has insufficient funds." },
};
const NEEDS_ACTION: readonly string[] = [PM.threeDSecure, PM.authenticationRequired];
const KNOWN_METHODS: readonly string[] = Object.values(PM);
const CANCELABLE: readonly Status[] = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"];
const MAX_AMOUNT = 99_999_999;
const FORM_ONLY =
    "Invalid request (check that your POST content type is application/x-www-form-urlencoded). If you have any questions, we can help at https://support.stripe.com/.";
const RETURN_URL_NEEDED =
    "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const randomText = (length: number) => [...randomBytes(length)].map((b) => ALPHABET[b % ALPHABET.length]).join("");
// Module-wide so that ids stay unique across every sandbox of the process; the random tail makes them unguessable.
let issued = 0;
const newId = (prefix: string) => `${prefix}_${(++issued).toString(36).padStart(6, "0")}${randomText(18)}`;
const now = () => Math.floor(Date.now() / 1000);
const decoded = (segment: string) => {
    try {
        return decodeURIComponent(segment);
    } catch {
        return segment;
    }
};

// The fixtures with their example-only values reset to what a new object has.
const NEW_INTENT = {
    ...fixtures.resources.payment_intent,
    ...{ amount_details: { tip: {} }, canceled_at: null, last_payment_error: null, next_action: null, payment_method_configuration_details: null },
    ...{ processing: null, shipping: null, transfer_data: null, managed_payments: null, latest_charge: null, amount_capturable: 0, amount_received: 0 },
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: "automatic" } },
};
const NEW_REFUND = { ...fixtures.resources.refund, payment_method: null, status: "succeeded" };

/** Thrown by parameter checks; the route answers with `reply`. */
class Refusal {
    constructor(readonly reply: Reply) {}
}

function refuse(status: number, error: StripeError): never {
    const docUrl = error.code ? { doc_url: `https://stripe.com/docs/error-codes/${error.code.replace(/_/g, "-")}` } : {};
    throw new Refusal({ status, body: { error: { ...error, ...docUrl } } });
}
const invalid = (message: string, extra: Partial<StripeError> = {}): never => refuse(400, { type: "invalid_request_error", message, ...extra });

/** Amount in minor units as Stripe's messages print it, e.g. `$999,999.99`. */
function money(minor: number, currency: string): string {
    const format = new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() });
    return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

/** The form parameters of `req`, refusing JSON bodies and parameters outside `allowed` as Stripe does. */
function paramsOf(req: SandboxRequest, allowed: readonly string[]): Params {
    if (req.body !== undefined && !String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) invalid(FORM_ONLY);
    const params = (typeof req.body === "object" && req.body !== null ? req.body : {}) as Params;
    const unknown = Object.keys(params).find((k) => ![...allowed, "expand"].includes(k));
    if (unknown !== undefined) invalid(`Received unknown parameter: ${unknown}`, { code: "parameter_unknown", param: unknown });
    return params;
}

function integer(params: Params, param: string, required = false): number | undefined {
    const value = params[param];
    if (value === undefined && required) invalid(`Missing required param: ${param}.`, { code: "parameter_missing", param });
    if (value === undefined) return undefined;
    if (typeof value !== "string" || !/^-?\d+$/.test(value)) invalid(`Invalid integer: ${String(value)}`, { code: "parameter_invalid_integer", param });
    const n = Number(value);
    if (n < 1) invalid("This value must be greater than or equal to 1.", { code: "parameter_invalid_integer", param });
    return n;
}

function oneOf<T extends string>(value: unknown, param: string, allowed: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    if (!allowed.includes(value as T)) invalid(`Invalid ${param}: must be one of ${allowed.join(", ")}`, { param });
    return value as T;
}

const bool = (value: unknown, param: string): boolean | undefined => (value === undefined ? undefined : oneOf(value, param, ["true", "false"]) === "true");

function metadataOf(value: unknown, current: Record<string, string> = {}): Record<string, string> {
    if (value === undefined) return current;
    if (value === "") return {};
    if (typeof value !== "object" || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== "string"))
        invalid("Invalid hash", { param: "metadata" });
    // Stripe merges metadata updates; an empty value deletes the key.
    const merged = { ...current, ...(value as Record<string, string>) };
    return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== ""));
}

/** Runs `handle`, turning a `Refusal` into its answer. */
const guarded =
    (handle: (req: SandboxRequest) => Reply) =>
    (req: SandboxRequest): Reply => {
        try {
            return handle(req);
        } catch (e) {
            if (e instanceof Refusal) return e.reply;
            throw e;
        }
    };

/**
 * The server's own refusals in Stripe's error shape, so Stripe's SDK reads them as Stripe errors:
 * 401 `invalid_request_error` (as for a bad key), 429 `rate_limit`, 5xx `api_error`.
 */
export function stripeErrorBody(status: number, code: string, message: string): unknown {
    if (status === 429) return { error: { type: "invalid_request_error", code: "rate_limit", message: "Too many requests hit the API too quickly." } };
    if (status >= 500) return { error: { type: "api_error", message: `An error occurred with our connection to Stripe (${message}).` } };
    return { error: { type: "invalid_request_error", ...(code === "not_found" ? { code: "resource_missing" } : {}), message } };
}

/**
 * Stripe's PaymentIntent and Refund endpoints (under the server's base path, normally `/v1`):
 * `POST /payment_intents`, `GET /payment_intents/{id}`, `POST /payment_intents/{id}/capture`,
 * `POST /payment_intents/{id}/cancel` and `POST /refunds`. Every state change is recorded in `ledger`
 * under api `"payment"` with `orderId` = the intent's `metadata.order_id`.
 */
export function stripeRoutes(ledger: Ledger): Route[] {
    const intents = new Map<string, PaymentIntent>();
    const refunded = new Map<string, number>();
    // Answers are copies: a stored idempotent answer must not change with the intent.
    const answer = (intent: PaymentIntent): Reply => ({ status: 200, body: structuredClone(intent) });
    const record = (kind: "authorization" | "decline" | "requires-action" | "capture" | "cancel", intent: PaymentIntent, detail?: string) =>
        ledger.record({ api: "payment", kind, orderId: intent.metadata.order_id, id: intent.id, ...(detail !== undefined ? { detail } : {}) });
    const intentAt = (req: SandboxRequest): PaymentIntent => {
        const id = decoded(req.params[0]);
        return (
            intents.get(id) ??
            refuse(404, { type: "invalid_request_error", code: "resource_missing", param: "intent", message: `No such payment_intent: '${id}'` })
        );
    };
    const unexpectedState = (intent: PaymentIntent, message: string): never =>
        invalid(message, { code: "payment_intent_unexpected_state", payment_intent: structuredClone(intent) });

    const confirm = (intent: PaymentIntent): Reply => {
        const method = intent.payment_method;
        if (method === null)
            return unexpectedState(
                intent,
                "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
            );
        const held = `${intent.amount} ${intent.currency}`;
        if (NEEDS_ACTION.includes(method)) {
            Object.assign(intent, { status: "requires_action", next_action: { type: "use_stripe_sdk", use_stripe_sdk: { type: "stripe_3ds2_fingerprint" } } });
            record("requires-action", intent);
            return answer(intent);
        }
        intent.latest_charge = newId("ch");
        const decline = DECLINES[method];
        if (decline) {
            const error = {
                type: "card_error",
                code: "card_declined",
                ...decline,
                charge: intent.latest_charge,
                payment_method: { id: method, object: "payment_method", type: "card" },
            };
            Object.assign(intent, {
                status: "requires_payment_method",
                payment_method: null,
                last_payment_error: { ...error, doc_url: "https://stripe.com/docs/error-codes/card-declined" },
            });
            record("decline", intent, decline.decline_code);
            return refuse(402, { ...error, payment_intent: structuredClone(intent) });
        }
        record("authorization", intent, held);
        if (intent.capture_method === "manual") Object.assign(intent, { status: "requires_capture", amount_capturable: intent.amount });
        else {
            Object.assign(intent, { status: "succeeded", amount_received: intent.amount });
            record("capture", intent, held);
        }
        return answer(intent);
    };

    const create = (req: SandboxRequest): Reply => {
        const p = paramsOf(req, [
            "amount",
            "currency",
            "payment_method",
            "confirm",
            "capture_method",
            "metadata",
            "automatic_payment_methods",
            "payment_method_types",
            "allowed_payment_method_types",
            "return_url",
            "description",
        ]);
        const amount = integer(p, "amount", true)!;
        if (p.currency === undefined) invalid("Missing required param: currency.", { code: "parameter_missing", param: "currency" });
        if (typeof p.currency !== "string" || !/^[a-z]{3}$/i.test(p.currency)) invalid(`Invalid currency: ${String(p.currency)}`, { param: "currency" });
        const currency = (p.currency as string).toLowerCase();
        if (amount > MAX_AMOUNT) invalid(`Amount must be no more than ${money(MAX_AMOUNT, currency)}`, { code: "amount_too_large", param: "amount" });
        const apm = (p.automatic_payment_methods ?? {}) as Params;
        if (typeof apm !== "object" || Array.isArray(apm)) invalid("Invalid hash", { param: "automatic_payment_methods" });
        const extra = Object.keys(apm).find((k) => k !== "enabled" && k !== "allow_redirects");
        if (extra)
            invalid(`Received unknown parameter: automatic_payment_methods[${extra}]`, {
                code: "parameter_unknown",
                param: `automatic_payment_methods[${extra}]`,
            });
        const allowRedirects = oneOf(apm.allow_redirects, "automatic_payment_methods[allow_redirects]", ["always", "never"]);
        // Newer API versions (and stripe-node 23) name the list `allowed_payment_method_types`.
        const typesParam = p.payment_method_types !== undefined ? "payment_method_types" : "allowed_payment_method_types";
        const types = p[typesParam];
        if (types !== undefined && (!Array.isArray(types) || types.some((t) => typeof t !== "string"))) invalid("Invalid array", { param: typesParam });
        const enabled = bool(apm.enabled, "automatic_payment_methods[enabled]");
        if (types !== undefined && enabled)
            invalid(`You may only specify one of these parameters: automatic_payment_methods, ${typesParam}.`, { param: "automatic_payment_methods" });
        const automatic = types === undefined && enabled !== false;
        const method = p.payment_method;
        if (method !== undefined && (typeof method !== "string" || !KNOWN_METHODS.includes(method)))
            invalid(`No such PaymentMethod: '${String(method)}'`, { code: "resource_missing", param: "payment_method" });
        const confirming = bool(p.confirm, "confirm") ?? false;
        if (p.return_url !== undefined && typeof p.return_url !== "string") invalid("Invalid string", { param: "return_url" });
        if (confirming && automatic && allowRedirects !== "never" && p.return_url === undefined) invalid(RETURN_URL_NEEDED);
        const captureMethod = oneOf(p.capture_method, "capture_method", ["automatic", "automatic_async", "manual"]) ?? "automatic";
        const id = newId("pi");
        const intent: PaymentIntent = {
            ...structuredClone(NEW_INTENT),
            id,
            amount,
            currency,
            status: method === undefined ? "requires_payment_method" : "requires_confirmation",
            capture_method: captureMethod,
            automatic_payment_methods: automatic ? { ...(allowRedirects ? { allow_redirects: allowRedirects } : {}), enabled: true } : null,
            client_secret: `${id}_secret_${randomText(25)}`,
            created: now(),
            description: typeof p.description === "string" && p.description !== "" ? p.description : null,
            metadata: metadataOf(p.metadata),
            payment_method: (method as string | undefined) ?? null,
            payment_method_types: (types as string[] | undefined) ?? ["card"],
        };
        intents.set(id, intent);
        return confirming ? confirm(intent) : answer(intent);
    };

    const capture = (req: SandboxRequest): Reply => {
        const intent = intentAt(req);
        const p = paramsOf(req, ["amount_to_capture", "metadata"]);
        if (intent.status !== "requires_capture")
            unexpectedState(
                intent,
                `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
            );
        const amount = integer(p, "amount_to_capture") ?? intent.amount_capturable;
        if (amount > intent.amount_capturable) {
            const [wanted, capturable] = [money(amount, intent.currency), money(intent.amount_capturable, intent.currency)];
            invalid(`The amount to capture (${wanted}) is greater than the amount capturable (${capturable}).`, {
                code: "amount_too_large",
                param: "amount_to_capture",
            });
        }
        Object.assign(intent, { status: "succeeded", amount_received: amount, amount_capturable: 0, metadata: metadataOf(p.metadata, intent.metadata) });
        record("capture", intent, `${amount} ${intent.currency}`);
        return answer(intent);
    };

    const cancel = (req: SandboxRequest): Reply => {
        const intent = intentAt(req);
        const p = paramsOf(req, ["cancellation_reason"]);
        const reason = oneOf(p.cancellation_reason, "cancellation_reason", ["duplicate", "fraudulent", "requested_by_customer", "abandoned"]) ?? null;
        const before = intent.status;
        if (!CANCELABLE.includes(before))
            unexpectedState(
                intent,
                `You cannot cancel this PaymentIntent because it has a status of ${before}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(", ")}.`,
            );
        Object.assign(intent, { status: "canceled", canceled_at: now(), cancellation_reason: reason, amount_capturable: 0, next_action: null });
        record("cancel", intent, before);
        return answer(intent);
    };

    const refund = (req: SandboxRequest): Reply => {
        const p = paramsOf(req, ["payment_intent", "charge", "amount", "metadata", "reason"]);
        if (p.payment_intent === undefined && p.charge === undefined)
            invalid("One of the following params should be provided for this request: payment_intent or charge.");
        const intent =
            p.payment_intent !== undefined
                ? (intents.get(String(p.payment_intent)) ??
                  invalid(`No such payment_intent: '${String(p.payment_intent)}'`, { code: "resource_missing", param: "payment_intent" }))
                : ([...intents.values()].find((i) => i.latest_charge === p.charge) ??
                  invalid(`No such charge: '${String(p.charge)}'`, { code: "resource_missing", param: "charge" }));
        if (intent.status !== "succeeded")
            invalid(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, { param: "payment_intent" });
        const already = refunded.get(intent.id) ?? 0;
        const remaining = intent.amount_received - already;
        if (remaining <= 0) invalid(`Charge ${intent.latest_charge} has already been refunded.`, { code: "charge_already_refunded" });
        const amount = integer(p, "amount") ?? remaining;
        if (amount > remaining)
            invalid(`Refund amount (${money(amount, intent.currency)}) is greater than unrefunded amount on charge (${money(remaining, intent.currency)})`, {
                param: "amount",
            });
        const reason = oneOf(p.reason, "reason", ["duplicate", "fraudulent", "requested_by_customer"]) ?? null;
        refunded.set(intent.id, already + amount);
        const body = {
            ...structuredClone(NEW_REFUND),
            ...{ id: newId("re"), amount, balance_transaction: newId("txn"), charge: intent.latest_charge, created: now(), currency: intent.currency },
            ...{ metadata: metadataOf(p.metadata), payment_intent: intent.id, reason },
        };
        ledger.record({ api: "payment", kind: "refund", orderId: intent.metadata.order_id, id: body.id, detail: intent.id });
        return { status: 200, body };
    };

    const route = (method: string, path: string, pattern: RegExp, handle: (req: SandboxRequest) => Reply): Route => ({
        method,
        pattern,
        name: `${method} ${path}`,
        idempotency: "stripe",
        handle: guarded(handle),
    });
    return [
        route("POST", "/payment_intents", /^\/payment_intents$/, create),
        route("GET", "/payment_intents/{id}", /^\/payment_intents\/([^/]+)$/, (req) => answer(intentAt(req))),
        route("POST", "/payment_intents/{id}/capture", /^\/payment_intents\/([^/]+)\/capture$/, capture),
        route("POST", "/payment_intents/{id}/cancel", /^\/payment_intents\/([^/]+)\/cancel$/, cancel),
        route("POST", "/refunds", /^\/refunds$/, refund),
    ];
}
