/**
 * The shipping carrier of the order saga as sandbox routes speaking `deploy/apis/shipping/openapi.yaml`.
 * The flaky and down SKUs (`MAGIC`) make it answer 503.
 */
import { Route } from "../http-server";
import { Ledger } from "../ledger";
import { bad, bodyOf, idPattern, itemsValid, MAGIC, ORDER_ID, recipientValid, skus, unknownField } from "./order-services";
import type { SandboxServiceFactory } from "../routes";

const SHIPMENT_ID = idPattern("shp");

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

/** The sandbox's `shipping` service: `tools/sandbox/routes.ts` finds it by this file's name. */
export const service: SandboxServiceFactory = ({ ledger }) => ({ routes: shippingRoutes(ledger) });
