/**
 * The four recipes of README.md ("Recipes"), each done to a scratch copy (`tests/helpers/scratch.ts`)
 * as a contributor would: real files written, every edit anchored on code that must exist exactly once.
 * `tests/recipes.test.ts` synthesizes and runs the result and counts the files each one wrote.
 */
import * as fs from "fs";
import * as path from "path";
import { Edits } from "./scratch";

const DEFINITION = "deploy/workflows/order/definition.ts";

/** (a) An HTTP call in the saga on an API it already calls: `CheckReservation`, `GET /reservations/res-<orderId>` on inventory. */
export function addHttpCall(edits: Edits): void {
    edits.edit(DEFINITION, `            transition: { Next: "CreateShipment" },\n        }),\n        CreateShipment: httpTask({`, () =>
        [
            `            transition: { Next: "CheckReservation" },`,
            `        }),`,
            `        CheckReservation: httpTask({`,
            `            api: targets.apis.inventory,`,
            `            path: dynamicPath("/reservations/res-{}", path("$.orderId")),`,
            `            method: "GET",`,
            `            resultPath: null,`,
            `            catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "ReleaseInventory" }],`,
            `            transition: { Next: "CreateShipment" },`,
            `        }),`,
            `        CreateShipment: httpTask({`,
        ].join("\n"),
    );
    edits.edit("tools/sandbox/apis/inventory.ts", `    return [\n`, (anchor) =>
        [
            `${anchor}        {`,
            `            method: "GET",`,
            `            pattern: /^\\/reservations\\/([^/]+)$/,`,
            `            name: "GET /reservations/{id}",`,
            `            handle(req) {`,
            `                const id = decodeURIComponent(req.params[0]);`,
            `                const found = reservations.get(id);`,
            `                if (!found) return { status: 404, body: { error: "reservation_not_found", message: \`No reservation \${id}.\` } };`,
            `                return { status: 200, body: { reservationId: id, status: found.status, orderId: found.orderId } };`,
            `            },`,
            `        },\n`,
        ].join("\n"),
    );
    edits.edit("deploy/apis/inventory/openapi.yaml", `  /reservations/{reservationId}:\n`, (anchor) =>
        [
            `${anchor}    get:`,
            `      tags: [reservations]`,
            `      operationId: getReservation`,
            `      summary: Read an order's reservation (saga step \`CheckReservation\`)`,
            `      parameters:`,
            `        - $ref: "#/components/parameters/ReservationIdPath"`,
            `      responses:`,
            `        "200":`,
            `          description: The reservation.`,
            `          content:`,
            `            application/json:`,
            `              schema:`,
            `                type: object`,
            `                required: [reservationId, status, orderId]`,
            `                properties:`,
            `                  reservationId:`,
            `                    $ref: "#/components/schemas/ReservationId"`,
            `                  status:`,
            `                    type: string`,
            `                    enum: [held, released]`,
            `                  orderId:`,
            `                    $ref: "#/components/schemas/OrderId"`,
            `        "401":`,
            `          $ref: "#/components/responses/Unauthorized"`,
            `        "404":`,
            `          description: No such reservation.`,
            `          content:`,
            `            application/json:`,
            `              schema:`,
            `                $ref: "#/components/schemas/ReservationNotFoundError"`,
            // The sandbox's injected faults answer these, as for every other operation.
            `        "429":`,
            `          $ref: "#/components/responses/TooManyRequests"`,
            `        "500":`,
            `          $ref: "#/components/responses/InternalError"`,
            `        "503":`,
            `          $ref: "#/components/responses/ServiceUnavailable"\n`,
        ].join("\n"),
    );
}

const TAX_SPEC = `/** A tax service: the saga quotes an order's tax before it reserves stock. */
import { AUTH_TYPES } from "../../stack-config/types";
import type { ApiSpec } from "../spec";

/** The \`tax\` API. */
export const taxApi = {
    name: "tax",
    description: "a tax service (quotes)",
    authTypes: AUTH_TYPES,
    contract: "deploy/apis/tax/openapi.yaml",
} as const satisfies ApiSpec;
`;

const TAX_CONTRACT = `openapi: 3.0.3
info:
  title: Tax API
  version: 1.0.0
servers:
  - url: https://tax.dev.example.com/v1
security:
  - apiKeyAuth: []
paths:
  /quotes:
    post:
      operationId: createQuote
      summary: The tax of an order (saga step \`CalculateTax\`)
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [orderId, amount, currency]
              properties:
                orderId: { type: string }
                amount: { type: integer, minimum: 0 }
                currency: { type: string }
      responses:
        "200":
          description: The quote.
          content:
            application/json:
              schema:
                type: object
                required: [orderId, taxAmount]
                properties:
                  orderId: { type: string }
                  taxAmount: { type: integer, minimum: 0 }
        "400":
          description: A malformed request.
          content:
            application/json:
              schema: { type: object }
components:
  securitySchemes:
    apiKeyAuth:
      type: apiKey
      in: header
      name: X-Api-Key
`;

const TAX_SANDBOX = `/** The tax service as sandbox routes speaking \`deploy/apis/tax/openapi.yaml\`: \`POST /quotes\`, 20 % of the amount. */
import type { SandboxServiceFactory } from "../routes";

/** The sandbox's \`tax\` service: \`tools/sandbox/routes.ts\` finds it by this file's name. */
export const service: SandboxServiceFactory = () => ({
    routes: [
        {
            method: "POST",
            pattern: /^\\/quotes$/,
            name: "POST /quotes",
            handle(req) {
                const body = (req.body ?? {}) as { orderId?: unknown; amount?: unknown };
                if (typeof body.orderId !== "string" || !Number.isInteger(body.amount)) return { status: 400, body: { error: "bad_request" } };
                return { status: 200, body: { orderId: body.orderId, taxAmount: Math.round((body.amount as number) / 5) } };
            },
        },
    ],
});
`;

const taxConfig = (host: string) => `  sfn-http-workflows:tax:\n    baseUrl: https://${host}/v1\n    auth:\n      type: apiKey\n      headerName: X-Api-Key\n`;

/** (b) A new API with its own connection, called by the saga after the authorization: `tax`, `POST /quotes`. */
export function addApi(edits: Edits): void {
    edits.create("deploy/apis/tax/index.ts", TAX_SPEC);
    edits.create("deploy/apis/tax/openapi.yaml", TAX_CONTRACT);
    edits.edit("deploy/workflows/order/index.ts", `apis: ["payment", "inventory", "shipping"],`, () => `apis: ["payment", "inventory", "shipping", "tax"],`);
    edits.edit(DEFINITION, `            authorized: "ReserveInventory",`, () => `            authorized: "CalculateTax",`);
    edits.edit(DEFINITION, `        ReserveInventory: httpTask({`, (anchor) =>
        [
            `        CalculateTax: httpTask({`,
            `            api: targets.apis.tax,`,
            `            path: "/quotes",`,
            `            method: "POST",`,
            `            headers: idempotencyKey("tax"),`,
            `            requestBody: { orderId: path("$.orderId"), amount: path("$.amount"), currency: path("$.currency") },`,
            `            resultPath: null,`,
            `            catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: payment.undo }],`,
            `            transition: { Next: "ReserveInventory" },`,
            `        }),`,
            anchor,
        ].join("\n"),
    );
    edits.create("tools/sandbox/apis/tax.ts", TAX_SANDBOX);
    for (const [stack, host] of [
        ["dev", "tax.dev.example.com"],
        ["prod", "tax.example.com"],
    ])
        edits.edit(`Pulumi.${stack}.yaml`, `  sfn-http-workflows:workflows:\n`, (anchor) => taxConfig(host) + anchor);
}

/** (c) A collection source on an API the collection already calls: `sites`, `GET /sites` on telemetry, cursor-paged. */
export function addCollectionSource(edits: Edits): void {
    edits.edit("Pulumi.dev.yaml", `      posts:\n        api: social\n`, (anchor) =>
        [
            `      sites:`,
            `        api: telemetry`,
            `        path: /sites`,
            `        query:`,
            `          limit: 2`,
            `        pagination:`,
            `          style: cursor`,
            `          cursorField: next_cursor`,
            `          cursorParam: cursor`,
            `        itemsField: data`,
            `        fields: [id, name]`,
            anchor,
        ].join("\n"),
    );
    edits.edit(
        "tools/sandbox/apis/telemetry.ts",
        `    return [\n`,
        (anchor) =>
            `${anchor}        { method: "GET", pattern: /^\\/sites$/, name: "GET /sites", handle: (req) => cursorPage(req, ["north", "south", "east"].map((id) => ({ id, name: \`Site \${id}\` }))) },\n`,
    );
    edits.edit("deploy/apis/telemetry/openapi.yaml", `paths:\n`, (anchor) =>
        [
            `${anchor}  /sites:`,
            `    get:`,
            `      operationId: listSites`,
            `      summary: The sites, a page at a time (source \`sites\`)`,
            `      parameters:`,
            `        - $ref: "#/components/parameters/Limit"`,
            `        - $ref: "#/components/parameters/Cursor"`,
            `      responses:`,
            `        "200":`,
            `          description: One page of sites.`,
            `          content:`,
            `            application/json:`,
            `              schema:`,
            `                $ref: "#/components/schemas/CursorPage"`,
            `        "401":`,
            `          $ref: "#/components/responses/Error"\n`,
        ].join("\n"),
    );
}

/** (d) A stack: `staging`, prod's settings in another region, with prod's policy config. */
export function addStack(edits: Edits, root: string): void {
    const prod = fs.readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8");
    edits.create(
        "Pulumi.staging.yaml",
        `# staging stack: prod's settings in another region.\n${prod.replace(/^ {2}aws:region: .*$/m, "  aws:region: eu-central-1")}`,
    );
    edits.create("policy/config/staging.json", fs.readFileSync(path.join(root, "policy", "config", "prod.json"), "utf8"));
}
