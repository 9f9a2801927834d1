/**
 * HTTP calls from a Distributed Map's child executions, and the Map's own execution permissions,
 * probed with the IAM evaluator. AWS does not document whether `states:InvokeHTTPEndpoint` is checked
 * against the parent state machine or the child's `stateMachine:<name>/<Label>`, so the derived
 * statement must allow both and nothing else. What this cannot prove: which ARN AWS really checks.
 */
import * as assert from "node:assert/strict";
import { connectionArnOf, derivePolicy, PolicyContext } from "../../deploy/asl/policy";
import { dynamicPath, httpTask } from "../../deploy/asl/http-task";
import { path } from "../../deploy/asl/payload";
import { MapState, StateMachineDefinition, TaskState } from "../../deploy/asl/types";
import { isAllowed } from "../helpers/iam";

const MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:collect";
const EXECUTIONS = "arn:aws:states:eu-west-1:123456789012:execution";
const CONN = "arn:aws:events:eu-west-1:123456789012:connection/tel/11111111-1111-1111-1111-111111111111";
const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:events!connection/tel/aaaa-AbCdEf";
const context: PolicyContext = { stateMachineArn: MACHINE, connectionSecrets: { [CONN]: SECRET }, logging: false, tracing: false };
const api = { baseUrl: "https://telemetry.example.com/v1", connectionArn: CONN };
const end = { End: true } as const;

function distributedMap(label: string, states: Record<string, TaskState | MapState>, transition: object = end): MapState {
    return {
        Type: "Map",
        Label: label,
        ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: Object.keys(states)[0], States: states },
        ...transition,
    } as MapState;
}

/** `Devices` runs in the parent; `Readings` in the children of the Map labelled `readings`. */
const definition: StateMachineDefinition = {
    StartAt: "Devices",
    States: {
        Devices: httpTask({ api, path: "/devices", method: "GET", transition: { Next: "Fan" } }),
        Fan: distributedMap("readings", {
            Readings: httpTask({ api, path: dynamicPath("/devices/{}/readings", path("$.id")), method: "GET", transition: end }),
        }),
    },
};
const policy = derivePolicy(definition, context);
const invoke = (resource: string, endpoint: string, method = "GET") => ({
    action: "states:InvokeHTTPEndpoint",
    resource,
    context: { "states:HTTPMethod": method, "states:HTTPEndpoint": endpoint },
});
const READINGS = "https://telemetry.example.com/v1/devices/d-1/readings";

describe("derivePolicy for a Distributed Map's child executions", () => {
    for (const [what, request, allowed] of [
        ["a child's call, checked against the parent state machine", invoke(MACHINE, READINGS), true],
        ["a child's call, checked against the child's `<machine>/<label>`", invoke(`${MACHINE}/readings`, READINGS), true],
        ["a child's call with another method", invoke(`${MACHINE}/readings`, READINGS, "POST"), false],
        ["a call from another label's children", invoke(`${MACHINE}/other`, READINGS), false],
        ["a call from another machine's children with the same label", invoke(`${MACHINE}-x/readings`, READINGS), false],
        ["a call from another machine", invoke(`${MACHINE}-x`, READINGS), false],
        ["the parent's own call, from the parent", invoke(MACHINE, "https://telemetry.example.com/v1/devices"), true],
        [
            "the parent's own call, from the Map's children (it is never made there)",
            invoke(`${MACHINE}/readings`, "https://telemetry.example.com/v1/devices"),
            false,
        ],
    ] as const) {
        it(`${allowed ? "allows" : "denies"} ${what}`, () => assert.equal(isAllowed(policy, request), allowed));
    }

    it("names the child ARN of every Distributed Map around a call, inline Maps and Parallels included", () => {
        const inner = distributedMap("inner", {
            Inline: {
                Type: "Map",
                ItemProcessor: {
                    ProcessorConfig: { Mode: "INLINE" },
                    StartAt: "Deep",
                    States: { Deep: httpTask({ api, path: "/deep", method: "GET", transition: end }) },
                },
                End: true,
            } as MapState,
        });
        const nested: StateMachineDefinition = {
            StartAt: "P",
            States: { P: { Type: "Parallel", Branches: [{ StartAt: "Outer", States: { Outer: distributedMap("outer", { Inner: inner }) } }], End: true } },
        };
        const deep = derivePolicy(nested, context).Statement.find((s) => s.Action.includes("states:InvokeHTTPEndpoint"));
        assert.deepEqual(deep?.Resource, [MACHINE, `${MACHINE}/inner`, `${MACHINE}/outer`]);
    });

    it("grants what AWS's Distributed Map policy page lists: StartExecution on the machine, DescribeExecution on its executions, RedriveExecution on the Map Run's children", () => {
        const allowed = (action: string, resource: string) => isAllowed(policy, { action, resource });
        assert.ok(allowed("states:StartExecution", MACHINE));
        assert.ok(allowed("states:DescribeExecution", `${EXECUTIONS}:collect:run-1`));
        assert.ok(allowed("states:RedriveExecution", `${EXECUTIONS}:collect/readings:run-1`));
        assert.ok(!allowed("states:DescribeExecution", `${EXECUTIONS}:collect-x:run-1`));
        assert.ok(!allowed("states:RedriveExecution", `${EXECUTIONS}:collect:run-1`));
        assert.ok(!allowed("states:StopExecution", `${EXECUTIONS}:collect:run-1`));
    });

    it("still reads a connection named in the legacy `Authentication`", () => {
        assert.equal(connectionArnOf({ Authentication: { ConnectionArn: CONN } }, "A"), CONN);
        const legacy: StateMachineDefinition = {
            StartAt: "A",
            States: {
                A: {
                    Type: "Task",
                    Resource: "arn:aws:states:::http:invoke",
                    Parameters: { ApiEndpoint: "https://telemetry.example.com/v1/x", Method: "GET", Authentication: { ConnectionArn: CONN } },
                    End: true,
                },
            },
        };
        assert.ok(isAllowed(derivePolicy(legacy, context), { action: "events:RetrieveConnectionCredentials", resource: CONN }));
    });
});
