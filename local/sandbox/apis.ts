/**
 * The team's own services of the order saga, inventory and shipping, as sandbox routes speaking
 * `contracts/inventory.openapi.yaml` and `contracts/shipping.openapi.yaml`. (Payment is Stripe:
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
    Array.isArray(items) && items.length > 0 && items.every((i) => typeof i?.sku === "string" && Number.isInteger(i?.quantity) && i.quantity > 0);

/** Inventory: `POST /reservations` (409 for sold-out SKUs), `DELETE /reservations/{id}`. */
export function inventoryRoutes(ledger: Ledger): Route[] {
    // Reservation ids are chosen by the caller (`res-<orderId>`), so a release can name one whose creation answer was lost.
    const reservations = new Map<string, { orderId: string; status: "held" | "released" }>();
    return [
        {
            method: "POST",
            pattern: /^\/reservations$/,
            name: "POST /reservations",
            idempotent: true,
            handle(req) {
                const { reservationId, orderId, items } = bodyOf(req);
                if (typeof reservationId !== "string" || typeof orderId !== "string" || !itemsValid(items))
                    return bad("`reservationId`, `orderId` and `items` (`sku`, positive integer `quantity`) are required.");
                const soldOut = skus(items).find((s) => s.startsWith(MAGIC.soldOutSkuPrefix));
                if (soldOut) {
                    ledger.record({ api: "inventory", kind: "out-of-stock", orderId, detail: soldOut });
                    return { status: 409, body: { error: "out_of_stock", sku: soldOut } };
                }
                if (reservations.has(reservationId)) return { status: 409, body: { error: "reservation_exists", reservationId } };
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
                const reservation = reservations.get(id);
                if (!reservation) return { status: 404, body: { error: "reservation_not_found", message: `No reservation ${id}.` } };
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
    let seq = 0;
    return [
        {
            method: "POST",
            pattern: /^\/shipments$/,
            name: "POST /shipments",
            idempotent: true,
            handle(req) {
                const { shipmentId, orderId, items, recipient } = bodyOf(req);
                if (
                    typeof shipmentId !== "string" ||
                    typeof orderId !== "string" ||
                    !itemsValid(items) ||
                    typeof recipient !== "object" ||
                    recipient === null
                ) {
                    return bad("`shipmentId`, `orderId`, `items` and `recipient` are required.");
                }
                const attempt = (attempts.get(orderId) ?? 0) + 1;
                attempts.set(orderId, attempt);
                const list = skus(items);
                if (
                    list.some((s) => s.startsWith(MAGIC.shippingDownSkuPrefix)) ||
                    (attempt <= 2 && list.some((s) => s.startsWith(MAGIC.flakyShippingSkuPrefix)))
                ) {
                    return { status: 503, body: { error: "carrier_unavailable", message: "The carrier is not answering." } };
                }
                if (shipments.has(shipmentId)) return { status: 409, body: { error: "shipment_exists", shipmentId } };
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
                const shipment = shipments.get(id);
                if (!shipment) return { status: 404, body: { error: "shipment_not_found", message: `No shipment ${id}.` } };
                if (shipment.status === "label_created") {
                    shipment.status = "cancelled";
                    ledger.record({ api: "shipping", kind: "shipment-cancel", orderId: shipment.orderId, id });
                }
                return { status: 200, body: { shipmentId: id, status: "cancelled" } };
            },
        },
    ];
}
