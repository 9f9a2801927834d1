/**
 * Rules for `collect`: the scheduled data collection's schedule, bucket lifecycle, bus, per-API
 * limits and sources. A source is one entry under `collect.sources.<name>`; the API it names is a
 * top-level API key like any other (base URL, auth, secrets), so adding a source of a known
 * pagination style is one config entry. Pure, like `api-rules.ts`.
 */
import { isObject } from "../asl/json";
import { CREDENTIAL_NAME, configNumber, parseJsonString, Problems, unknownKeys } from "./api-rules";
import { rmCommand, run, setCommand, setSecretCommand } from "./fixes";
import { ApiLimits, CollectSettings, FanOutSettings, PaginationSettings, SourceSettings } from "./types";

/** Source names: the first segment of every key the source writes, and its Map Run label (≤ 40). */
export const SOURCE_NAME = /^[a-z][a-z0-9-]{0,39}$/;
/** API names a source may use: a top-level config key. */
export const API_NAME = /^[a-z][a-zA-Z0-9]{0,31}$/;
/** A source path: `/`-separated plain segments (not `.` or `..`), one `{item}` for a fan-out source. */
const SOURCE_PATH = /^(\/((?!\.{1,2}(\/|$))[A-Za-z0-9._~-]+|\{item\}))+$/;
/** A query parameter name. */
const QUERY_NAME = /^[A-Za-z0-9_.\-[\]]{1,64}$/;
/** A field name, or a dotted path of field names. */
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** An S3 key of an item list (plain characters, no empty, `.` or `..` segments). */
const ITEM_LIST_KEY = /^(?!\.{1,2}(\/|$))[A-Za-z0-9!_.*'()-]+(\/(?!\.{1,2}(\/|$))[A-Za-z0-9!_.*'()-]+)*$/;
/** EventBridge bus names, or a bus ARN. */
const BUS = /^([A-Za-z0-9._-]{1,256}|arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._-]{1,256})$/;

/**
 * Child executions a fan-out may start: their results (at most `MAX_BATCH_RESULT_BYTES` each, one
 * named failure included) stay in the Map's output, which must fit 256 KiB with room to spare.
 */
export const MAX_BATCHES = 800;
/**
 * History events one page costs at most, a retry included (fetch 5 + 3, transform 2, check 2,
 * store 5, more? 2), and one id (its Map iteration and checks): an execution keeps at most 25,000.
 */
const EVENTS_PER_PAGE = 20;
const EVENTS_PER_ID = 10;
/** What a child execution may plan to use of Step Functions' 25,000 history events. */
const HISTORY_BUDGET = 24_000;

/** Defaults of everything optional. */
export const COLLECT_DEFAULTS = {
    schedule: { expression: "rate(1 hour)", timezone: "UTC", enabled: true, retryAttempts: 3, maxEventAgeSeconds: 3600 },
    retentionDays: 30,
    eventBusName: "default",
    apiLimits: { maxConcurrency: 2, retryAfterSeconds: 1, attemptTimeoutSeconds: 10, retryBudget: 3 } as ApiLimits,
    maxPages: 10,
    fanOut: { batchSize: 50, maxItems: 10_000, toleratedFailurePercentage: 0 },
} as const;

/** A number in `[min, max]` (an integer unless `decimals`), or the fallback after a problem. */
function numberIn(value: unknown, key: string, min: number, max: number, fallback: number, problems: Problems): number {
    if (value === undefined) return fallback;
    const n = configNumber(value);
    if (!Number.isInteger(n) || n < min || n > max) {
        problems.push(`\`${key}\` must be an integer from ${min} to ${max} (got \`${String(value)}\`)${run(setCommand(key, String(fallback)))}`);
        return fallback;
    }
    return n;
}

function stringMatching(value: unknown, key: string, pattern: RegExp, what: string, example: string, problems: Problems): string | undefined {
    if (value === undefined) {
        problems.push(`\`${key}\` is required (${what})${run(setCommand(key, example))}`);
        return undefined;
    }
    if (typeof value !== "string" || !pattern.test(value)) {
        problems.push(`\`${key}\` must be ${what} (got \`${String(value)}\`)${run(setCommand(key, example))}`);
        return undefined;
    }
    return value;
}

/** An object at `key`, or undefined after a problem (absent is fine when `optional`). */
function objectAt(value: unknown, key: string, example: string, problems: Problems): Record<string, unknown> | undefined {
    if (isObject(value)) return value;
    problems.push(`\`${key}\` must be an object${run(rmCommand(key), setCommand(example))}`);
    return undefined;
}

const SCHEDULE = /^(rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)|cron\(\S+( \S+){5}\)|at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\))$/;
/** The first value of each Scheduler cron field (minutes, hours, day-of-month, month, day-of-week, year). */
const CRON_FIRST = ["0", "0", "1", "1", "1", "1970"];
const TIME_ZONES = new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);

function scheduleSettings(raw: unknown, problems: Problems): CollectSettings["schedule"] {
    const d = COLLECT_DEFAULTS.schedule;
    if (raw === undefined) return d;
    const value = objectAt(raw, "collect.schedule", "collect.schedule.expression 'rate(1 hour)'", problems);
    if (!value) return d;
    unknownKeys(value, Object.keys(d), "collect.schedule", problems);
    const expression =
        value.expression === undefined
            ? d.expression
            : (stringMatching(
                  value.expression,
                  "collect.schedule.expression",
                  SCHEDULE,
                  "`rate(<n> <unit>)`, `cron(<6 fields>)` or `at(<yyyy-mm-ddThh:mm:ss>)` as EventBridge Scheduler takes it",
                  "'rate(1 hour)'",
                  problems,
              ) ?? d.expression);
    const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(expression);
    if (cron && (cron[3] === "?") === (cron[5] === "?"))
        problems.push(
            `\`collect.schedule.expression\` \`${expression}\`: exactly one of day-of-month and day-of-week must be \`?\` in a Scheduler cron expression${run(setCommand("collect.schedule.expression", "'cron(0 0/6 * * ? *)'"))}`,
        );
    // EventBridge Scheduler's cron page ("Schedule types on EventBridge Scheduler") documents increments
    // only as `<start>/<step>`: "The / [...] wildcard specifies increments. In the Minutes
    // field, you could enter 1/10 to specify every tenth minute, starting from the first minute of the
    // hour". `*/<step>` appears nowhere on it (UNKNOWN whether Scheduler accepts it), so refuse it for
    // the documented form.
    if (cron && cron.slice(1).some((field) => /(^|,)\*\//.test(field))) {
        const fixed = cron
            .slice(1)
            .map((field, i) => field.replace(/(^|,)\*\//g, `$1${CRON_FIRST[i]}/`))
            .join(" ");
        problems.push(
            `\`collect.schedule.expression\` \`${expression}\`: EventBridge Scheduler writes increments as \`<start>/<step>\`, not \`*/<step>\`${run(setCommand("collect.schedule.expression", `'cron(${fixed})'`))}`,
        );
    }
    let timezone: string = d.timezone;
    if (value.timezone !== undefined) {
        if (typeof value.timezone === "string" && TIME_ZONES.has(value.timezone)) timezone = value.timezone;
        else
            problems.push(
                `\`collect.schedule.timezone\` must be an IANA time zone such as \`Europe/Dublin\` (got \`${String(value.timezone)}\`)${run(setCommand("collect.schedule.timezone", "UTC"))}`,
            );
    }
    if (value.enabled !== undefined && ![true, false, "true", "false"].includes(value.enabled as never))
        problems.push(`\`collect.schedule.enabled\` must be \`true\` or \`false\`${run(setCommand("collect.schedule.enabled", "true"))}`);
    return {
        expression,
        timezone,
        enabled: !(value.enabled === false || value.enabled === "false"),
        retryAttempts: numberIn(value.retryAttempts, "collect.schedule.retryAttempts", 0, 185, d.retryAttempts, problems),
        maxEventAgeSeconds: numberIn(value.maxEventAgeSeconds, "collect.schedule.maxEventAgeSeconds", 60, 86400, d.maxEventAgeSeconds, problems),
    };
}

function queryOf(raw: unknown, at: string, problems: Problems): Record<string, string> {
    if (raw === undefined) return {};
    const value = objectAt(raw, at, `${at}.limit 100`, problems);
    if (!value) return {};
    const out: Record<string, string> = {};
    for (const [name, v] of Object.entries(value)) {
        const key = `${at}.${name}`;
        if (!QUERY_NAME.test(name)) problems.push(`\`${key}\`: \`${name}\` is not a plain query parameter name${run(rmCommand(key))}`);
        else if (CREDENTIAL_NAME.test(name))
            problems.push(
                `\`${key}\` looks like a credential: put it in the API's connection instead with \`${setSecretCommand(`secrets.<api>.invocationParameters.queryStrings.${name}`)}\`, then run \`${rmCommand(key)}\`.`,
            );
        else if (typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) out[name] = String(v);
        else problems.push(`\`${key}\` must be a string or a number${run(setCommand(key))}`);
    }
    return out;
}

function paginationOf(raw: unknown, at: string, query: Record<string, string>, problems: Problems): PaginationSettings | undefined {
    const value = objectAt(raw, at, `${at}.style link`, problems);
    if (!value) return undefined;
    const style = value.style;
    // The pagination parameter is set on every request: a static one of the same name would be overwritten.
    const clashWithQuery = (key: string, name: string | undefined) => {
        if (name !== undefined && name in query)
            problems.push(`\`${at}.${key}\` \`${name}\` is also a static query parameter${run(rmCommand(at.replace(/pagination$/, `query.${name}`)))}`);
    };
    if (style === "link") {
        unknownKeys(value, ["style"], at, problems);
        return { style };
    }
    if (style === "cursor") {
        unknownKeys(value, ["style", "cursorField", "cursorParam"], at, problems);
        const cursorField = stringMatching(
            value.cursorField,
            `${at}.cursorField`,
            FIELD_PATH,
            "the body field holding the next cursor",
            "next_cursor",
            problems,
        );
        const cursorParam = stringMatching(
            value.cursorParam,
            `${at}.cursorParam`,
            QUERY_NAME,
            "the query parameter the cursor goes back in",
            "cursor",
            problems,
        );
        clashWithQuery("cursorParam", cursorParam);
        return cursorField && cursorParam ? { style, cursorField, cursorParam } : undefined;
    }
    if (style === "page") {
        unknownKeys(value, ["style", "pageParam", "firstPage"], at, problems);
        const pageParam = stringMatching(value.pageParam, `${at}.pageParam`, QUERY_NAME, "the query parameter of the page number", "page", problems);
        clashWithQuery("pageParam", pageParam);
        const firstPage = numberIn(value.firstPage, `${at}.firstPage`, 0, 1_000_000, 1, problems);
        return pageParam ? { style, pageParam, firstPage } : undefined;
    }
    problems.push(`\`${at}.style\` must be one of \`cursor\`, \`page\`, \`link\` (got \`${String(style)}\`)${run(setCommand(`${at}.style`, "link"))}`);
    return undefined;
}

function fanOutOf(raw: unknown, at: string, sourceNames: readonly string[], problems: Problems): FanOutSettings | undefined {
    const value = objectAt(raw, at, `${at}.itemList inputs/devices.json`, problems);
    if (!value) return undefined;
    unknownKeys(value, ["itemList", "batchSize", "maxItems", "toleratedFailurePercentage"], at, problems);
    const itemList = stringMatching(
        value.itemList,
        `${at}.itemList`,
        ITEM_LIST_KEY,
        "the S3 key of a JSON array of ids in the collection bucket",
        "inputs/devices.json",
        problems,
    );
    // The role may read the list and write pages: keeping them apart keeps a run from overwriting its list.
    if (itemList && sourceNames.some((name) => itemList.startsWith(`${name}/`)))
        problems.push(
            `\`${at}.itemList\` \`${itemList}\` lies under a source's page prefix${run(setCommand(`${at}.itemList`, `inputs/${itemList.split("/").pop()}`))}`,
        );
    const batchSize = numberIn(value.batchSize, `${at}.batchSize`, 1, 1000, COLLECT_DEFAULTS.fanOut.batchSize, problems);
    const maxItems = numberIn(value.maxItems, `${at}.maxItems`, 1, 1_000_000, COLLECT_DEFAULTS.fanOut.maxItems, problems);
    // Each batch leaves one small result in the Map's output, which must stay far below 256 KiB.
    if (Math.ceil(maxItems / batchSize) > MAX_BATCHES)
        problems.push(
            `\`${at}.maxItems\` ${maxItems} in batches of ${batchSize} makes more than ${MAX_BATCHES} child executions${run(setCommand(`${at}.batchSize`, String(Math.ceil(maxItems / MAX_BATCHES))))}`,
        );
    const toleratedFailurePercentage = numberIn(value.toleratedFailurePercentage, `${at}.toleratedFailurePercentage`, 0, 100, 0, problems);
    return itemList ? { itemList, batchSize, maxItems, toleratedFailurePercentage } : undefined;
}

function sourceOf(name: string, raw: unknown, sourceNames: readonly string[], problems: Problems): SourceSettings | undefined {
    const at = `collect.sources.${name}`;
    if (!SOURCE_NAME.test(name)) {
        problems.push(`\`${at}\`: a source name must be 1 to 40 of \`a-z0-9-\`, starting with a letter (it starts every S3 key)${run(rmCommand(at))}`);
        return undefined;
    }
    const value = objectAt(raw, at, `${at}.api <api>`, problems);
    if (!value) return undefined;
    unknownKeys(value, ["api", "path", "query", "pagination", "itemsField", "fields", "maxPages", "fanOut"], at, problems);
    const api = stringMatching(
        value.api,
        `${at}.api`,
        API_NAME,
        "the name of the API it calls (a top-level key with its base URL and auth)",
        "telemetry",
        problems,
    );
    const fanOut = value.fanOut === undefined ? undefined : fanOutOf(value.fanOut, `${at}.fanOut`, sourceNames, problems);
    const sourcePath = stringMatching(value.path, `${at}.path`, SOURCE_PATH, "a path under the API's base URL such as `/devices`", "/items", problems);
    const placeholders = sourcePath ? sourcePath.split("{item}").length - 1 : 0;
    if (sourcePath && value.fanOut !== undefined && placeholders !== 1)
        problems.push(
            `\`${at}.path\` of a fan-out source needs exactly one \`{item}\` (got \`${sourcePath}\`)${run(setCommand(`${at}.path`, "/devices/{item}/readings"))}`,
        );
    if (sourcePath && value.fanOut === undefined && placeholders > 0)
        problems.push(`\`${at}.path\` has \`{item}\` but the source has no \`fanOut\`${run(setCommand(`${at}.fanOut.itemList`, "inputs/items.json"))}`);
    const query = queryOf(value.query, `${at}.query`, problems);
    const pagination = paginationOf(value.pagination, `${at}.pagination`, query, problems);
    const itemsField = stringMatching(
        value.itemsField,
        `${at}.itemsField`,
        FIELD_PATH,
        "the body field holding the page's items, such as `data`",
        "data",
        problems,
    );
    let fields: string[] = [];
    const rawFields = parseJsonString(value.fields);
    if (!Array.isArray(rawFields) || rawFields.length === 0 || rawFields.some((f) => typeof f !== "string" || !FIELD.test(f)))
        problems.push(
            `\`${at}.fields\` must be a non-empty list of item field names (what is stored)${run(rmCommand(`${at}.fields`), setCommand(`${at}.fields[0]`, "id"))}`,
        );
    else fields = [...new Set(rawFields as string[])];
    const maxPages = numberIn(value.maxPages, `${at}.maxPages`, 1, 1000, COLLECT_DEFAULTS.maxPages, problems);
    if (fanOut) {
        const events = fanOut.batchSize * (EVENTS_PER_ID + EVENTS_PER_PAGE * maxPages);
        if (events > HISTORY_BUDGET)
            problems.push(
                `\`${at}.fanOut.batchSize\` ${fanOut.batchSize} × \`${at}.maxPages\` ${maxPages} can need ${events} history events in one child execution (Step Functions keeps 25,000)${run(setCommand(`${at}.fanOut.batchSize`, String(Math.max(1, Math.floor(HISTORY_BUDGET / (EVENTS_PER_ID + EVENTS_PER_PAGE * maxPages))))))}`,
            );
    }
    if (!api || !sourcePath || !pagination || !itemsField || fields.length === 0 || (value.fanOut !== undefined && !fanOut)) return undefined;
    return { name, api, path: sourcePath, query, pagination, itemsField, fields, maxPages, ...(fanOut ? { fanOut } : {}) };
}

/** The API names `collect.sources` refers to (valid names only), for API validation. */
export function collectApiNames(raw: unknown): string[] {
    const value = parseJsonString(raw);
    const sources = isObject(value) && isObject(value.sources) ? Object.values(value.sources) : [];
    return [...new Set(sources.flatMap((s) => (isObject(s) && typeof s.api === "string" && API_NAME.test(s.api) ? [s.api] : [])))].sort();
}

/**
 * `collect`, validated when the `collect` workflow is enabled (undefined otherwise; setting it then
 * is a problem). `reserved` are names an API may not take (the settings' keys).
 */
export function collectSettings(
    raw: unknown,
    enabled: boolean,
    reserved: readonly string[],
    problems: Problems,
    otherWorkflowsApis: readonly string[] = [],
): CollectSettings | undefined {
    const value = parseJsonString(raw);
    if (!enabled) {
        if (value !== undefined) problems.push(`\`collect\` is set but the \`collect\` workflow is not enabled${run(rmCommand("collect"))}`);
        return undefined;
    }
    if (!isObject(value)) {
        problems.push(`\`collect\` is required by the \`collect\` workflow: set at least one source${run(setCommand("collect.sources.<name>.api", "<api>"))}`);
        return undefined;
    }
    unknownKeys(value, ["schedule", "retentionDays", "eventBusName", "apiLimits", "sources"], "collect", problems);
    const rawSources = value.sources === undefined ? undefined : objectAt(value.sources, "collect.sources", "collect.sources.<name>.api <api>", problems);
    if (value.sources === undefined || (rawSources && Object.keys(rawSources).length === 0))
        problems.push(`\`collect.sources\` needs at least one source${run(setCommand("collect.sources.<name>.api", "<api>"))}`);
    const names = Object.keys(rawSources ?? {});
    const sources = Object.entries(rawSources ?? {}).flatMap(([name, s]) => sourceOf(name, s, names, problems) ?? []);
    for (const [name, entry] of Object.entries(rawSources ?? {})) {
        const api = isObject(entry) ? entry.api : undefined;
        const fix = run(setCommand(`collect.sources.${name}.api`, "<api>"));
        if (typeof api !== "string") continue;
        if (reserved.includes(api)) problems.push(`\`collect.sources.${name}.api\`: \`${api}\` is a setting of this project, not an API name${fix}`);
        // Its own connection and credential: the collection's role never reads another workflow's secret.
        else if (otherWorkflowsApis.includes(api))
            problems.push(
                `\`collect.sources.${name}.api\`: \`${api}\` belongs to another workflow; give the collection its own API (a top-level key with its own base URL, auth and secret)${fix}`,
            );
    }
    const apis = new Set(sources.map((s) => s.api));
    const apiLimits: Record<string, ApiLimits> = {};
    const rawLimits =
        value.apiLimits === undefined ? {} : (objectAt(value.apiLimits, "collect.apiLimits", "collect.apiLimits.<api>.maxConcurrency 2", problems) ?? {});
    for (const key of Object.keys(rawLimits))
        if (!apis.has(key)) problems.push(`\`collect.apiLimits.${key}\` is for an API no source calls${run(rmCommand(`collect.apiLimits.${key}`))}`);
    for (const api of apis) {
        const at = `collect.apiLimits.${api}`;
        const limits = rawLimits[api] === undefined ? {} : (objectAt(rawLimits[api], at, `${at}.maxConcurrency 2`, problems) ?? {});
        unknownKeys(limits, ["maxConcurrency", "retryAfterSeconds", "attemptTimeoutSeconds", "retryBudget"], at, problems);
        apiLimits[api] = {
            maxConcurrency: numberIn(limits.maxConcurrency, `${at}.maxConcurrency`, 1, 40, COLLECT_DEFAULTS.apiLimits.maxConcurrency, problems),
            retryAfterSeconds: numberIn(limits.retryAfterSeconds, `${at}.retryAfterSeconds`, 1, 3600, COLLECT_DEFAULTS.apiLimits.retryAfterSeconds, problems),
            // An HTTP Task attempt cannot outlast 60 s (docs/aws-facts.md §0): a longer timeout would promise what AWS cuts.
            attemptTimeoutSeconds: numberIn(
                limits.attemptTimeoutSeconds,
                `${at}.attemptTimeoutSeconds`,
                1,
                60,
                COLLECT_DEFAULTS.apiLimits.attemptTimeoutSeconds,
                problems,
            ),
            retryBudget: numberIn(limits.retryBudget, `${at}.retryBudget`, 0, 20, COLLECT_DEFAULTS.apiLimits.retryBudget, problems),
        };
    }
    const eventBusName =
        value.eventBusName === undefined
            ? COLLECT_DEFAULTS.eventBusName
            : (stringMatching(value.eventBusName, "collect.eventBusName", BUS, "an EventBridge bus name or ARN", "default", problems) ??
              COLLECT_DEFAULTS.eventBusName);
    return {
        schedule: scheduleSettings(value.schedule, problems),
        retentionDays: numberIn(value.retentionDays, "collect.retentionDays", 1, 3650, COLLECT_DEFAULTS.retentionDays, problems),
        eventBusName,
        apiLimits,
        sources,
    };
}
