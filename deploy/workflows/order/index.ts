/** The order saga's module: the APIs it calls and how each of its Fail states ends an order. */
import type { WorkflowModule } from "../module";

/** The `order` workflow. */
export const orderModule = {
    name: "order",
    description: "the e-commerce order saga (Stripe, inventory, shipping)",
    apis: ["payment", "inventory", "shipping"],
    // A person must act on an incident: money or goods may be in the wrong place, or Stripe refuses our requests (docs/saga.md: saga outcomes).
    errors: {
        InvalidOrder: "outcome",
        PaymentDeclined: "outcome",
        PaymentAuthenticationRequired: "outcome",
        OrderCancelled: "outcome",
        CompensationFailed: "incident",
        PaymentRequestFailed: "incident",
        PaymentUnavailable: "incident",
        PaymentStateUnknown: "incident",
        PaymentMismatch: "incident",
        PaymentNotCapturable: "incident",
    },
} as const satisfies WorkflowModule;
