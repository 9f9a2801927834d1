/**
 * The inventory service of the order saga as sandbox routes speaking `deploy/apis/inventory/openapi.yaml`.
 * A sold-out SKU (`MAGIC.soldOutSkuPrefix`) makes it answer 409.
 */
import { Route } from "../http-server";
import { Ledger } from "../ledger";
import { bad, bodyOf, idPattern, itemsValid, MAGIC, ORDER_ID, skus, unknownField } from "./order-services";
import type { SandboxServiceFactory } from "../routes";

const RESERVATION_ID = idPattern("res");

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

/** The sandbox's `inventory` service: `tools/sandbox/routes.ts` finds it by this file's name. */
export const service: SandboxServiceFactory = ({ ledger }) => ({ routes: inventoryRoutes(ledger) });
