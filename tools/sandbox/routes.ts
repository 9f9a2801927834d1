/**
 * The sandbox's services by API name (a name of `deploy/apis/index.ts`): what each API's server
 * answers with. `startSandbox` (the order saga's APIs) and the local collection (its sources' APIs)
 * start servers from this table. It is found on disk: `tools/sandbox/apis/<api>.ts`, for an `<api>`
 * of the API registry, exports its `service`; so serving one more API is that one file (issue 17's
 * recipe budget). The saga's APIs must all be served: checked when this module loads.
 */
import * as fs from "fs";
import * as path from "path";
import { apiSpecOf } from "../../deploy/apis";
import { orderModule } from "../../deploy/workflows/order";
import { CollectDataOptions } from "./apis/collect-data";
import { FaultInjector } from "./faults";
import { Route, ServerOptions } from "./http-server";
import { Ledger } from "./ledger";
import type { StripeControl, StripeSandboxOptions } from "./stripe";

/** What a service is built with. */
export interface SandboxServiceContext {
    readonly ledger: Ledger;
    /** The API's fault injector (Stripe's own faults read it too). */
    readonly faults: FaultInjector;
    /** Path the API is served under, e.g. `/v1`. */
    readonly basePath: string;
    /** The base URL links in answers point at (the server's own once it listens, or the stack's). */
    readonly baseUrl: () => string;
    /** The size of the collection APIs' data. */
    readonly data?: CollectDataOptions;
    readonly stripe?: StripeSandboxOptions;
}

/** What a service's server answers with. */
export interface SandboxService extends Pick<ServerOptions, "errorBody" | "commonHeaders"> {
    readonly routes: Route[];
    /** The payment API's Stripe clock and controls. */
    readonly stripe?: StripeControl;
}

/** Builds one API's service. */
export type SandboxServiceFactory = (context: SandboxServiceContext) => SandboxService;

/** The APIs the order saga calls (`deploy/workflows/order/index.ts`): `startSandbox` serves exactly these. */
export const SANDBOX_APIS = orderModule.apis;
/** One of `SANDBOX_APIS`. */
export type SandboxApi = (typeof SANDBOX_APIS)[number];
/** An API the sandbox serves. */
export type ServedApi = string;

const APIS_DIR = path.join(__dirname, "apis");

/** The `service` of each `apis/<api>.ts` named after a registry API: the saga's first, in its order, then the others by name. */
function discover(): Record<ServedApi, SandboxServiceFactory> {
    const files = fs.readdirSync(APIS_DIR).filter((f) => /\.[jt]s$/.test(f) && !f.endsWith(".d.ts"));
    const names = [...new Set(files.map((f) => f.replace(/\.[jt]s$/, "")))].filter((name) => apiSpecOf(name) !== undefined);
    const saga: readonly string[] = SANDBOX_APIS;
    const missing = saga.filter((api) => !names.includes(api));
    if (missing.length > 0)
        throw new Error(
            `The sandbox serves no ${missing.map((a) => `\`${a}\``).join(", ")}, which the order saga calls: add \`tools/sandbox/apis/<api>.ts\` exporting its \`service\`.`,
        );
    const ordered = [...saga, ...names.filter((name) => !saga.includes(name)).sort()];
    return Object.fromEntries(
        ordered.map((api) => {
            // A file is a service: loaded by name, so adding one edits no list.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const service = (require(path.join(APIS_DIR, api)) as { service?: SandboxServiceFactory }).service;
            if (typeof service !== "function") throw new Error(`\`tools/sandbox/apis/${api}.ts\` must export its \`service\` (a \`SandboxServiceFactory\`).`);
            return [api, service];
        }),
    );
}

/** Every API the sandbox can serve, by name (the saga's first). */
export const SANDBOX_SERVICES: Readonly<Record<ServedApi, SandboxServiceFactory>> = discover();
