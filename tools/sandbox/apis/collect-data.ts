/**
 * What the collection's sandbox APIs (telemetry, social) share: the size of their deterministic data
 * and the paging helpers of their contracts.
 */
import { Reply, SandboxRequest } from "../http-server";

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

/** The sizes used when not given. */
export const DEFAULTS: Required<CollectDataOptions> = {
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
export function pageSize(req: SandboxRequest, name: string): number | Reply {
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

/** One page of `all` at the request's cursor, `{ data, next_cursor }`; `loop` hands the same cursor back (a careless API). */
export function cursorPage<T>(req: SandboxRequest, all: readonly T[], loop = false): Reply {
    const size = pageSize(req, "limit");
    if (typeof size !== "number") return size;
    const offset = decodeCursor(req.query.get("cursor"));
    if (offset === undefined) return { status: 400, body: { error: "bad_request", message: "Unknown cursor." } };
    const end = offset + size;
    const next = loop && offset > 0 ? req.query.get("cursor") : end < all.length ? encodeCursor(end) : null;
    return { status: 200, body: { data: all.slice(offset, end), next_cursor: next } };
}
