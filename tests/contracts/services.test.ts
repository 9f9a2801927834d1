/**
 * The inventory and shipping contracts (`deploy/apis/{inventory,shipping}/openapi.yaml`), checked with openapi-backend:
 * the documents themselves, then every request the order saga sends to the sandbox and every answer
 * the sandbox gives, over all scenarios and a run with injected faults. A sandbox only proves that
 * the saga and the sandbox agree with the contract, not that a real service does.
 */
import * as assert from "node:assert/strict";
import { OpenAPIBackend } from "openapi-backend";
import { endpointMatch } from "../../deploy/asl/endpoint";
import { connectionArnOf } from "../../deploy/asl/policy";
import { allStates } from "../../deploy/asl/walk";
import { startLocalOrderStack } from "../../tools/local/order-stack";
import { uniformFaults } from "../../tools/sandbox/faults";
import { SandboxExchange } from "../../tools/sandbox/http-server";
import { SCENARIOS } from "../../tools/local/scenarios";
import { testOrderDefinition, testOrderTargets } from "../helpers/asl";
import { checkExchange, ContractExchange, loadContract, readContract } from "../helpers/openapi";

const FAULTY_ORDERS = 96;

/**
 * `[method, path]` of each HTTP Task of the saga that signs with `api`'s connection, the path relative to the API's
 * base URL and each dynamic part of a `States.Format` endpoint filled with `x`, as a caller's id would be.
 */
function sagaCalls(api: "inventory" | "shipping"): [string, string][] {
    const target = testOrderTargets()[api];
    const base = target.baseUrl.replace(/\/+$/, "");
    return allStates(testOrderDefinition()).flatMap(({ name, state }): [string, string][] => {
        const p = (state as { Parameters?: Record<string, unknown> }).Parameters;
        if (state.Type !== "Task" || state.Resource !== "arn:aws:states:::http:invoke" || !p) return [];
        if (connectionArnOf(p, name) !== target.connectionArn) return [];
        const match = endpointMatch(p, name);
        const url = match.kind === "exact" ? match.url : match.parts.join("x");
        assert.ok(url.startsWith(`${base}/`), `${name} calls ${url}, outside ${base}`);
        return [[String(p.Method), url.slice(base.length)]];
    });
}

/** `id` inside a 2xx body must be the one the caller chose: in the request body, or the path's last segment. */
function namesCallersId(e: SandboxExchange, field: string): boolean {
    const chosen = e.method === "POST" ? (e.body as Record<string, unknown>)[field] : decodeURIComponent(e.path.split("/").pop() ?? "");
    return (e.responseBody as Record<string, unknown>)[field] === chosen;
}

describe("service contracts (deploy/apis/{inventory,shipping}/openapi.yaml, openapi-backend)", () => {
    const contracts: Record<string, OpenAPIBackend> = {};
    before(async () => {
        contracts.inventory = await loadContract(readContract("inventory"));
        contracts.shipping = await loadContract(readContract("shipping"));
    });

    it("are valid OpenAPI 3.0 documents with exactly the saga's calls", () => {
        const operations = (api: OpenAPIBackend) => api.getOperations().map((o) => `${o.operationId} ${o.method.toUpperCase()} ${o.path}`);
        // Derived from the saga's HTTP Tasks: each call has an operation in its API's contract, and each operation is called.
        for (const api of ["inventory", "shipping"] as const) {
            const calls = sagaCalls(api);
            assert.ok(calls.length > 0, `the saga calls ${api}`);
            const called = calls.map(([method, path]) => {
                const operation = contracts[api].matchOperation({ method, path, headers: {}, query: {} });
                assert.ok(operation, `${api}'s contract has no operation for the saga's ${method} ${path}`);
                return `${operation.operationId} ${method} ${operation.path}`;
            });
            assert.deepEqual([...new Set(called)].sort(), operations(contracts[api]).sort());
        }
    });

    it("rejects a document that is not valid OpenAPI", async () => {
        const broken = readContract("inventory");
        delete (broken.paths?.["/reservations"]?.post as { responses?: unknown }).responses;
        await assert.rejects(loadContract(broken), /Document is not valid OpenAPI/);
    });

    describe("every inventory and shipping exchange of the saga", () => {
        const exchanges: SandboxExchange[] = [];
        before(async function () {
            const local = await startLocalOrderStack({ onExchange: (e) => exchanges.push(e) });
            try {
                for (const scenario of SCENARIOS) await local.runner.run(scenario.order);
                local.sandbox.setFaults(uniformFaults(0.3, { slowMs: 1, afterEffectShare: 0.5 }));
                for (let i = 0; i < FAULTY_ORDERS; i++) {
                    const scenario = SCENARIOS[i % SCENARIOS.length];
                    await local.runner.run({ ...scenario.order, orderId: `${String(scenario.order.orderId)}-faulty-${i}` });
                }
            } finally {
                await local.close();
            }
        });
        const checked = () =>
            exchanges.filter((e) => e.api in contracts).map((exchange) => ({ exchange, ...checkExchange(contracts[exchange.api], exchange) }));

        it("conform to the contract: method, path, headers, credentials, body; status, body, headers", () => {
            const problems = checked().flatMap(({ exchange: e, problems }) => problems.map((p) => `${e.api} ${e.method} ${e.path} → ${e.status}: ${p}`));
            assert.deepEqual(problems, []);
        });

        it("cover every operation, its error answers, injected faults and replays", () => {
            const seen = new Map<string, number>();
            const count = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);
            for (const { operationId, exchange: e } of checked()) {
                [`${operationId}`, `${operationId} ${e.status}`].forEach(count);
                if (e.injectedFault) count(`injected ${e.status}`);
                if (e.responseHeaders["Idempotent-Replayed"] === "true") count("replayed");
            }
            const atLeast: [string, number][] = [
                ["createReservation", 50],
                ["createReservation 201", 30],
                ["createReservation 409", 8],
                ["releaseReservation", 10],
                ["releaseReservation 200", 8],
                ["createShipment", 60],
                ["createShipment 201", 15],
                ["createShipment 503", 40],
                ["cancelShipment", 10],
                ["cancelShipment 404", 8],
                ["injected 429", 3],
                ["injected 500", 3],
                ["injected 503", 3],
                ["replayed", 2],
            ];
            const short = atLeast.filter(([key, min]) => (seen.get(key) ?? 0) < min).map(([key, min]) => `${key}: ${seen.get(key) ?? 0} < ${min}`);
            assert.deepEqual(short, []);
        });

        it("answer 2xx with the id the caller chose", () => {
            const ok = exchanges.filter((e) => e.api in contracts && e.status < 300);
            assert.ok(ok.length > 0);
            for (const e of ok) assert.ok(namesCallersId(e, e.api === "inventory" ? "reservationId" : "shipmentId"), `${e.method} ${e.path}`);
        });
    });

    describe("the checker rejects what breaks the contract", () => {
        const reservation: ContractExchange = {
            method: "POST",
            path: "/reservations",
            query: {},
            headers: { authorization: "Basic c2ZuOnNlY3JldA==", "content-type": "application/json; charset=UTF-8", "idempotency-key": "reservation-ord-1" },
            rawBody: JSON.stringify({ reservationId: "res-ord-1", orderId: "ord-1", items: [{ sku: "SKU-RED-MUG", quantity: 2 }] }),
            status: 201,
            responseBody: { reservationId: "res-ord-1", orderId: "ord-1", status: "held" },
            responseHeaders: { "Content-Type": "application/json" },
        };
        const shipment: ContractExchange = {
            ...reservation,
            path: "/shipments",
            headers: { ...reservation.headers, authorization: "Bearer token", "idempotency-key": "shipment-ord-1" },
            rawBody: JSON.stringify({ shipmentId: "shp-ord-1", orderId: "ord-1", items: [{ sku: "SKU-RED-MUG", quantity: 2 }], recipient: { phone: "+1555" } }),
            responseBody: { shipmentId: "shp-ord-1", orderId: "ord-1", trackingNumber: "1Z1", status: "label_created" },
        };
        const body = (e: ContractExchange) => JSON.parse(e.rawBody) as Record<string, unknown>;
        const withoutKey = Object.fromEntries(Object.entries(reservation.headers).filter(([k]) => k !== "idempotency-key"));
        const cases: [string, "inventory" | "shipping", ContractExchange, string[]][] = [
            [
                "quantity 0",
                "inventory",
                { ...reservation, rawBody: JSON.stringify({ ...body(reservation), items: [{ sku: "SKU-RED-MUG", quantity: 0 }] }) },
                ["request/requestBody/items/0/quantity must be >= 1"],
            ],
            ["no Idempotency-Key", "inventory", { ...reservation, headers: withoutKey }, ["request/header must have required property 'idempotency-key'"]],
            [
                "no credentials",
                "inventory",
                { ...reservation, headers: { ...reservation.headers, authorization: undefined } },
                ['request carries none of the credentials of [{"basicAuth":[]},{"apiKeyAuth":[]},{"oauth2ClientCredentials":["inventory:write"]}]'],
            ],
            [
                "a server-made id",
                "inventory",
                { ...reservation, rawBody: JSON.stringify({ ...body(reservation), reservationId: "rsv_1" }) },
                ['request/requestBody/reservationId must match pattern "^res-[A-Za-z0-9_-]{1,64}$"'],
            ],
            [
                "an unknown field",
                "inventory",
                { ...reservation, rawBody: JSON.stringify({ ...body(reservation), note: "x" }) },
                ["request/requestBody must NOT have additional properties"],
            ],
            [
                "a body on a DELETE",
                "inventory",
                {
                    ...reservation,
                    method: "DELETE",
                    path: "/reservations/res-ord-1",
                    status: 200,
                    responseBody: { reservationId: "res-ord-1", status: "released" },
                },
                ["request has a body, but the operation takes none"],
            ],
            [
                "a recipient without email or phone",
                "shipping",
                { ...shipment, rawBody: JSON.stringify({ ...body(shipment), recipient: { name: "Ada" } }) },
                [
                    "request/requestBody/recipient must have required property 'email'",
                    "request/requestBody/recipient must have required property 'phone'",
                    "request/requestBody/recipient must match a schema in anyOf",
                ],
            ],
            [
                "a malformed email",
                "shipping",
                { ...shipment, rawBody: JSON.stringify({ ...body(shipment), recipient: { email: "ada at example.com" } }) },
                ['request/requestBody/recipient/email must match format "email"'],
            ],
            [
                "a 201 without trackingNumber",
                "shipping",
                { ...shipment, responseBody: { ...(shipment.responseBody as object), trackingNumber: undefined } },
                ["response body must have required property 'trackingNumber'"],
            ],
            [
                "a 409 out_of_stock without sku",
                "inventory",
                { ...reservation, status: 409, responseBody: { error: "out_of_stock" } },
                [
                    "response body must have required property 'sku'",
                    "response body must have required property 'reservationId'",
                    "response body must match exactly one schema in oneOf",
                ],
            ],
            [
                "a 503 without Retry-After",
                "inventory",
                { ...reservation, status: 503, responseBody: { error: "service_unavailable" } },
                ["response misses the required header Retry-After"],
            ],
            ["an undocumented status", "inventory", { ...reservation, status: 202 }, ["status 202 is not documented"]],
            [
                "a text answer",
                "shipping",
                { ...shipment, responseHeaders: { "Content-Type": "text/plain" } },
                ["response Content-Type text/plain is not one of application/json"],
            ],
        ];

        it("accepts the unbroken exchanges", () => {
            assert.deepEqual(checkExchange(contracts.inventory, reservation), { operationId: "createReservation", problems: [] });
            assert.deepEqual(checkExchange(contracts.shipping, shipment), { operationId: "createShipment", problems: [] });
        });

        for (const [name, api, exchange, problems] of cases) {
            it(`rejects ${name}`, () => {
                assert.deepEqual(checkExchange(contracts[api], exchange).problems, problems);
            });
        }
    });
});
