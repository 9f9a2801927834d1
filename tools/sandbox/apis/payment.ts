/**
 * The payment API of the order saga in the sandbox: Stripe's wire protocol (`tools/sandbox/stripe/`),
 * with Stripe's error body and a `Request-Id` on every answer (https://docs.stripe.com/api/request_ids).
 */
import type { SandboxServiceFactory } from "../routes";
import { newRequestId, stripeErrorBody, stripeSandbox } from "../stripe";

/** The sandbox's `payment` service: `tools/sandbox/routes.ts` finds it by this file's name. */
export const service: SandboxServiceFactory = ({ ledger, faults, basePath, stripe }) => {
    const payment = stripeSandbox(ledger, { faults, basePath, ...stripe });
    return { routes: payment.routes, stripe: payment.control, errorBody: stripeErrorBody, commonHeaders: () => ({ "Request-Id": newRequestId() }) };
};
