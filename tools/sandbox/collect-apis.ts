/**
 * The data sources of the local collection, deterministic so runs can be compared: every API the
 * sandbox serves that the order saga does not call (`telemetry`, `social`; routes in `apis/<api>.ts`).
 */
import { SANDBOX_APIS, SANDBOX_SERVICES, ServedApi } from "./routes";

export { deviceIds, socialRoutes, telemetryRoutes } from "./apis";
export type { CollectDataOptions } from "./apis";

/** One of `COLLECT_SANDBOX_APIS`. */
export type CollectSandboxApi = Exclude<ServedApi, (typeof SANDBOX_APIS)[number]>;
/** The collection's sandbox APIs. */
export const COLLECT_SANDBOX_APIS = (Object.keys(SANDBOX_SERVICES) as ServedApi[]).filter(
    (api): api is CollectSandboxApi => !(SANDBOX_APIS as readonly string[]).includes(api),
);
