/**
 * The data sources of the local collection, deterministic so runs can be compared:
 * - `telemetry`, an IoT-style device API paged by a cursor in the body:
 *   `GET /devices` and `GET /devices/{id}/readings`, `{ data: [...], next_cursor }`;
 * - `social`, a social-media-style API: `GET /posts` paged by RFC 8288 `Link: <…>; rel="next"`
 *   headers, `GET /mentions` by page number; it answers bursts of 429 with `Retry-After` and keeps
 *   answering 429 until that window has passed, as real rate limiters do.
 */
import { Reply, Route, SandboxRequest } from "./http-server";

/** The collection's sandbox APIs. */
export const COLLECT_SANDBOX_APIS = ["telemetry", "social"] as const;
/** One of `COLLECT_SANDBOX_APIS`. */
export type CollectSandboxApi = (typeof COLLECT_SANDBOX_APIS)[number];

/** The size of the sandbox's data. */
export interface CollectDataOptions {
    /** Devices of the telemetry API. @default 12 */
    readonly devices?: number;
    /** Readings per device. @default 30 */
    readonly readingsPerDevice?: number;
    /** Posts of the social API. @default 45 */
    readonly posts?: number;
    /** Mentions of the social API. @default 25 */
    readonly mentions?: number;
    /** Every n-th social request opens a 429 window (0: never). @default 4 */
    readonly burstEvery?: number;
    /** The `Retry-After` of a 429, in seconds. @default 1 */
    readonly retryAfterSeconds?: number;
    /** Extra characters in every post's text (to make oversized pages). @default 0 */
    readonly postPadding?: number;
    /**
     * A careless API: from the second page on, `cursor` hands every cursor page's own cursor back
     * as `next_cursor`, and `link` makes the second posts page link to itself. @default "none"
     */
    readonly loop?: "none" | "cursor" | "link";
}

const DEFAULTS: Required<CollectDataOptions> = {
    devices: 12,
    readingsPerDevice: 30,
    posts: 45,
    mentions: 25,
    burstEvery: 4,
    retryAfterSeconds: 1,
    postPadding: 0,
    loop: "none",
};

/** The device ids of the telemetry API. */
export function deviceIds(count: number): string[] {
    return Array.from({ length: count }, (_, i) => `dev-${String(i + 1).padStart(4, "0")}`);
}

/** A page size from `limit` / `per_page`: 1 to 100, default 10. */
function pageSize(req: SandboxRequest, name: string): number | Reply {
    const raw = req.query.get(name);
    if (raw === null) return 10;
    const n = Number(raw);
    return /^\d+$/.test(raw) && n >= 1 && n <= 100 ? n : { status: 400, body: { error: "bad_request", message: `\`${name}\` must be 1 to 100.` } };
}

/** An opaque cursor for an offset (what real APIs hand out), and back. */
const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`).toString("base64url");
function decodeCursor(cursor: string | null): number | undefined {
    if (cursor === null) return 0;
    const match = /^o:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
    return match ? Number(match[1]) : undefined;
}

function cursorPage<T>(req: SandboxRequest, all: readonly T[], loop = false): Reply {
    const size = pageSize(req, "limit");
    if (typeof size !== "number") return size;
    const offset = decodeCursor(req.query.get("cursor"));
    if (offset === undefined) return { status: 400, body: { error: "bad_request", message: "Unknown cursor." } };
    const end = offset + size;
    const next = loop && offset > 0 ? req.query.get("cursor") : end < all.length ? encodeCursor(end) : null;
    return { status: 200, body: { data: all.slice(offset, end), next_cursor: next } };
}

/** The telemetry API's routes. */
export function telemetryRoutes(options: CollectDataOptions = {}): Route[] {
    const o = { ...DEFAULTS, ...options };
    const ids = deviceIds(o.devices);
    const devices = ids.map((id, i) => ({ id, model: i % 2 ? "TH-200" : "TH-100", site: `site-${(i % 3) + 1}`, firmware: "4.2.1", serial: `SN${1000 + i}` }));
    const readings = (id: string) => {
        const n = Number(id.slice(4));
        return Array.from({ length: o.readingsPerDevice }, (_, i) => ({
            ts: new Date(Date.UTC(2026, 10, 25, 0, i)).toISOString(),
            metric: "temperature",
            value: Math.round((20 + ((n * 7 + i * 3) % 50) / 10) * 10) / 10,
            unit: "C",
            raw: { adc: 1000 + ((n * 13 + i) % 97), rssi: -40 - (i % 30) },
        }));
    };
    return [
        { method: "GET", pattern: /^\/devices$/, name: "GET /devices", handle: (req) => cursorPage(req, devices, o.loop === "cursor") },
        {
            method: "GET",
            pattern: /^\/devices\/([^/]+)\/readings$/,
            name: "GET /devices/{id}/readings",
            handle: (req) =>
                ids.includes(req.params[0])
                    ? cursorPage(req, readings(req.params[0]), o.loop === "cursor")
                    : { status: 404, body: { error: "not_found", message: "No such device." } },
        },
    ];
}

/** The social API's routes; `origin` is the server's base URL (for `Link` targets). */
export function socialRoutes(baseUrl: () => string, options: CollectDataOptions = {}): Route[] {
    const o = { ...DEFAULTS, ...options };
    const posts = Array.from({ length: o.posts }, (_, i) => ({
        id: `p${1000 + i}`,
        created_at: new Date(Date.UTC(2026, 10, 24, i % 24, i)).toISOString(),
        author: { handle: `@user${i % 7}`, followers: 100 * (i % 9) },
        text: `Post ${i} about #sfn${" ".repeat(o.postPadding)}`,
        likes: (i * 37) % 101,
        shares: (i * 11) % 23,
    }));
    const mentions = Array.from({ length: o.mentions }, (_, i) => ({
        id: `m${i}`,
        post_id: `p${1000 + ((i * 3) % o.posts)}`,
        sentiment: ["positive", "neutral", "negative"][i % 3],
        lang: "en",
    }));
    let requests = 0;
    let throttledUntil = 0;
    /** A 429 while a window is open, or every `burstEvery`-th request, which opens one. */
    const throttle = (): Reply | undefined => {
        const now = Date.now();
        requests++;
        if (now < throttledUntil || (o.burstEvery > 0 && requests % o.burstEvery === 0)) {
            if (now >= throttledUntil) throttledUntil = now + o.retryAfterSeconds * 1000;
            const wait = Math.max(1, Math.ceil((throttledUntil - now) / 1000));
            return { status: 429, body: { error: "rate_limited", message: "Too many requests." }, headers: { "Retry-After": String(wait) } };
        }
        return undefined;
    };
    return [
        {
            method: "GET",
            pattern: /^\/posts$/,
            name: "GET /posts",
            handle: (req) => {
                const limited = throttle();
                if (limited) return limited;
                const size = pageSize(req, "per_page");
                if (typeof size !== "number") return size;
                const after = req.query.get("after");
                const offset = after === null ? 0 : posts.findIndex((p) => p.id === after) + 1;
                if (after !== null && offset === 0) return { status: 400, body: { error: "bad_request", message: "Unknown `after`." } };
                const page = posts.slice(offset, offset + size);
                const more = offset + size < posts.length;
                const self = o.loop === "link" && after !== null;
                const next = `${baseUrl()}/posts?per_page=${size}&after=${self ? after : page[page.length - 1]?.id}`;
                return {
                    status: 200,
                    body: { posts: page },
                    headers: more ? { Link: `<${next}>; rel="next", <${baseUrl()}/posts?per_page=${size}>; rel="first"` } : {},
                };
            },
        },
        {
            method: "GET",
            pattern: /^\/mentions$/,
            name: "GET /mentions",
            handle: (req) => {
                const limited = throttle();
                if (limited) return limited;
                const raw = req.query.get("page") ?? "1";
                if (!/^[1-9]\d*$/.test(raw)) return { status: 400, body: { error: "bad_request", message: "`page` must be a positive integer." } };
                const size = 10;
                const start = (Number(raw) - 1) * size;
                return { status: 200, body: { results: { items: mentions.slice(start, start + size) } } };
            },
        },
    ];
}
