/**
 * `--sandbox <stack>` for the CLI: starts the sandbox APIs for a stack and sends every call to that
 * stack's API base URLs (and OAuth token URL) to them instead, so a definition synthesized by
 * `npm run synth` (`out/<stack>/order.asl.json`, real https URLs) runs fully offline. Each sandbox
 * API accepts the credentials of the connection the definition uses for it.
 */
import * as path from "path";
import { endpointHead } from "../asl/endpoint";
import { readStackFile, stackSettings } from "../stack-config/stack-file";
import { ConnectionSpec } from "./emulator/connections";
import { statesOf } from "./emulator/definition";
import { localConnection } from "./local-connections";
import { Sandbox, SANDBOX_APIS, SandboxApi, startSandbox } from "./sandbox";

/** A started sandbox, the connections to sign with, and the URL mapping. */
export interface AttachedSandbox {
    readonly sandbox: Sandbox;
    readonly connections: Map<string, ConnectionSpec>;
    rewriteUrl(url: string): string;
    /** One line per API: `<stack URL> → <sandbox URL> (<auth type>)`. */
    readonly routes: string[];
}

const under = (url: string, base: string) => url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`);

function withTokenUrl(spec: ConnectionSpec, tokenUrl: string): ConnectionSpec {
    const oauth = spec.AuthParameters.OAuthParameters;
    return oauth ? { ...spec, AuthParameters: { ...spec.AuthParameters, OAuthParameters: { ...oauth, AuthorizationEndpoint: tokenUrl } } } : spec;
}

/** Starts the sandbox for `stack` and routes `definition`'s calls to it. */
export async function attachSandbox(
    stack: string,
    definition: unknown,
    connections: ReadonlyMap<string, ConnectionSpec>,
    rootDir = path.join(__dirname, ".."),
): Promise<AttachedSandbox> {
    const settings = stackSettings(readStackFile(stack, rootDir));
    const bases = Object.fromEntries(SANDBOX_APIS.map((api) => [api, settings.apis[api].baseUrl.replace(/\/+$/, "")])) as Record<SandboxApi, string>;
    const arnOf = {} as Record<SandboxApi, string | undefined>;
    for (const { state } of statesOf(definition)) {
        const p = state.Parameters as Record<string, unknown> | undefined;
        const head = p && endpointHead(p);
        const arn = (p?.Authentication ?? p?.InvocationConfig) as { ConnectionArn?: string } | undefined;
        const api = head === undefined ? undefined : SANDBOX_APIS.find((a) => under(head, bases[a]));
        if (api && arn?.ConnectionArn) arnOf[api] = arn.ConnectionArn;
    }
    const tokenUrls = SANDBOX_APIS.map((api) => settings.apis[api].auth).flatMap((a) => (a.type === "oauth" ? [a.tokenUrl] : []));
    const sandbox = await startSandbox(
        Object.fromEntries(
            SANDBOX_APIS.map((api) => [
                api,
                {
                    basePath: new URL(bases[api]).pathname,
                    connection: (tokenUrl: string) =>
                        withTokenUrl(connections.get(arnOf[api] ?? "") ?? localConnection(settings.apis[api], tokenUrl), tokenUrl),
                },
            ]),
        ) as Record<SandboxApi, { basePath: string; connection: (t: string) => ConnectionSpec }>,
        { tokenPath: tokenUrls[0] ? new URL(tokenUrls[0]).pathname : undefined },
    );
    const signed = new Map(connections);
    for (const api of SANDBOX_APIS) if (arnOf[api]) signed.set(arnOf[api]!, sandbox.connections[api]);
    return {
        sandbox,
        connections: signed,
        rewriteUrl: (url) => {
            const api = SANDBOX_APIS.find((a) => under(url, bases[a]));
            return api ? `${sandbox.urls[api]}${url.slice(bases[api].length)}` : url;
        },
        routes: SANDBOX_APIS.map(
            (api) => `${bases[api]} → ${sandbox.urls[api]} (${sandbox.connections[api].AuthorizationType}${arnOf[api] ? "" : ", not used by the definition"})`,
        ),
    };
}
