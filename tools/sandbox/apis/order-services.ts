/**
 * What the sandbox's own order services (inventory and shipping) share: the magic inputs that make
 * them fail on purpose, and the checks of the ids and items their contracts define.
 */
import { Reply, SandboxRequest } from "../http-server";

/** Order data that makes a sandbox API fail on purpose. */
export const MAGIC = {
    /** SKUs with this prefix are out of stock: the inventory API answers 409. */
    soldOutSkuPrefix: "SKU-SOLD-OUT",
    /** SKUs with this prefix: the shipping API answers 503 to the first two attempts of an order. */
    flakyShippingSkuPrefix: "SKU-SHIP-FLAKY",
    /** SKUs with this prefix: the shipping API always answers 503 for the order. */
    shippingDownSkuPrefix: "SKU-SHIP-DOWN",
} as const;

/** A JSON object body. */
export type Body = Record<string, unknown>;
/** A 400 with the contract's error shape. */
export const bad = (message: string): Reply => ({ status: 400, body: { error: "bad_request", message } });
/** The request body as an object (`{}` when it is not one). */
export const bodyOf = (req: SandboxRequest): Body => (typeof req.body === "object" && req.body !== null ? (req.body as Body) : {});
/** The SKUs of an order's items. */
export const skus = (items: unknown): string[] => (Array.isArray(items) ? items.map((i) => String((i as { sku?: unknown })?.sku)) : []);
/** Whether `items` is a non-empty list of `{ sku, quantity }` as the contracts define it. */
export const itemsValid = (items: unknown) =>
    Array.isArray(items) &&
    items.length > 0 &&
    items.every((i) => typeof i?.sku === "string" && i.sku.length >= 1 && i.sku.length <= 64 && Number.isInteger(i?.quantity) && i.quantity > 0);
/** An order id as the contracts define it. */
export const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** The caller-chosen id of the contract: `<prefix>-<orderId>`. */
export const idPattern = (prefix: string) => new RegExp(`^${prefix}-[A-Za-z0-9_-]{1,64}$`);
/** The first top-level field the contract does not name, if any. */
export const unknownField = (body: Body, known: readonly string[]) => Object.keys(body).find((k) => !known.includes(k));
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** Whether a shipment's recipient has an email address or a phone number. */
export const recipientValid = (r: unknown) =>
    typeof r === "object" &&
    r !== null &&
    !Array.isArray(r) &&
    ((typeof (r as Body).email === "string" && EMAIL.test((r as Body).email as string)) || typeof (r as Body).phone === "string");
