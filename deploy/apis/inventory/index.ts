/** The team's inventory service: the saga reserves and releases stock. */
import { AUTH_TYPES } from "../../stack-config/types";
import type { ApiSpec } from "../spec";

/** The `inventory` API. */
export const inventoryApi = {
    name: "inventory",
    description: "the inventory service (reservations)",
    authTypes: AUTH_TYPES,
    contract: "deploy/apis/inventory/openapi.yaml",
} as const satisfies ApiSpec;
