/**
 * The scheduled collection wired for a local run: the telemetry and social sandbox APIs started
 * with the stack's auth types and local test credentials, the definition of `deploy/workflows/collect/definition.ts`
 * built from the stack's `collect` sources and pointed at the sandbox, S3 as a local folder (with
 * the fan-out item list seeded) and `events:PutEvents` into the outbox.
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
import { LocalObjectStore } from "../emulator/s3";
import { Outbox } from "../emulator/sns";
import { LOCAL_ACCOUNT, localConnection } from "./local-connections";
import { localConnectionArn } from "./order-stack";
import { LocalRunner } from "./runner";
import { ExpressLimit } from "../emulator/distributed-map";
import { accessCheck, TokenIssuer } from "../sandbox/auth";
import { COLLECT_SANDBOX_APIS, CollectDataOptions, CollectSandboxApi, deviceIds, socialRoutes, telemetryRoutes } from "../sandbox/collect-apis";
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
    /** Base URL of each sandbox API. */
    readonly urls: Readonly<Record<CollectSandboxApi, string>>;
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
    /**
     * `Link` targets name the stack's base URL, as the real API would, instead of the sandbox's:
     * for a synthesized definition (real URLs) whose calls the CLI sends to the sandbox. @default false
     */
    readonly linksToStackUrls?: boolean;
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
        for (const api of apis as CollectSandboxApi[]) {
            const connection = localConnection(settings.apis[api], tokenUrl);
            issuer.registerConnection(connection);
            let baseUrl = "";
            const server = await startServer({
                api,
                basePath: new URL(settings.apis[api].baseUrl).pathname,
                routes:
                    api === "telemetry"
                        ? telemetryRoutes(options.data)
                        : socialRoutes(() => (options.linksToStackUrls ? settings.apis[api].baseUrl.replace(/\/+$/, "") : baseUrl), options.data),
                faults: new FaultInjector(0),
                ledger,
                checkAccess: accessCheck(connection, issuer),
                onExchange: options.onExchange,
            });
            servers.push(server);
            baseUrl = server.baseUrl;
            urls[api] = server.baseUrl;
            const arn = localConnectionArn(file.region, api);
            connections.set(arn, connection);
            targets[api] = { baseUrl: server.baseUrl, connectionArn: arn, limits: collect.apiLimits[api] };
        }
        const store = new LocalObjectStore(options.storeDir ?? tempDir!);
        store.createBucket(LOCAL_BUCKET);
        const itemIds = options.itemIds ?? deviceIds(options.data?.devices ?? 12);
        for (const source of collect.sources) if (source.fanOut) store.write(LOCAL_BUCKET, source.fanOut.itemList, JSON.stringify(itemIds));
        const definition = collectDefinition({
            apis: targets,
            sources: collect.sources,
            bucket: LOCAL_BUCKET,
            eventBusName: `arn:aws:events:${file.region}:${LOCAL_ACCOUNT}:event-bus/${collect.eventBusName}`,
            allowLoopbackHttp: true,
        });
        const http = new HttpTaskEmulator({ connections, region: file.region });
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
        return { stack, region: file.region, collect, definition, store, outbox, runner, urls, connections, connectionArns, itemIds, close };
    } catch (e) {
        await close();
        throw e;
    }
}
