/**
 * The order contract (`contracts/order.schema.json`) compiled with Ajv: what the soak and the tests
 * compare `ValidateOrder`'s verdicts against. The schema is the one source; the ASL rules are
 * generated from it (`workflows/order-validation.ts`).
 */
import Ajv2020 from "ajv/dist/2020";
import { ORDER_SCHEMA } from "../workflows/order-validation";

// `strictRequired` is off: the `anyOf` of `required` email-or-phone names properties defined one level up.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });

/** True when `order` satisfies the order JSON Schema; `.errors` holds the reasons otherwise. */
export const matchesOrderSchema = ajv.compile(ORDER_SCHEMA);
