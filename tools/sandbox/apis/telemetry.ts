/**
 * `telemetry`, an IoT-style device API paged by a cursor in the body, speaking
 * `deploy/apis/telemetry/openapi.yaml`: `GET /devices` and `GET /devices/{id}/readings`, `{ data: [...], next_cursor }`.
 */
import { Route } from "../http-server";
import { CollectDataOptions, cursorPage, DEFAULTS, deviceIds } from "./collect-data";
import type { SandboxServiceFactory } from "../routes";

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

/** The sandbox's `telemetry` service: `tools/sandbox/routes.ts` finds it by this file's name. */
export const service: SandboxServiceFactory = ({ data }) => ({ routes: telemetryRoutes(data) });
