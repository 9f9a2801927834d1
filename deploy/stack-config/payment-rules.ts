/**
 * The rule for `payment.provider`, the gateway the `payment` API speaks.
 * Pure, like `api-rules.ts`: one sentence per problem, naming the key and the fix.
 */
import { PAYMENT_PROVIDERS, PaymentProviderName } from "../workflows/order/payment/provider";
import { Problems, setCommand } from "./api-rules";
import { isObject } from "../asl/json";

/**
 * The validated `payment.provider` (`stripe` when unset). What Stripe needs of the connection is the
 * `payment` API's own rule (`deploy/apis/payment/index.ts`).
 */
export function paymentProvider(raw: unknown, problems: Problems): PaymentProviderName {
    const value = isObject(raw) ? raw.provider : undefined;
    if (value !== undefined && !PAYMENT_PROVIDERS.includes(value as PaymentProviderName)) {
        problems.push(
            `\`payment.provider\` must be one of ${PAYMENT_PROVIDERS.map((p) => `\`${p}\``).join(", ")} (got \`${String(value)}\`): run \`${setCommand("payment.provider", "stripe")}\`.`,
        );
        return "stripe";
    }
    return (value as PaymentProviderName | undefined) ?? "stripe";
}
