/**
 * The team's own services of the order saga, inventory and shipping, as sandbox routes speaking
 * `deploy/apis/inventory/openapi.yaml` and `deploy/apis/shipping/openapi.yaml`. (Payment is Stripe:
 * `stripe.ts`.) Outcomes other than success are triggered by SKUs (the "magic inputs" below), so
 * every saga path can be reached from an ordinary order file.
 */
import { Reply, Route, SandboxRequest } from "./http-server";
import { Ledger } from "./ledger";

/** Order data that makes a sandbox API fail on purpose. */
export const MAGIC = {
    /** SKUs with this prefix are out of stock: the inventory API answers 409. */
    soldOutSkuPrefix: "SKU-SOLD-OUT",
    /** SKUs with this prefix: the shipping API answers 503 to the first two attempts of an order. */
    flakyShippingSkuPrefix: "SKU-SHIP-FLAKY",
    /** SKUs with this prefix: the shipping API always answers 503 for the order. */
    shippingDownSkuPrefix: "SKU-SHIP-DOWN",
} as const;

type Body = Record<string, unknown>;
const bad = (message: string): Reply => ({ status: 400, body: { error: "bad_request", message } });
const bodyOf = (req: SandboxRequest): Body => (typeof req.body === "object" && req.body !== null ? (req.body as Body) : {});
const skus = (items: unknown): string[] => (Array.isArray(items) ? items.map((i) => String((i as { sku?: unknown })?.sku)) : []);
const itemsValid = (items: unknown) =>
    Array.isArray(items) &&
    items.length > 0 &&
    items.every((i) => typeof i?.sku === "string" && i.sku.length >= 1 && i.sku.length <= 64 && Number.isInteger(i?.quantity) && i.quantity > 0);
const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** The caller-chosen id of the contract: `<prefix>-<orderId>`. */
const idPattern = (prefix: string) => new RegExp(`^${prefix}-[A-Za-z0-9_-]{1,64}$`);
const RESERVATION_ID = idPattern("res");
const SHIPMENT_ID = idPattern("shp");
/** The first top-level field the contract does not name, if any. */
const unknownField = (body: Body, known: readonly string[]) => Object.keys(body).find((k) => !known.includes(k));
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const recipientValid = (r: unknown) =>
    typeof r === "object" &&
    r !== null &&
    !Array.isArray(r) &&
    ((typeof (r as Body).email === "string" && EMAIL.test((r as Body).email as string)) || typeof (r as Body).phone === "string");

/** Inventory: `POST /reservations` (409 for sold-out SKUs), `DELETE /reservations/{id}`. */
export function inventoryRoutes(ledger: Ledger): Route[] {
    // Reservation ids are chosen by the caller (`res-<orderId>`), so a release can name one whose creation answer was lost.
    const reservations = new Map<string, { orderId: string; status: "held" | "released" }>();
    // Ids released before they were created (tombstones): a late create for them must not hold stock.
    const released = new Set<string>();
    return [
        {
            method: "POST",
            pattern: /^\/reservations$/,
            name: "POST /reservations",
            idempotent: true,
            handle(req) {
                const body = bodyOf(req);
                const { reservationId, orderId, items } = body;
                const extra = unknownField(body, ["reservationId", "orderId", "items"]);
                if (extra !== undefined) return bad(`\`${extra}\` is not a field of a reservation.`);
                if (
                    typeof reservationId !== "string" ||
                    !RESERVATION_ID.test(reservationId) ||
                    typeof orderId !== "string" ||
                    !ORDER_ID.test(orderId) ||
                    !itemsValid(items)
                )
                    return bad("`reservationId` (`res-<orderId>`), `orderId` and `items` (`sku`, positive integer `quantity`) are required.");
                // An id already used, or released before it was ever created (a late create), holds nothing new.
                if (reservations.has(reservationId) || released.has(reservationId))
                    return { status: 409, body: { error: "reservation_exists", reservationId } };
                const soldOut = skus(items).find((s) => s.startsWith(MAGIC.soldOutSkuPrefix));
                if (soldOut) {
                    ledger.record({ api: "inventory", kind: "out-of-stock", orderId, detail: soldOut });
                    return { status: 409, body: { error: "out_of_stock", sku: soldOut } };
                }
                reservations.set(reservationId, { orderId, status: "held" });
                ledger.record({ api: "inventory", kind: "reservation", orderId, id: reservationId });
                return { status: 201, body: { reservationId, status: "held", orderId, items } };
            },
        },
        {
            method: "DELETE",
            pattern: /^\/reservations\/([^/]+)$/,
            name: "DELETE /reservations/{id}",
            idempotent: true,
            handle(req) {
                const id = decodeURIComponent(req.params[0]);
                if (!RESERVATION_ID.test(id)) return bad(`\`${id}\` is not a reservation id (\`res-<orderId>\`).`);
                const reservation = reservations.get(id);
                if (!reservation) {
                    released.add(id);
                    return { status: 404, body: { error: "reservation_not_found", message: `No reservation ${id}.` } };
                }
                if (reservation.status === "held") {
                    reservation.status = "released";
                    ledger.record({ api: "inventory", kind: "release", orderId: reservation.orderId, id });
                }
                return { status: 200, body: { reservationId: id, status: "released" } };
            },
        },
    ];
}

/** Shipping: `POST /shipments` (503 for the flaky and down SKUs), `DELETE /shipments/{id}` (cancel). */
export function shippingRoutes(ledger: Ledger): Route[] {
    const attempts = new Map<string, number>();
    // Shipment ids are chosen by the caller (`shp-<orderId>`), like reservation ids.
    const shipments = new Map<string, { orderId: string; status: "label_created" | "cancelled" }>();
    // Ids cancelled before they were created (tombstones): a late create for them must not ship.
    const cancelled = new Set<string>();
    let seq = 0;
    return [
        {
            method: "POST",
            pattern: /^\/shipments$/,
            name: "POST /shipments",
            idempotent: true,
            handle(req) {
                const body = bodyOf(req);
                const { shipmentId, orderId, items, recipient } = body;
                const extra = unknownField(body, ["shipmentId", "orderId", "items", "recipient"]);
                if (extra !== undefined) return bad(`\`${extra}\` is not a field of a shipment.`);
                if (
                    typeof shipmentId !== "string" ||
                    !SHIPMENT_ID.test(shipmentId) ||
                    typeof orderId !== "string" ||
                    !ORDER_ID.test(orderId) ||
                    !itemsValid(items) ||
                    !recipientValid(recipient)
                ) {
                    return bad("`shipmentId` (`shp-<orderId>`), `orderId`, `items` and `recipient` (with `email` or `phone`) are required.");
                }
                if (shipments.has(shipmentId) || cancelled.has(shipmentId)) return { status: 409, body: { error: "shipment_exists", shipmentId } };
                const attempt = (attempts.get(orderId) ?? 0) + 1;
                attempts.set(orderId, attempt);
                const list = skus(items);
                if (
                    list.some((s) => s.startsWith(MAGIC.shippingDownSkuPrefix)) ||
                    (attempt <= 2 && list.some((s) => s.startsWith(MAGIC.flakyShippingSkuPrefix)))
                ) {
                    return { status: 503, body: { error: "carrier_unavailable", message: "The carrier is not answering." } };
                }
                shipments.set(shipmentId, { orderId, status: "label_created" });
                const trackingNumber = `1ZLOCAL${String(++seq).padStart(10, "0")}`;
                ledger.record({ api: "shipping", kind: "shipment", orderId, id: shipmentId, detail: trackingNumber });
                return { status: 201, body: { shipmentId, trackingNumber, status: "label_created", orderId } };
            },
        },
        {
            method: "DELETE",
            pattern: /^\/shipments\/([^/]+)$/,
            name: "DELETE /shipments/{id}",
            idempotent: true,
            handle(req) {
                const id = decodeURIComponent(req.params[0]);
                if (!SHIPMENT_ID.test(id)) return bad(`\`${id}\` is not a shipment id (\`shp-<orderId>\`).`);
                const shipment = shipments.get(id);
                if (!shipment) {
                    cancelled.add(id);
                    return { status: 404, body: { error: "shipment_not_found", message: `No shipment ${id}.` } };
                }
                if (shipment.status === "label_created") {
                    shipment.status = "cancelled";
                    ledger.record({ api: "shipping", kind: "shipment-cancel", orderId: shipment.orderId, id });
                }
                return { status: 200, body: { shipmentId: id, status: "cancelled" } };
            },
        },
    ];
}
