/**
 * The scheduled collection wired for a local run: the telemetry and social sandbox APIs started
 * with the stack's auth types and local test credentials, the definition of `deploy/workflows/collect/definition.ts`
 * built from the stack's `collect` sources exactly as `pulumi up` builds it (the stack's real base
 * URLs; the sandbox is reached through a route table, `tools/emulator/routes.ts`), S3 as a local
 * folder (with the fan-out item list seeded) and `events:PutEvents` into the outbox.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StateMachineDefinition } from "../../deploy/asl/types";
import { readStackFile, stackSettings } from "../stack-file";
import { CollectSettings, PROJECT } from "../../deploy/stack-config/types";
import { collectDefinition, CollectTarget } from "../../deploy/workflows/collect/definition";
import { ConnectionSpec } from "../emulator/connections";
import { HttpTaskEmulator } from "../emulator/http-invoke";
import { Route, RouteTable } from "../emulator/routes";
import { LocalObjectStore } from "../emulator/s3";
import { Outbox } from "../emulator/sns";
import { localConnection } from "./local-connections";
import { localConnectionArn } from "./order-stack";
import { LocalRunner } from "./runner";
import { ExpressLimit } from "../emulator/distributed-map";
import { accessCheck, TokenIssuer } from "../sandbox/auth";
import { COLLECT_SANDBOX_APIS, CollectDataOptions, CollectSandboxApi, deviceIds } from "../sandbox/collect-apis";
import { SANDBOX_SERVICES } from "../sandbox/routes";
import { FaultInjector } from "../sandbox/faults";
import { RunningServer, SandboxExchange, startServer } from "../sandbox/http-server";
import { Ledger } from "../sandbox/ledger";

/** The stack's collection calls an API the local sandbox does not serve. */
export class NoLocalSandboxError extends Error {
    override readonly name = "NoLocalSandboxError";
}

/** The bucket of local runs. */
export const LOCAL_BUCKET = `${PROJECT}-local-collect`;

/** Everything a local collection needs; `close()` stops the sandbox. */
export interface LocalCollectStack {
    readonly stack: string;
    readonly region: string;
    readonly collect: CollectSettings;
    readonly definition: StateMachineDefinition;
    readonly store: LocalObjectStore;
    readonly outbox: Outbox;
    readonly runner: LocalRunner;
    /** Base URL of each sandbox API (loopback). */
    readonly urls: Readonly<Record<CollectSandboxApi, string>>;
    /** Each real base URL (and OAuth token URL) the sources call → the sandbox serving it. */
    readonly routes: RouteTable;
    /** The connections the runner signs with, by ARN (the bench signs its direct calls with them too). */
    readonly connections: ReadonlyMap<string, ConnectionSpec>;
    /** The connection ARN of each API the sources call. */
    readonly connectionArns: Readonly<Record<string, string>>;
    /** The device ids seeded as the fan-out item list(s). */
    readonly itemIds: readonly string[];
    close(): Promise<void>;
}

/** Options of `startLocalCollectStack`. */
export interface LocalCollectStackOptions {
    /** @default "dev" */
    readonly stack?: string;
    /** Directory holding `Pulumi.<stack>.yaml`. @default the repository root */
    readonly rootDir?: string;
    /** The local S3 folder. @default a fresh temporary folder, removed by `close()` */
    readonly storeDir?: string;
    /** Sandbox data sizes and 429 bursts. */
    readonly data?: CollectDataOptions;
    /** The ids of the fan-out item list. @default the telemetry devices */
    readonly itemIds?: readonly string[];
    /** Record per-state traces. @default false */
    readonly trace?: boolean;
    /** The ms a Wait state of `seconds` waits (a budgeted retry's wait); real time by default. */
    readonly waitMs?: (seconds: number) => number;
    /** The limit of Express children (tests shorten it or give it their own clock). */
    readonly expressLimit?: ExpressLimit;
    /** Sees every request a sandbox API answers (contract tests). */
    readonly onExchange?: (exchange: SandboxExchange) => void;
}

/** Starts the collection's sandbox for a stack and builds the definition and a runner against it. */
export async function startLocalCollectStack(options: LocalCollectStackOptions = {}): Promise<LocalCollectStack> {
    const stack = options.stack ?? "dev";
    const file = readStackFile(stack, options.rootDir ?? path.join(__dirname, "..", ".."));
    const settings = stackSettings(file);
    const collect = settings.collect;
    if (!collect) throw new Error(`Stack \`${stack}\` does not enable the \`collect\` workflow.`);
    const apis = [...new Set(collect.sources.map((s) => s.api))];
    const foreign = apis.filter((api) => !(COLLECT_SANDBOX_APIS as readonly string[]).includes(api));
    if (foreign.length > 0)
        throw new NoLocalSandboxError(
            `The local sandbox serves ${COLLECT_SANDBOX_APIS.join(" and ")} only; stack \`${stack}\` also calls ${foreign.join(", ")}.`,
        );

    const ledger = new Ledger();
    const issuer = new TokenIssuer(ledger);
    const servers: RunningServer[] = [];
    const tempDir = options.storeDir === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), "sfn-collect-")) : undefined;
    const close = async () => {
        await Promise.all(servers.map((s) => s.close()));
        if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
    };
    try {
        const tokenServer = await issuer.start("/oauth2");
        servers.push(tokenServer);
        const tokenUrl = `${tokenServer.baseUrl}/token`;
        const urls = {} as Record<CollectSandboxApi, string>;
        const connections = new Map<string, ConnectionSpec>();
        const targets: Record<string, CollectTarget["apis"][string]> = {};
        const routes: Route[] = [];
        for (const api of apis as CollectSandboxApi[]) {
            const auth = settings.apis[api].auth;
            // The stack's real token URL, as deployed; the route leads it to the sandbox's token endpoint.
            const connection = localConnection(settings.apis[api], auth.type === "oauth" ? auth.tokenUrl : "");
            if (auth.type === "oauth") routes.push({ from: auth.tokenUrl, to: tokenUrl });
            issuer.registerConnection(connection);
            const baseUrl = settings.apis[api].baseUrl;
            const basePath = new URL(baseUrl).pathname;
            const faults = new FaultInjector(0);
            // `Link` targets name the stack's base URL, as the real API's would: the definition pages the real URL.
            const service = SANDBOX_SERVICES[api]({ ledger, faults, basePath, baseUrl: () => baseUrl.replace(/\/+$/, ""), data: options.data });
            const server = await startServer({
                api,
                basePath,
                routes: service.routes,
                errorBody: service.errorBody,
                commonHeaders: service.commonHeaders,
                faults,
                ledger,
                checkAccess: accessCheck(connection, issuer),
                onExchange: options.onExchange,
            });
            servers.push(server);
            urls[api] = server.baseUrl;
            routes.push({ from: baseUrl, to: server.baseUrl });
            const arn = localConnectionArn(file.region, api);
            connections.set(arn, connection);
            targets[api] = { baseUrl, connectionArn: arn, limits: collect.apiLimits[api] };
        }
        const store = new LocalObjectStore(options.storeDir ?? tempDir!);
        store.createBucket(LOCAL_BUCKET);
        const itemIds = options.itemIds ?? deviceIds(options.data?.devices ?? 12);
        for (const source of collect.sources) if (source.fanOut) store.write(LOCAL_BUCKET, source.fanOut.itemList, JSON.stringify(itemIds));
        // As deploy/workflows/collect/component.ts builds it: only the bucket's name and the ARNs differ from the deployed text.
        const definition = collectDefinition({ apis: targets, sources: collect.sources, bucket: LOCAL_BUCKET, eventBusName: collect.eventBusName });
        const routeTable = new RouteTable(routes);
        const http = new HttpTaskEmulator({ connections, region: file.region, routes: routeTable });
        const outbox = new Outbox();
        // A 429 waits what the sandbox's `Retry-After` asks (it refuses earlier retries); every other retry 0 ms.
        const retryAfterMs = (options.data?.retryAfterSeconds ?? 1) * 1000;
        const runner = new LocalRunner(definition, {
            http,
            outbox,
            store,
            trace: options.trace,
            ...(options.waitMs ? { waitMs: options.waitMs } : {}),
            ...(options.expressLimit ? { expressLimit: options.expressLimit } : {}),
            retryWaitMs: (r) => (r.ErrorEquals.includes("States.Http.StatusCode.429") ? retryAfterMs : 0),
        });
        const connectionArns = Object.fromEntries(apis.map((api) => [api, localConnectionArn(file.region, api)]));
        return {
            stack,
            region: file.region,
            collect,
            definition,
            store,
            outbox,
            runner,
            urls,
            routes: routeTable,
            connections,
            connectionArns,
            itemIds,
            close,
        };
    } catch (e) {
        await close();
        throw e;
    }
}
