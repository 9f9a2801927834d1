/**
 * `npm run local -- --definition <asl.json> --input <input.json> --connections <connections.json>
 * [--region us-east-1] [--sandbox <stack>] [--store <dir>] [--allow-network] [--quiet] [--real-retry-waits]`: runs
 * any JSONPath definition offline, HTTP Tasks through the emulator, `sns:publish` and
 * `events:putEvents` into an outbox, and `s3:putObject` and item lists in a local folder (`--store`,
 * default `out/local/s3`). With `--sandbox <stack>`, calls to that stack's API URLs (and OAuth token
 * URLs) are routed to the local sandbox APIs (`tools/emulator/routes.ts`); traces show the real URLs.
 *
 * Contract: the last stdout line is `{"status","output","error","cause"}`; exit 0 when SUCCEEDED,
 * 1 when FAILED, 2 for bad usage or unreadable/invalid files (with a one-line reason on stderr);
 * `--help` prints the usage on stdout and exits 0. Only loopback hosts are called unless
 * `--allow-network` is given: a definition meant for the sandbox must not reach a real API; a call
 * no route covers fails with `States.Http.Socket` (as an unreachable host would) and is never sent.
 */
import { endpointHead } from "../../deploy/asl/endpoint";
import { isLoopbackHost, RouteTable } from "../emulator/routes";
import { attachSandbox, AttachedSandbox } from "./serve-sandbox";
import { parseCommandLine, readJsonFile, UsageError } from "./command-line";
import { ConnectionsError, ConnectionSpec, parseConnections } from "../emulator/connections";
import { HTTP_INVOKE, httpStatusError } from "../../deploy/asl/http-task";
import { S3_PUT_OBJECT } from "../../deploy/asl/data-tasks";
import { Retrier } from "../../deploy/asl/types";
import { LocalObjectStore } from "../emulator/s3";
import * as path from "path";
import { definitionProblems, statesOf } from "../emulator/definition";
import { HttpTaskEmulator } from "../emulator/http-invoke";
import { Outbox } from "../emulator/sns";
import { mask, maskText } from "../emulator/redact";
import { PAYLOAD_LIMIT_BYTES } from "../emulator/transport";
import { AWS_REGIONS } from "../../deploy/stack-config/validate";
import { didYouMean } from "../../deploy/stack-config/fixes";
import { LocalRunner } from "../local/runner";
import { formatTrace, useColour } from "./trace";

/** Usage text (printed with every usage error). */
export const USAGE =
    "usage: npm run local -- --definition <asl.json> --input <input.json> --connections <connections.json> [--region us-east-1] [--sandbox <stack>] [--store <dir>] [--allow-network] [--quiet] [--real-retry-waits]";

/** Where the CLI writes; tests pass collectors. */
export interface CliIo {
    out(line: string): void;
    err(line: string): void;
    colour: boolean;
}

function connectionArnsUsed(definition: unknown): string[] {
    const arns = statesOf(definition).flatMap(({ state }) => {
        const p = state.Parameters as Record<string, { ConnectionArn?: unknown } | undefined> | undefined;
        return [p?.Authentication?.ConnectionArn, p?.InvocationConfig?.ConnectionArn].filter((a): a is string => typeof a === "string");
    });
    return [...new Set(arns)];
}

/** True when the definition writes S3 objects or reads an item list. */
function usesS3(definition: unknown): boolean {
    return statesOf(definition).some(({ state }) => state.Resource === S3_PUT_OBJECT || state.ItemReader !== undefined);
}

/** The local store at `dir`, with every bucket the definition names. */
function localStore(dir: string, definition: unknown): LocalObjectStore {
    const store = new LocalObjectStore(dir);
    for (const { name, state } of statesOf(definition)) {
        const p = (state.Resource === S3_PUT_OBJECT ? state.Parameters : (state.ItemReader as { Parameters?: unknown } | undefined)?.Parameters) as
            { Bucket?: unknown } | undefined;
        if (p === undefined) continue;
        try {
            store.createBucket(String(p.Bucket));
        } catch (e) {
            throw new UsageError(`State \`${name}\`: ${(e as Error).message}`);
        }
    }
    return store;
}

interface Prepared {
    readonly help?: true;
    readonly runner: LocalRunner;
    readonly input: unknown;
    readonly quiet: boolean;
    readonly notes: string[];
    readonly sandbox?: AttachedSandbox;
    /** Every secret of the connections used and every OAuth token obtained: masked in whatever is printed. */
    readonly secrets: () => string[];
}

const hostOf = (url: string): string | undefined => {
    try {
        return new URL(url).hostname;
    } catch {
        return undefined;
    }
};

/** The hosts outside loopback that `definition` and its `connections` would call, after the sandbox's routes (`rewrite`). */
export function remoteTargets(definition: unknown, connections: ReadonlyMap<string, ConnectionSpec>, rewrite: (url: string) => string): string[] {
    const targets = statesOf(definition).flatMap(({ name, state }) => {
        const p = state.Parameters as Record<string, unknown> | undefined;
        if (state.Resource !== HTTP_INVOKE || !p) return [];
        const head = endpointHead(p);
        const host = head === undefined ? undefined : hostOf(rewrite(head));
        return host !== undefined && isLoopbackHost(host)
            ? []
            : [head === undefined ? `state \`${name}\` (its whole endpoint is dynamic)` : new URL(rewrite(head)).origin];
    });
    // Only the connections the definition signs with ever request a token.
    const used = new Set(connectionArnsUsed(definition));
    const tokens = [...connections.entries()].flatMap(([arn, c]) => {
        if (!used.has(arn)) return [];
        const endpoint = c.AuthParameters.OAuthParameters?.AuthorizationEndpoint;
        const host = endpoint === undefined ? undefined : hostOf(rewrite(endpoint));
        return endpoint === undefined || (host !== undefined && isLoopbackHost(host)) ? [] : [endpoint];
    });
    return [...new Set([...targets, ...tokens])];
}

async function prepare(argv: readonly string[]): Promise<Prepared> {
    const values = parseCommandLine(argv, {
        definition: { type: "string" },
        input: { type: "string" },
        connections: { type: "string" },
        region: { type: "string", default: "us-east-1" },
        sandbox: { type: "string" },
        store: { type: "string", default: path.join("out", "local", "s3") },
        "allow-network": { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
        "real-retry-waits": { type: "boolean", default: false },
    });
    if (values === "help") return { help: true } as Prepared;
    const missing = (["definition", "input", "connections"] as const).filter((k) => !values[k]);
    if (missing.length > 0) throw new UsageError(`Missing ${missing.map((k) => `\`--${k}\``).join(", ")}.`);
    if (!AWS_REGIONS.includes(values.region!)) {
        const guess = didYouMean(values.region!, AWS_REGIONS);
        throw new UsageError(`\`--region\` \`${values.region}\` is not an AWS Region${guess ? `; did you mean \`${guess}\`?` : " such as `us-east-1`."}`);
    }
    const definition = readJsonFile(values.definition!, "definition");
    // StartExecution refuses a bigger input (docs/aws-facts.md §9.3).
    const input = readJsonFile(values.input!, "input", PAYLOAD_LIMIT_BYTES);
    let connections;
    try {
        connections = parseConnections(readJsonFile(values.connections!, "connections"));
    } catch (e) {
        if (e instanceof ConnectionsError) throw new UsageError(e.message);
        throw e;
    }
    const problems = definitionProblems(definition);
    if (problems.length > 0) throw new UsageError(`The definition \`${values.definition}\` is not valid: ${problems.join("; ")}.`);
    const notes = connectionArnsUsed(definition)
        .filter((arn) => !connections.has(arn))
        .map(
            (arn) =>
                `warning: connection ${arn} is used by the definition but missing from \`${values.connections}\`; its tasks will fail with Events.ConnectionResource.ResourceNotFound.`,
        );
    if (values.store!.trim() === "") throw new UsageError("`--store` needs a folder, e.g. `out/local/s3`.");
    const store = usesS3(definition) ? localStore(values.store!, definition) : undefined;
    let sandbox: AttachedSandbox | undefined;
    if (values.sandbox !== undefined) {
        try {
            sandbox = await attachSandbox(values.sandbox, definition, connections, undefined, store);
        } catch (e) {
            throw new UsageError(`\`--sandbox ${values.sandbox}\`: ${(e as Error).message}`);
        }
        notes.push(...sandbox.routes.map((r) => `sandbox: ${r}`));
    }
    // Checked again per call by the table: a dynamic endpoint can resolve to any host.
    const routes = new RouteTable(sandbox?.targets ?? [], { unrouted: values["allow-network"] ? "send" : "fail" });
    const rewrite = (url: string) => routes.lookup(url) ?? url;
    const signing = sandbox?.connections ?? connections;
    if (!values["allow-network"]) {
        const remote = remoteTargets(definition, signing, rewrite);
        if (remote.length > 0) {
            await sandbox?.close();
            throw new UsageError(
                `The definition would call ${remote.join(", ")}, outside this machine: use \`--sandbox <stack>\`, or \`--allow-network\` to call it.`,
            );
        }
    }
    const http = new HttpTaskEmulator({ connections: signing, region: values.region!, routes });
    try {
        const retryAfterMs = sandbox?.retryAfterMs;
        const runner = new LocalRunner(definition, {
            http,
            outbox: new Outbox(),
            store,
            trace: !values.quiet,
            shortenRetryWaits: !values["real-retry-waits"],
            // Wait states are shortened with the retry waits (the order saga waits minutes between searches for a
            // PaymentIntent), but never below the collection sandbox's Retry-After: an Express page loop's
            // retry budget waits in a Wait state, and the sandbox refuses a retry that comes sooner.
            ...(values["real-retry-waits"] ? {} : { waitMs: (seconds: number) => Math.min(seconds * 1000, sandbox?.retryAfterMs ?? 0) }),
            // The collection sandbox refuses a retry before its Retry-After: a 429 waits that long.
            ...(retryAfterMs ? { retryWaitMs: (r: Retrier) => (r.ErrorEquals.includes(httpStatusError(429)) ? retryAfterMs : 0) } : {}),
        });
        return { runner, input, quiet: values.quiet!, notes, sandbox, secrets: () => http.secrets() };
    } catch (e) {
        await sandbox?.close();
        throw new UsageError(`The definition \`${values.definition}\` is not valid: ${(e as Error).message.replace(/\s+/g, " ").trim()}`);
    }
}

/** Runs the CLI with `argv` (without `node` and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
    let prepared: Prepared;
    try {
        prepared = await prepare(argv);
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        io.err(maskText(e.message, []));
        io.err(USAGE);
        return 2;
    }
    if (prepared.help) {
        io.out(USAGE);
        return 0;
    }
    prepared.notes.forEach((note) => io.err(maskText(note, prepared.secrets())));
    let result;
    try {
        result = await prepared.runner.run(prepared.input);
    } finally {
        await prepared.sandbox?.close();
    }
    // One masking rule for every printed line: what an API echoes back of a credential reads `***`.
    const secrets = prepared.secrets();
    if (!prepared.quiet)
        formatTrace(result, { colour: io.colour, waitsShortened: prepared.runner.retryWaitsShortened, secrets }).forEach((line) => io.out(line));
    io.out(JSON.stringify(mask({ status: result.status, output: result.output ?? null, error: result.error ?? null, cause: result.cause ?? null }, secrets)));
    return result.status === "SUCCEEDED" ? 0 : 1;
}

if (require.main === module) {
    const io: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`), colour: useColour() };
    runCli(process.argv.slice(2), io).then(
        (code) => {
            process.exitCode = code;
        },
        (e: Error) => {
            io.err(maskText(`local run failed: ${e.message}`, []));
            process.exitCode = 2;
        },
    );
}
