/**
 * The order saga wired for a local run: the sandbox started with the auth types of a stack file
 * (`Pulumi.dev.yaml` by default) and local test credentials, the definition from
 * `deploy/workflows/order/definition.ts` built exactly as `pulumi up` builds it for that stack (the
 * stack's real `https://` base URLs), and a runner whose HTTP Tasks sign with the same connections and
 * reach the sandbox through an explicit route table (`tools/emulator/routes.ts`).
 */
import { createHash } from "crypto";
import * as path from "path";
import { StateMachineDefinition } from "../../deploy/asl/types";
import { readStackFile, stackSettings } from "../stack-file";
import { PROJECT } from "../../deploy/stack-config/types";
import { orderDefinition, OrderWorkflowTargets } from "../../deploy/workflows/order/definition";
import { ConnectionSpec } from "../emulator/connections";
import { LOCAL_ACCOUNT, localConnection } from "./local-connections";
import { HttpTaskEmulator } from "../emulator/http-invoke";
import { Route, RouteTable } from "../emulator/routes";
import { Outbox } from "../emulator/sns";
import { LocalRunner } from "./runner";
import { Sandbox, SANDBOX_APIS, SandboxApi, startSandbox } from "../sandbox";
import { SandboxExchange } from "../sandbox/http-server";
import type { StripeSandboxOptions } from "../sandbox/stripe";

/** Everything a local order run needs; `close()` stops the sandbox. */
export interface LocalOrderStack {
    readonly stack: string;
    readonly region: string;
    readonly sandbox: Sandbox;
    readonly definition: StateMachineDefinition;
    readonly connections: ReadonlyMap<string, ConnectionSpec>;
    readonly connectionArns: Readonly<Record<SandboxApi, string>>;
    /** Each real base URL (and OAuth token URL) of the stack → the sandbox serving it. */
    readonly routes: RouteTable;
    readonly topicArn: string;
    readonly http: HttpTaskEmulator;
    readonly outbox: Outbox;
    readonly runner: LocalRunner;
    close(): Promise<void>;
}

/** Options of `startLocalOrderStack`. */
export interface LocalOrderStackOptions {
    /** @default "dev" */
    readonly stack?: string;
    /** Directory holding `Pulumi.<stack>.yaml`. @default the repository root */
    readonly rootDir?: string;
    /** Seed of the sandbox's fault injection. @default 1 */
    readonly seed?: number;
    /** Record per-state traces. @default false */
    readonly trace?: boolean;
    /** HTTP Task deadline. @default 60000 */
    readonly timeoutMs?: number;
    /** `Cause` of `States.Http.StatusCode.*` errors (UNKNOWN in AWS, docs/aws-facts.md §5.2). @default "statusText" */
    readonly statusCause?: "statusText" | "result";
    /** Sees every request a sandbox API answers (contract tests). */
    readonly onExchange?: (exchange: SandboxExchange) => void;
    /**
     * The ms a Wait state of `seconds` waits (the saga waits between searches for an intent and
     * between capture rounds). @default 0, like the retry waits: the sandbox's search lag is then
     * counted in searches (`searchMisses`), not in time.
     */
    readonly waitMs?: (seconds: number) => number;
    /** The Stripe sandbox's clock, search lag and refund settling. */
    readonly stripe?: StripeSandboxOptions;
}

/** A realistic connection ARN; the uuid is derived from the name so it is the same every run. */
export function localConnectionArn(region: string, api: string): string {
    const name = `${PROJECT}-local-${api}`;
    const h = createHash("sha1").update(name).digest("hex");
    return `arn:aws:events:${region}:${LOCAL_ACCOUNT}:connection/${name}/${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Starts the sandbox for a stack and builds the order saga and a runner against it. */
export async function startLocalOrderStack(options: LocalOrderStackOptions = {}): Promise<LocalOrderStack> {
    const stack = options.stack ?? "dev";
    const file = readStackFile(stack, options.rootDir ?? path.join(__dirname, "..", ".."));
    const settings = stackSettings(file);
    const region = file.region;
    const tokenUrls = SANDBOX_APIS.flatMap((api) => {
        const auth = settings.apis[api].auth;
        return auth.type === "oauth" ? [auth.tokenUrl] : [];
    });
    // The connections carry the stack's real token URL, as deployed; the route table leads it to the sandbox's.
    const sandbox = await startSandbox(
        Object.fromEntries(
            SANDBOX_APIS.map((api) => {
                const auth = settings.apis[api].auth;
                const connection = () => localConnection(settings.apis[api], auth.type === "oauth" ? auth.tokenUrl : "");
                return [api, { basePath: new URL(settings.apis[api].baseUrl).pathname, connection }];
            }),
        ) as Record<SandboxApi, { basePath: string; connection: () => ConnectionSpec }>,
        { seed: options.seed, onExchange: options.onExchange, tokenPath: tokenUrls[0] && new URL(tokenUrls[0]).pathname, stripe: options.stripe },
    );
    const routes = new RouteTable([
        ...SANDBOX_APIS.map((api): Route => ({ from: settings.apis[api].baseUrl, to: sandbox.urls[api] })),
        ...tokenUrls.map((from): Route => ({ from, to: sandbox.tokenUrl })),
    ]);
    const connectionArns = Object.fromEntries(SANDBOX_APIS.map((api) => [api, localConnectionArn(region, api)])) as Record<SandboxApi, string>;
    const connections = new Map(SANDBOX_APIS.map((api) => [connectionArns[api], sandbox.connections[api]]));
    const topicArn = `arn:aws:sns:${region}:${LOCAL_ACCOUNT}:${PROJECT}-local-notifications`;
    // As deploy/workflows/order/component.ts builds it: only the ARNs differ from the deployed text.
    const apis = Object.fromEntries(SANDBOX_APIS.map((api) => [api, { baseUrl: settings.apis[api].baseUrl, connectionArn: connectionArns[api] }]));
    const definition = orderDefinition({
        apis: apis as OrderWorkflowTargets["apis"],
        paymentProvider: settings.paymentProvider,
        notificationTopicArn: topicArn,
    });
    const http = new HttpTaskEmulator({ connections, region, routes, timeoutMs: options.timeoutMs, statusCause: options.statusCause });
    const outbox = new Outbox();
    const runner = new LocalRunner(definition, { http, outbox, trace: options.trace, waitMs: options.waitMs ?? (() => 0) });
    return { stack, region, sandbox, definition, connections, connectionArns, routes, topicArn, http, outbox, runner, close: () => sandbox.close() };
}
