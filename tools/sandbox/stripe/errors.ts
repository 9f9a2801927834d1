/**
 * Stripe's error object and the way the sandbox's Stripe routes refuse a request: a check throws a
 * `Refusal`, and the route answers with its reply. Shapes follow Stripe's API reference ("Errors":
 * `type`, `code`, `decline_code`, `message`, `param`, `doc_url`, `payment_intent`).
 */
import { Reply, SandboxRequest } from "../http-server";

/** Stripe's error object (the `error` member of an error answer). */
export type StripeError = { type: string; message: string; code?: string; decline_code?: string; param?: string; doc_url?: string; [field: string]: unknown };

/** Thrown by checks; the route answers with `reply`. */
export class Refusal {
    constructor(readonly reply: Reply) {}
}

/** Stripe's `doc_url` of an error code, e.g. `https://stripe.com/docs/error-codes/card-declined`. */
export const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}`;

/** Throws Stripe's answer `status` with `error` (a `doc_url` is added when the error has a code). */
export function refuse(status: number, error: StripeError): never {
    const url = error.code && error.doc_url === undefined ? { doc_url: docUrl(error.code) } : {};
    throw new Refusal({ status, body: { error: { ...error, ...url } } });
}

/** Throws a 400 `invalid_request_error`. */
export const invalid = (message: string, extra: Partial<StripeError> = {}): never => refuse(400, { type: "invalid_request_error", message, ...extra });

/** Runs `handle`, turning a `Refusal` into its answer. */
export const guarded =
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
