/**
 * The `connections.local.json` synth writes next to a stack's definitions, so that
 * `npm run local -- --sandbox <stack>` can run any stack offline.
 */
import { ConnectionSpec } from "../emulator/connections";
import { localConnection } from "../local/local-connections";
import { StackSettings } from "../../deploy/stack-config/types";

/**
 * `connections.local.json`: each connection the stack declares (by its synthesized ARN) with local
 * test credentials and the stack's real OAuth token URL, so `npm run local -- --sandbox <stack>` can
 * run that stack's definitions (its routes lead the real URLs to the sandbox).
 */
export function localConnections(settings: StackSettings, outputs: Record<string, unknown>): Record<string, ConnectionSpec> {
    const apis = settings.apis;
    const arns = (outputs.connectionArns ?? {}) as Record<string, string>;
    return Object.fromEntries(
        Object.entries(arns).flatMap(([api, arn]) => {
            const api_ = apis[api];
            return api_ ? [[arn, localConnection(api_, api_.auth.type === "oauth" ? api_.auth.tokenUrl : "")]] : [];
        }),
    );
}
