/**
 * The sandbox's APIs, one file each (routes speaking `deploy/apis/<api>/openapi.yaml`; payment's are
 * Stripe's, in `tools/sandbox/stripe/`, served by `payment.ts`). Each `<api>.ts` exports its `service`, which `tools/sandbox/routes.ts` finds by the file's name.
 */
export { MAGIC } from "./order-services";
export { inventoryRoutes } from "./inventory";
export { shippingRoutes } from "./shipping";
export { telemetryRoutes } from "./telemetry";
export { socialRoutes } from "./social";
export { deviceIds } from "./collect-data";
export type { CollectDataOptions } from "./collect-data";
