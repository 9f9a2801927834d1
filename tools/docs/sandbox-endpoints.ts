/**
 * The `sandbox-endpoints` section: every route the sandbox APIs answer (method and path from the route tables the
 * servers run, `SANDBOX_SERVICES` of `tools/sandbox/routes.ts`), how each treats `Idempotency-Key`, the base path the dev stack serves it under, and the status
 * codes of the API's contract (`deploy/apis/<api>/openapi.yaml`, which `tests/contracts/` hold the sandbox's answers
 * to). Stripe has no contract in this repository: its statuses are Stripe's (docs/aws-facts.md §24).
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { FaultInjector } from "../sandbox/faults";
import { Route } from "../sandbox/http-server";
import { Ledger } from "../sandbox/ledger";
import { SANDBOX_SERVICES } from "../sandbox/routes";
import { readStackFile, stackSettings } from "../stack-file";

const ROOT = path.join(__dirname, "..", "..");

/** Each sandbox API's routes, built by the services table the servers are started from (no server is started). */
export function sandboxRouteTables(): Record<string, readonly Route[]> {
    const ledger = new Ledger();
    return Object.fromEntries(
        Object.entries(SANDBOX_SERVICES).map(([api, service]) => [
            api,
            service({ ledger, faults: new FaultInjector(1), basePath: "/", baseUrl: () => "http://127.0.0.1" }).routes,
        ]),
    );
}

type Contract = { paths?: Record<string, Record<string, { responses?: Record<string, unknown> }>> };

/** `/reservations/{reservationId}` and the route's `/reservations/{id}` alike: parameters unnamed. */
const shape = (p: string) => p.replace(/\{[^}]+\}/g, "{}");

/** The statuses the contract of `api` documents for `method path`; `undefined` when the API has no contract here. */
export function contractStatuses(api: string, method: string, routePath: string, root: string = ROOT): string[] | undefined {
    const file = path.join(root, "deploy", "apis", api, "openapi.yaml");
    if (!fs.existsSync(file)) return undefined;
    const contract = parse(fs.readFileSync(file, "utf8")) as Contract;
    const [, operations] = Object.entries(contract.paths ?? {}).find(([p]) => shape(p) === shape(routePath)) ?? [];
    const responses = operations?.[method.toLowerCase()]?.responses;
    if (!responses) throw new Error(`\`${api}\`'s contract has no \`${method} ${routePath}\`, which the sandbox answers.`);
    return Object.keys(responses).sort();
}

const IDEMPOTENCY: Record<string, string> = {
    required: "required: a repeat replays the answer, another body is 422",
    stripe: "Stripe's: optional; a repeat replays, other parameters are 400",
};

/** The section: per API, its routes. */
export function sandboxEndpointsMarkdown(tables: Record<string, readonly Route[]> = sandboxRouteTables()): string {
    const dev = stackSettings(readStackFile("dev", ROOT));
    const rows = Object.entries(tables).flatMap(([api, routes]) =>
        routes.map((route) => {
            const routePath = route.name.slice(route.method.length + 1);
            const statuses = contractStatuses(api, route.method, routePath);
            // Stripe's routes handle the key in their own layer (`tools/sandbox/stripe/idempotency.ts`), on POST only.
            const idempotency = route.idempotency ?? (route.idempotent ? "required" : !statuses && route.method === "POST" ? "stripe" : undefined);
            const base = dev.apis[api] ? new URL(dev.apis[api].baseUrl).pathname.replace(/\/+$/, "") : "";
            return `| ${api} | \`${route.method}\` | \`${base}${routePath}\` | ${statuses ? statuses.join(", ") : "Stripe's (docs/aws-facts.md §24)"} | ${idempotency ? IDEMPOTENCY[idempotency] : "-"} |`;
        }),
    );
    return ["| API | Method | Path (dev) | Statuses (contract) | `Idempotency-Key` |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}
