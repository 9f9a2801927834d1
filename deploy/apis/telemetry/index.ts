/** An IoT device API the scheduled collection reads (devices and their readings, cursor-paged). */
import { AUTH_TYPES } from "../../stack-config/types";
import type { ApiSpec } from "../spec";

/** The `telemetry` API. */
export const telemetryApi = {
    name: "telemetry",
    description: "an IoT device API (a collection source)",
    authTypes: AUTH_TYPES,
    contract: "deploy/apis/telemetry/openapi.yaml",
} as const satisfies ApiSpec;
