/** The shipping carrier's API: the saga creates and cancels shipments. */
import { AUTH_TYPES } from "../../stack-config/types";
import type { ApiSpec } from "../spec";

/** The `shipping` API. */
export const shippingApi = {
    name: "shipping",
    description: "the shipping carrier (shipments)",
    authTypes: AUTH_TYPES,
    contract: "deploy/apis/shipping/openapi.yaml",
} as const satisfies ApiSpec;
