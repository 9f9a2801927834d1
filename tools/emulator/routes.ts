/**
 * Where the local runner sends a request. The definitions it runs are the deployed ones, calling the
 * real APIs' `https://` URLs; a route table maps each real origin and base path (and each OAuth token
 * URL) to the loopback sandbox that stands in for it. The mapping is applied when sending, after every
 * check ran on the real URL, so traces and causes show what the definition called, as AWS would.
 *
 * A real URL with no route is never sent anywhere: the call fails the way an unreachable host fails on
 * AWS, `States.Http.Socket` (docs/aws-facts.md §5.1), naming the origin that had no route.
 */
import { socketError } from "./errors";

/** Hosts that are this machine: the sandbox's, and those of hand-written local definitions. */
export function isLoopbackHost(hostname: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** One route: every URL at or under `from` goes to the same place under `to`. */
export interface Route {
    /** The real origin and base path, e.g. `https://api.stripe.com/v1`, or a whole OAuth token URL. */
    readonly from: string;
    /** The loopback origin and base path serving it, e.g. `http://127.0.0.1:40123/v1`. */
    readonly to: string;
}

/** What happens to a URL that no route covers and that is not on this machine. */
export type Unrouted = "fail" | "send";

/** Options of a `RouteTable`. */
export interface RouteTableOptions {
    /**
     * `fail`: the call fails with `States.Http.Socket` and nothing is sent. `send`: it goes to the
     * URL as written (the CLI's `--allow-network`). @default "fail"
     */
    readonly unrouted?: Unrouted;
}

const trimmed = (url: string) => url.replace(/\/+$/, "");
const isUnder = (url: string, base: string) => url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`);

function checked(route: Route): Route {
    const from = new URL(route.from);
    const to = new URL(route.to);
    if (from.search !== "" || from.hash !== "" || to.search !== "" || to.hash !== "")
        throw new Error(`Route \`${route.from}\` → \`${route.to}\`: neither side may carry a query or fragment.`);
    // Routes only ever lead to this machine: the table is what keeps a local run off the network.
    if (!isLoopbackHost(to.hostname)) throw new Error(`Route \`${route.from}\` → \`${route.to}\`: the target must be a loopback host.`);
    return { from: trimmed(route.from), to: trimmed(route.to) };
}

/** The routes of one local run; `target` is what the emulator and the OAuth token cache call. */
export class RouteTable {
    /** The routes, longest `from` first, so a route for a deeper base path wins. */
    readonly routes: readonly Route[];
    private readonly unrouted: Unrouted;

    constructor(routes: readonly Route[], options: RouteTableOptions = {}) {
        this.routes = routes.map(checked).sort((a, b) => b.from.length - a.from.length);
        this.unrouted = options.unrouted ?? "fail";
    }

    /** The routed URL for `url`, or undefined when no route covers it. */
    lookup(url: string): string | undefined {
        const route = this.routes.find((r) => isUnder(url, r.from));
        return route === undefined ? undefined : `${route.to}${url.slice(route.from.length)}`;
    }

    /**
     * Where to send `url`: its route's target; the URL itself when it is on this machine already or
     * the table sends unrouted URLs; otherwise `States.Http.Socket`, naming the origin.
     */
    readonly target = (url: string): string => {
        const routed = this.lookup(url);
        if (routed !== undefined) return routed;
        let parsed: URL;
        try {
            parsed = new URL(url);
        } catch {
            throw socketError(`Cannot connect to \`${url}\`: it is not an absolute URL.`);
        }
        if (this.unrouted === "send" || isLoopbackHost(parsed.hostname)) return url;
        throw socketError(
            `No route to ${parsed.origin}: the local run sends requests only to the sandbox APIs its routes name, and none covers ${url.split("?")[0]}.`,
        );
    };

    /** One line per route, `<from> → <to>`, for notes. */
    describe(): string[] {
        return this.routes.map((r) => `${r.from} → ${r.to}`);
    }
}
