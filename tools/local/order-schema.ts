/**
 * The order contract (`deploy/workflows/order/order.schema.json`) compiled with Ajv: what the soak and the tests
 * compare `ValidateOrder`'s verdicts against. The schema is the one source; the ASL rules are
 * generated from it (`deploy/workflows/order/validation.ts`).
 */
import Ajv2020 from "ajv/dist/2020";
import { ORDER_SCHEMA } from "../../deploy/workflows/order/validation";

// `strictRequired` is off: the `anyOf` of `required` email-or-phone names properties defined one level up.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });

/** True when `order` satisfies the order JSON Schema; `.errors` holds the reasons otherwise. */
export const matchesOrderSchema = ajv.compile(ORDER_SCHEMA);

/**
 * The keywords API Gateway's request validation does not enforce: "The `maxItems` and `minItems` tags
 * are not included in simple request validation" (docs/aws-facts.md §19). The deployed intake answers
 * 202 to an order whose item count is out of range, and `ValidateOrder` ends it `InvalidOrder`.
 */
export const API_GATEWAY_IGNORED_KEYWORDS: readonly string[] = ["minItems", "maxItems"];

/** `schema` without the keywords API Gateway ignores, at any depth. */
function withoutIgnored(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(withoutIgnored);
    if (typeof schema !== "object" || schema === null) return schema;
    return Object.fromEntries(
        Object.entries(schema)
            .filter(([k]) => !API_GATEWAY_IGNORED_KEYWORDS.includes(k))
            .map(([k, v]) => [k, withoutIgnored(v)]),
    );
}

/** What the deployed intake's request validation checks: the order schema as API Gateway enforces it. */
export const matchesIntakeModel = ajv.compile({ ...(withoutIgnored(ORDER_SCHEMA) as object), $id: undefined });
