/**
 * The payment gateway's API. Stripe takes the secret key as `Authorization: Bearer sk_...`
 * (https://docs.stripe.com/api/authentication), so its connection must be an `apiKey` one with header
 * `Authorization` (a Basic connection would put the key in plain config as its user name).
 */
import { setCommand } from "../../stack-config/fixes";
import type { ApiSpec } from "../spec";

/** The `payment` API (Stripe's wire protocol, `payment.provider`). */
export const paymentApi = {
    name: "payment",
    description: "the payment gateway (Stripe)",
    authTypes: ["apiKey"],
    authRule(settings, problems) {
        const auth = settings.auth;
        // An empty header name is already reported by the API rules.
        if (auth.type !== "apiKey" || (auth.headerName !== "" && auth.headerName.toLowerCase() !== "authorization"))
            problems.push(
                `\`payment.auth\` must be \`{ type: apiKey, headerName: Authorization }\` for Stripe, which takes the secret key as \`Authorization: Bearer sk_...\`: run \`${setCommand("payment.auth.type", "apiKey")}\` and \`${setCommand("payment.auth.headerName", "Authorization")}\`, then \`pulumi config set --secret --path 'secrets.payment.apiKey' 'Bearer sk_test_...'\`.`,
            );
    },
    extraKeys: ["provider"],
    contract: "https://docs.stripe.com/api",
} as const satisfies ApiSpec;
