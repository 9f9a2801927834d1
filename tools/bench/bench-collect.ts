/**
 * `npm run bench -- --workflow collect [--runs <n>] [--devices <n>] …`: the dev stack's scheduled
 * collection over loopback through the local engine (429 bursts off, a larger data set), and the
 * same pages fetched, trimmed and stored directly (no workflow engine) in the same run: what the
 * engine costs over plain HTTP. The last stdout line is
 * `{"workflow","runs","pagesPerSecond","itemsPerSecond","directPagesPerSecond","directItemsPerSecond","ratio","collectRatio"}`.
 * The default `npm run bench` also runs it (`measureCollect`), so one run reports both ratios.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { joinUrl } from "../../deploy/asl/endpoint";
import { readStackFile, stackSettings } from "../stack-file";
import { SourceSettings } from "../../deploy/stack-config/types";
import { ITEM_PLACEHOLDER } from "../../deploy/workflows/collect/source";
import { LOCAL_BUCKET, LocalCollectStack, startLocalCollectStack } from "../local/collect-stack";
import { numberOption, parseCommandLine, printUsage } from "../commands/command-line";
import { ConnectionSpec } from "../emulator/connections";
import { OAuthTokens } from "../emulator/oauth";
import { buildRequest, credentialHeader, HttpRequest, withHeader } from "../emulator/request";
import { HttpResult, send } from "../emulator/transport";
import { localConnectionArn } from "../local/order-stack";
import { runPool } from "../local/pool";
import { formatTable } from "../commands/trace";
import { fullGc, settle, storeParent } from "./steady";

/** Usage of the collect bench (also part of `bench.ts`'s usage). */
export const COLLECT_BENCH_USAGE =
    "usage: npm run bench -- --workflow collect [--runs <n>] [--devices <n>] [--readings-per-device <n>] [--posts <n>] [--mentions <n>]";

const STACK = "dev";
/** Generous: one run of the default data set takes seconds; a stuck pool must still end. */
const DIRECT_DEADLINE_MS = 10 * 60_000;

/** Pages and items of one collection, in all and per source. */
interface Totals {
    readonly pages: number;
    readonly items: number;
    readonly sources: Readonly<Record<string, { pages: number; items: number }>>;
}

/** The figures of one table row. */
interface Figures {
    readonly label: string;
    readonly runs: number;
    readonly pages: number;
    readonly items: number;
    readonly elapsedMs: number;
    /** Totals of each run, to compare the engine's with the direct fetch's. */
    readonly perRun: readonly Totals[];
}

/** The run summary the collection publishes (`deploy/workflows/collect/definition.ts`, `Summarize`). */
interface Summary {
    readonly pages: number;
    readonly items: number;
    readonly sources: readonly { source: string; status: string; pages: number; items: number }[];
}

const perSecond = (count: number, elapsedMs: number) => (elapsedMs > 0 ? count / (elapsedMs / 1000) : 0);
const round = (n: number, digits: number) => Number(n.toFixed(digits));

/** One collection through the engine; throws when it does not fully succeed. Resolves to its totals and duration. */
async function engineRun(local: LocalCollectStack, run: number): Promise<{ totals: Totals; ms: number }> {
    const t0 = performance.now();
    const result = await local.runner.run({});
    const ms = performance.now() - t0;
    const summary = local.outbox.events[local.outbox.events.length - 1]?.detail as Summary | undefined;
    // A PARTIAL source (a tolerated failed batch) still lets the run succeed, but its pages would be missing from the figures.
    const incomplete = summary?.sources.filter((s) => s.status !== "SUCCEEDED").map((s) => `${s.source} ${s.status}`) ?? ["no summary event"];
    if (result.status !== "SUCCEEDED" || incomplete.length > 0)
        throw new Error(
            `Collection run ${run} ended ${result.status}${result.error ? ` (${result.error}: ${result.cause ?? ""})` : ""}; ${incomplete.join(", ")}.`,
        );
    const totals = {
        pages: summary!.pages,
        items: summary!.items,
        sources: Object.fromEntries(summary!.sources.map((s) => [s.source, { pages: s.pages, items: s.items }])),
    };
    return { totals, ms };
}

function totalsOf(label: string, perRun: readonly Totals[], elapsedMs: number): Figures {
    const sum = (key: "pages" | "items") => perRun.reduce((n, t) => n + t[key], 0);
    return { label, runs: perRun.length, pages: sum("pages"), items: sum("items"), elapsedMs, perRun };
}

/** Signs `request` for `connection` the way the emulator does (and the order bench's raw run). */
async function sign(request: HttpRequest, arn: string, connection: ConnectionSpec, tokens: OAuthTokens): Promise<HttpRequest> {
    const oauth = connection.AuthParameters.OAuthParameters;
    return withHeader(request, ...credentialHeader(connection, oauth ? await tokens.token(arn, oauth) : undefined));
}

/** The value at a dotted path (`results.items`), undefined as soon as a step is not an object. */
function lookup(body: unknown, dotted: string): unknown {
    return dotted
        .split(".")
        .reduce<unknown>((v, key) => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined), body);
}

/** The target of the first `Link` with `rel="next"` (RFC 8288), resolved against `origin`. */
function nextLink(headers: Record<string, string[]>, origin: string): string | undefined {
    const values = Object.entries(headers).find(([name]) => name.toLowerCase() === "link")?.[1] ?? [];
    const target = /<([^>]*)>[^,<]*\brel\s*=\s*"?[^"<,]*\bnext\b/.exec(values.join(", "))?.[1];
    return target?.startsWith("/") ? `${origin}${target}` : target;
}

/** The query of the request after `result`, or undefined on the last page; mirrors `deploy/workflows/collect/page.ts`. */
function nextQuery(source: SourceSettings, result: HttpResult, endpoint: string, page: number, count: number): Record<string, string> | undefined {
    const p = source.pagination;
    if (p.style === "page") return count > 0 ? { ...source.query, [p.pageParam]: String(p.firstPage + page) } : undefined;
    if (p.style === "cursor") {
        const cursor = lookup(result.ResponseBody, p.cursorField);
        const more = (typeof cursor === "string" && cursor.length > 0) || typeof cursor === "number";
        return more ? { ...source.query, [p.cursorParam]: String(cursor) } : undefined;
    }
    const url = nextLink(result.Headers, new URL(endpoint).origin);
    if (url === undefined) return undefined;
    // The engine follows a `Link` only to the very endpoint it pages, with the link's own query.
    if (!url.startsWith(`${endpoint}?`)) throw new Error(`${source.name}: the next link ${url} is not ${endpoint}.`);
    return Object.fromEntries(new URL(url).searchParams);
}

/** One API's connection and where its pages go, for the direct fetch. */
interface DirectApi {
    readonly baseUrl: string;
    readonly arn: string;
    readonly connection: ConnectionSpec;
    readonly tokens: OAuthTokens;
    readonly region: string;
}

/**
 * Pages one source (one item of a fan-out source) like the engine: GET, keep `fields` of each
 * item, store a non-empty page as one object under `keyPrefix`, until the last page or `maxPages`.
 */
async function pageChain(local: LocalCollectStack, api: DirectApi, source: SourceSettings, item: string | undefined, keyPrefix: string): Promise<Totals> {
    const endpoint = joinUrl(api.baseUrl, item === undefined ? source.path : source.path.split(ITEM_PLACEHOLDER).join(item));
    const p = source.pagination;
    let query: Record<string, string> | undefined = p.style === "page" ? { ...source.query, [p.pageParam]: String(p.firstPage) } : { ...source.query };
    let pages = 0;
    let items = 0;
    while (query !== undefined && pages < source.maxPages) {
        const params = { ApiEndpoint: endpoint, Method: "GET", Authentication: { ConnectionArn: api.arn }, QueryParameters: query };
        const signed = await sign(buildRequest(params, api.connection, api.region), api.arn, api.connection, api.tokens);
        // The real URL, as the engine calls it, routed to the sandbox as the engine's emulator routes it.
        const result = await send({ ...signed, url: local.routes.target(signed.url) });
        if (result.StatusCode >= 300) throw new Error(`${source.name}${item ? ` ${item}` : ""}: ${endpoint} answered ${result.StatusCode}.`);
        const list = lookup(result.ResponseBody, source.itemsField);
        if (!Array.isArray(list)) throw new Error(`${source.name}: the page has no \`${source.itemsField}\` array.`);
        pages++;
        items += list.length;
        if (list.length > 0) {
            const kept = list.map((i: Record<string, unknown>) => Object.fromEntries(source.fields.map((f) => [f, i[f]])));
            local.store.write(LOCAL_BUCKET, `${keyPrefix}/${source.name}/${item ? `${item}.` : ""}${pages}.json`, JSON.stringify(kept));
        }
        query = nextQuery(source, result, endpoint, pages, list.length);
    }
    return { pages, items, sources: { [source.name]: { pages, items } } };
}

/** One direct collection: every page chain of an API through a pool of its `maxConcurrency`, the APIs side by side. */
async function directCollection(local: LocalCollectStack, apis: Readonly<Record<string, DirectApi>>, keyPrefix: string): Promise<Totals> {
    const byApi = Object.keys(apis).map(async (apiName) => {
        const chains = local.collect.sources
            .filter((s) => s.api === apiName)
            .flatMap((s) => (s.fanOut ? local.itemIds.map((id) => ({ source: s, item: id as string | undefined })) : [{ source: s, item: undefined }]));
        const limit = local.collect.apiLimits[apiName].maxConcurrency;
        const pool = await runPool(
            chains.length,
            limit,
            (i) => pageChain(local, apis[apiName], chains[i].source, chains[i].item, keyPrefix),
            DIRECT_DEADLINE_MS,
        );
        if (pool.results.length !== chains.length) throw new Error(`Direct fetch of ${apiName} stopped at its deadline.`);
        return pool.results;
    });
    const chains = (await Promise.all(byApi)).flat();
    const sources: Record<string, { pages: number; items: number }> = {};
    for (const c of chains)
        for (const [name, t] of Object.entries(c.sources)) {
            const s = (sources[name] ??= { pages: 0, items: 0 });
            s.pages += t.pages;
            s.items += t.items;
        }
    return { pages: chains.reduce((n, c) => n + c.pages, 0), items: chains.reduce((n, c) => n + c.items, 0), sources };
}

/** The APIs the direct fetch calls, signed with the stack's connections. */
function directApis(local: LocalCollectStack): Record<string, DirectApi> {
    const file = readStackFile(STACK, path.join(__dirname, "..", ".."));
    const region = file.region;
    const bases = stackSettings(file).apis;
    // One token cache for all runs, as the engine's emulator keeps one for the stack.
    const tokens = new OAuthTokens(60_000, Date.now, local.routes.target);
    const apis: Record<string, DirectApi> = {};
    for (const api of new Set(local.collect.sources.map((s) => s.api))) {
        const arn = localConnectionArn(region, api);
        const connection = local.connections.get(arn);
        if (!connection) throw new Error(`No local connection ${arn} for API \`${api}\`.`);
        apis[api] = { baseUrl: bases[api].baseUrl, arn, connection, tokens, region };
    }
    return apis;
}

/**
 * `runs` collections through the engine and `runs` direct ones, interleaved (engine then direct, then direct then
 * engine, …): both sides share one process with the sandbox and write to the same store, so a burst of load from
 * elsewhere (other processes' I/O, a GC of the previous bench's heap) lands on both sides alike instead of on
 * whichever happened to be measured at that moment. `tag` keeps each run's direct keys fresh, as the engine's are
 * (its keys carry the execution name): both sides create new objects, none overwrites one.
 */
async function sideBySide(
    local: LocalCollectStack,
    apis: Readonly<Record<string, DirectApi>>,
    runs: number,
    tag: string,
): Promise<{ engine: Figures; direct: Figures }> {
    const engine: Totals[] = [];
    const direct: Totals[] = [];
    let engineMs = 0;
    let directMs = 0;
    const gc = fullGc();
    const directRun = async (run: number) => {
        settle(gc);
        const t0 = performance.now();
        direct.push(await directCollection(local, apis, `direct/${tag}-${run}`));
        directMs += performance.now() - t0;
    };
    const engineSide = async (run: number) => {
        settle(gc);
        const { totals, ms } = await engineRun(local, run);
        engine.push(totals);
        engineMs += ms;
    };
    for (let run = 1; run <= runs; run++) {
        if (run % 2 === 1) {
            await engineSide(run);
            await directRun(run);
        } else {
            await directRun(run);
            await engineSide(run);
        }
    }
    return { engine: totalsOf("engine (workflow collect)", engine, engineMs), direct: totalsOf("direct fetch (no engine)", direct, directMs) };
}

/** Lines naming every run and source whose direct totals differ from the engine's. */
function mismatches(engine: Figures, direct: Figures): string[] {
    const out: string[] = [];
    engine.perRun.forEach((e, i) => {
        const d = direct.perRun[i];
        if (e.pages === d.pages && e.items === d.items) return;
        const names = [...new Set([...Object.keys(e.sources), ...Object.keys(d.sources)])];
        const detail = names
            .map((n) => ({ n, e: e.sources[n] ?? { pages: 0, items: 0 }, d: d.sources[n] ?? { pages: 0, items: 0 } }))
            .filter((x) => x.e.pages !== x.d.pages || x.e.items !== x.d.items)
            .map((x) => `${x.n} engine ${x.e.pages}/${x.e.items}, direct ${x.d.pages}/${x.d.items}`);
        out.push(`Warning: run ${i + 1}: the direct fetch got ${d.pages} pages / ${d.items} items, the engine ${e.pages} / ${e.items} (${detail.join("; ")}).`);
    });
    return out;
}

/** What one collect bench measured: the engine's and the direct fetch's figures and their page-rate ratio. */
export interface CollectMeasure {
    readonly engine: Figures;
    readonly direct: Figures;
    readonly ratio: number;
}

function printResults(engine: Figures, direct: Figures): CollectMeasure {
    const row = (f: Figures) => [
        f.label,
        String(f.runs),
        String(f.pages),
        String(f.items),
        perSecond(f.pages, f.elapsedMs).toFixed(1),
        perSecond(f.items, f.elapsedMs).toFixed(1),
    ];
    formatTable([["run", "runs", "pages", "items", "pages/s", "items/s"], row(direct), row(engine)]).forEach((line) => console.log(line));
    mismatches(engine, direct).forEach((line) => console.log(line));
    const pagesPerSecond = perSecond(engine.pages, engine.elapsedMs);
    const directPagesPerSecond = perSecond(direct.pages, direct.elapsedMs);
    console.log(`Engine rate / direct rate (pages): ${(pagesPerSecond / directPagesPerSecond).toFixed(2)}.`);
    const ratio = round(directPagesPerSecond > 0 ? pagesPerSecond / directPagesPerSecond : 0, 2);
    return { engine, direct, ratio };
}

/** The collect bench's last line: its figures, `ratio` and (since both benches report both) `collectRatio`. */
function printLastLine({ engine, direct, ratio }: CollectMeasure): void {
    const pagesPerSecond = perSecond(engine.pages, engine.elapsedMs);
    const directPagesPerSecond = perSecond(direct.pages, direct.elapsedMs);
    console.log(
        JSON.stringify({
            workflow: "collect",
            runs: engine.runs,
            pagesPerSecond: round(pagesPerSecond, 1),
            itemsPerSecond: round(perSecond(engine.items, engine.elapsedMs), 1),
            directPagesPerSecond: round(directPagesPerSecond, 1),
            directItemsPerSecond: round(perSecond(direct.items, direct.elapsedMs), 1),
            ratio,
            collectRatio: ratio,
        }),
    );
}

/** The default collect data set (what `--workflow collect` runs without options). */
export const DEFAULT_COLLECT_DATA = { devices: 200, readingsPerDevice: 30, posts: 200, mentions: 100, burstEvery: 0 };

/** Runs the collection `runs` times through the engine and directly on a fresh local stack, prints the table, returns the figures. */
export async function measureCollect(runs: number, data: typeof DEFAULT_COLLECT_DATA = DEFAULT_COLLECT_DATA): Promise<CollectMeasure> {
    const storeDir = fs.mkdtempSync(path.join(storeParent(), "sfn-bench-collect-"));
    const local = await startLocalCollectStack({ stack: STACK, data, storeDir });
    try {
        console.log(
            `Stack \`${STACK}\` collection, ${runs} run(s) each: ${data.devices} devices × ${data.readingsPerDevice} readings, ${data.posts} posts, ${data.mentions} mentions; 429 bursts off; per-API concurrency ${Object.entries(
                local.collect.apiLimits,
            )
                .map(([api, l]) => `${api} ${l.maxConcurrency}`)
                .join(", ")}.`,
        );
        // One unmeasured run of each first, as the saga bench warms both: otherwise the engine, measured first,
        // alone pays for compiling the code and the definition's JSONata, and the direct fetch runs warm.
        const apis = directApis(local);
        await sideBySide(local, apis, 1, "warm");
        const { engine, direct } = await sideBySide(local, apis, runs, "run");
        return printResults(engine, direct);
    } finally {
        await local.close();
        // Thousands of page objects per run: not worth keeping after the figures.
        fs.rmSync(storeDir, { recursive: true, force: true });
    }
}

/** The collect bench: `argv` without `--workflow`. Resolves to the exit code; throws `UsageError` on bad usage. */
export async function collectBench(argv: readonly string[]): Promise<number> {
    const values = parseCommandLine(argv, {
        runs: { type: "string", default: "3" },
        devices: { type: "string", default: "200" },
        "readings-per-device": { type: "string", default: "30" },
        posts: { type: "string", default: "200" },
        mentions: { type: "string", default: "100" },
    });
    if (values === "help") return printUsage(COLLECT_BENCH_USAGE);
    const count = (name: keyof typeof values, min: number, max: number) =>
        numberOption(values[name], name, (n) => Number.isInteger(n) && n >= min && n <= max, `an integer from ${min} to ${max}`);
    const runs = count("runs", 1, 100);
    const data = {
        devices: count("devices", 1, 10_000),
        readingsPerDevice: count("readings-per-device", 0, 10_000),
        posts: count("posts", 1, 10_000),
        mentions: count("mentions", 0, 10_000),
        // 429 windows would make both sides wait out Retry-After: the bench measures work, not waiting.
        burstEvery: 0,
    };
    console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}, ${os.platform()} ${os.arch()}.`);
    printLastLine(await measureCollect(runs, data));
    return 0;
}
