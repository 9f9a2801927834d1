/**
 * `--sandbox <stack>` for the CLI: starts the sandbox APIs for a stack and routes every call to that
 * stack's API base URLs (and OAuth token URLs) to them (`tools/emulator/routes.ts`), so a definition synthesized by
 * `npm run synth` (`out/<stack>/order.asl.json`, `collect.asl.json`, real https URLs) runs fully
 * offline. Each sandbox API accepts the credentials of the connection the definition uses for it.
 * For a stack that enables `collect`, its telemetry and social sandbox APIs start too, and an item
 * list the definition reads that is not in the local store yet is seeded with the sandbox's ids.
 */
import * as path from "path";
import { endpointHead, requestFieldsOf } from "../../deploy/asl/endpoint";
import { readStackFile, stackSettings } from "../stack-file";
import { ConnectionSpec } from "../emulator/connections";
import { Route } from "../emulator/routes";
import { statesOf } from "../emulator/definition";
import { localConnection } from "../local/local-connections";
import { Sandbox, SANDBOX_APIS, SandboxApi, startSandbox } from "../sandbox";
import { LocalCollectStack, startLocalCollectStack } from "../local/collect-stack";
import { LocalObjectStore } from "../emulator/s3";
import { localConnectionArn } from "../local/order-stack";

/** A started sandbox, the connections to sign with, and the URL mapping. */
export interface AttachedSandbox {
    readonly sandbox: Sandbox;
    /** The collection's sandbox APIs, for a stack that enables `collect`. */
    readonly collect?: LocalCollectStack;
    /** The wait of a 429 retry: the collection sandbox's `Retry-After` (it refuses earlier retries). */
    readonly retryAfterMs?: number;
    /** Stops every sandbox server. */
    close(): Promise<void>;
    readonly connections: Map<string, ConnectionSpec>;
    /** Each real base URL and OAuth token URL → the sandbox serving it: the CLI's route table. */
    readonly targets: readonly Route[];
    /** One line per API: `<stack URL> → <sandbox URL> (<auth type>)`. */
    readonly routes: string[];
}

const under = (url: string, base: string) => url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`);

const tokenUrlOf = (spec: ConnectionSpec | undefined) => spec?.AuthParameters.OAuthParameters?.AuthorizationEndpoint;

/** Starts the sandbox for `stack` and routes `definition`'s calls to it. */
export async function attachSandbox(
    stack: string,
    definition: unknown,
    connections: ReadonlyMap<string, ConnectionSpec>,
    rootDir = path.join(__dirname, "..", ".."),
    store?: LocalObjectStore,
): Promise<AttachedSandbox> {
    const file = readStackFile(stack, rootDir);
    const settings = stackSettings(file);
    const bases = Object.fromEntries(SANDBOX_APIS.map((api) => [api, settings.apis[api].baseUrl.replace(/\/+$/, "")])) as Record<SandboxApi, string>;
    const arnOf = Object.fromEntries(SANDBOX_APIS.map((api) => [api, connectionArnsUnder(definition, bases[api]).pop()])) as Record<
        SandboxApi,
        string | undefined
    >;
    const tokenUrls = SANDBOX_APIS.map((api) => settings.apis[api].auth).flatMap((a) => (a.type === "oauth" ? [a.tokenUrl] : []));
    const sandbox = await startSandbox(
        Object.fromEntries(
            SANDBOX_APIS.map((api) => [
                api,
                {
                    basePath: new URL(bases[api]).pathname,
                    // The connection as given (its real token URL): the routes below lead that URL to the sandbox.
                    connection: () => {
                        const auth = settings.apis[api].auth;
                        return connections.get(arnOf[api] ?? "") ?? localConnection(settings.apis[api], auth.type === "oauth" ? auth.tokenUrl : "");
                    },
                },
            ]),
        ) as Record<SandboxApi, { basePath: string; connection: () => ConnectionSpec }>,
        { tokenPath: tokenUrls[0] ? new URL(tokenUrls[0]).pathname : undefined },
    );
    const signed = new Map(connections);
    for (const api of SANDBOX_APIS) if (arnOf[api]) signed.set(arnOf[api]!, sandbox.connections[api]);
    const routes = SANDBOX_APIS.map(
        (api) => `${bases[api]} → ${sandbox.urls[api]} (${sandbox.connections[api].AuthorizationType}${arnOf[api] ? "" : ", not used by the definition"})`,
    );
    const targets: Route[] = SANDBOX_APIS.map((api) => ({ from: bases[api], to: sandbox.urls[api] }));
    const tokenFroms = [...tokenUrls, ...SANDBOX_APIS.map((api) => tokenUrlOf(sandbox.connections[api]))];
    for (const from of new Set(tokenFroms)) if (from) targets.push({ from, to: sandbox.tokenUrl });
    let collect: LocalCollectStack | undefined;
    if (settings.collect) {
        try {
            // Its own store is a temporary folder: only the definition's item lists are seeded in `store`.
            // One 429 window per run (the 6th social request), to see it waited out without waiting long.
            collect = await startLocalCollectStack({ stack, rootDir, data: { burstEvery: 6 } });
        } catch (e) {
            await sandbox.close();
            throw e;
        }
        for (const [api, url] of Object.entries(collect.urls)) {
            const base = settings.apis[api].baseUrl.replace(/\/+$/, "");
            const spec = collect.connections.get(localConnectionArn(file.region, api))!;
            const used = connectionArnsUnder(definition, base);
            for (const arn of used) signed.set(arn, spec);
            routes.push(`${base} → ${url} (${spec.AuthorizationType}${used.length > 0 ? "" : ", not used by the definition"})`);
        }
        // Its base URLs, and the token URLs of the connections it signs with, lead to its own servers.
        targets.push(...collect.routes.routes);
        if (store) seedItemLists(definition, store, collect.itemIds);
    }
    return {
        sandbox,
        collect,
        retryAfterMs: collect ? 1000 : undefined,
        connections: signed,
        targets,
        routes,
        close: async () => {
            await Promise.all([sandbox.close(), collect?.close()]);
        },
    };
}

/** The connection ARNs the definition's HTTP Tasks use for endpoints under `base`, in definition order. */
function connectionArnsUnder(definition: unknown, base: string): string[] {
    const arns = statesOf(definition).flatMap(({ state }) => {
        // `Parameters` (JSONPath) or `Arguments` (JSONata, whose endpoint may be a `{% 'https://…' & … %}` concatenation).
        const p = requestFieldsOf(state);
        const head = p && endpointHead(p);
        const arn = (p?.Authentication ?? p?.InvocationConfig) as { ConnectionArn?: string } | undefined;
        return head !== undefined && under(head, base) && arn?.ConnectionArn ? [arn.ConnectionArn] : [];
    });
    return [...new Set(arns)];
}

/** Writes the sandbox's ids as every item list the definition reads that the store does not have yet. */
function seedItemLists(definition: unknown, store: LocalObjectStore, ids: readonly string[]): void {
    for (const { state } of statesOf(definition)) {
        const reader = state.ItemReader as { Parameters?: { Bucket?: unknown; Key?: unknown } } | undefined;
        const bucket = reader?.Parameters?.Bucket;
        const key = reader?.Parameters?.Key;
        if (typeof bucket !== "string" || typeof key !== "string") continue;
        store.createBucket(bucket);
        if (!store.has(bucket, key)) store.write(bucket, key, JSON.stringify(ids));
    }
}
