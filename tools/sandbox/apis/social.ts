/**
 * `social`, a social-media-style API speaking `deploy/apis/social/openapi.yaml`: `GET /posts` paged by
 * RFC 8288 `Link: <…>; rel="next"` headers, `GET /mentions` by page number; it answers bursts of 429
 * with `Retry-After` and keeps answering 429 until that window has passed, as real rate limiters do.
 */
import { Reply, Route } from "../http-server";
import { CollectDataOptions, DEFAULTS, pageSize } from "./collect-data";
import type { SandboxServiceFactory } from "../routes";

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

/** The sandbox's `social` service: `tools/sandbox/routes.ts` finds it by this file's name. */
export const service: SandboxServiceFactory = ({ baseUrl, data }) => ({ routes: socialRoutes(baseUrl, data) });
