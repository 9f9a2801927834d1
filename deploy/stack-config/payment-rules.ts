/**
 * Rules for `payment.provider` and what the provider needs of the `payment` API's settings.
 * Pure, like `api-rules.ts`: one sentence per problem, naming the key and the fix.
 */
import { PAYMENT_PROVIDERS, PaymentProviderName } from "../workflows/order/payment/provider";
import { Problems, setCommand } from "./api-rules";
import { isObject } from "../asl/json";
import { ApiSettings } from "./types";

/**
 * The validated `payment.provider` (`stripe` when unset). For Stripe, the connection must send the
 * secret key as `Authorization: Bearer sk_...`: an API-key connection with header `Authorization`
 * (a Basic connection would put the key in plain config as its user name).
 */
export function paymentProvider(raw: unknown, settings: ApiSettings | undefined, problems: Problems): PaymentProviderName {
    const value = isObject(raw) ? raw.provider : undefined;
    if (value !== undefined && !PAYMENT_PROVIDERS.includes(value as PaymentProviderName)) {
        problems.push(
            `\`payment.provider\` must be one of ${PAYMENT_PROVIDERS.map((p) => `\`${p}\``).join(", ")} (got \`${String(value)}\`): run \`${setCommand("payment.provider", "stripe")}\`.`,
        );
        return "stripe";
    }
    const auth = settings?.auth;
    // An empty header name is already reported by the API rules.
    if (auth && (auth.type !== "apiKey" || (auth.headerName !== "" && auth.headerName.toLowerCase() !== "authorization"))) {
        problems.push(
            `\`payment.auth\` must be \`{ type: apiKey, headerName: Authorization }\` for Stripe, which takes the secret key as \`Authorization: Bearer sk_...\`: run \`${setCommand("payment.auth.type", "apiKey")}\` and \`${setCommand("payment.auth.headerName", "Authorization")}\`, then \`pulumi config set --secret --path 'secrets.payment.apiKey' 'Bearer sk_test_...'\`.`,
        );
    }
    return (value as PaymentProviderName | undefined) ?? "stripe";
}
