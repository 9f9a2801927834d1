import * as assert from "node:assert/strict";
import { errorLabel, toMermaid } from "../../tools/synth/mermaid";
import { httpTask } from "../../deploy/asl/http-task";
import { StateMachineDefinition } from "../../deploy/asl/types";

describe("toMermaid", () => {
    const definition: StateMachineDefinition = {
        StartAt: "Check",
        States: {
            Check: { Type: "Choice", Choices: [{ Variable: "$.ok", IsPresent: true, Next: "Call" }], Default: "Bad" },
            Call: httpTask({
                api: { baseUrl: "https://api.example.com/v1", connectionArn: "arn:aws:events:us-east-1:123456789012:connection/c/1" },
                path: '/say "hi"',
                method: "POST",
                catch: [{ ErrorEquals: ["States.Http.StatusCode.402", "States.ALL"], Next: "Bad" }],
                transition: { End: true },
            }),
            Bad: { Type: "Fail", Error: "Nope" },
        },
    };

    it("draws states, transitions, choices and dashed catches", () => {
        assert.equal(
            toMermaid(definition),
            [
                "flowchart TD",
                "  start((Start))",
                '  s0{"Check"}',
                '  s1["Call<br/>POST /v1/say #quot;hi#quot;"]',
                '  s2(["Bad<br/>error: Nope"]):::fail',
                "  done((End))",
                "  start --> s0",
                '  s0 -->|"rule 1"| s1',
                "  s0 -->|default| s2",
                "  s1 --> done",
                '  s1 -.->|"HTTP 402, any error"| s2',
                "  classDef fail fill:#fde2e1,stroke:#c0392b,color:#7b241c",
                "  classDef succeed fill:#e3f5e1,stroke:#2e7d32",
                "",
            ].join("\n"),
        );
    });

    it("labels errors readably", () =>
        assert.equal(errorLabel(["States.Http.Socket", "States.Http.StatusCode.503", "Custom"]), "socket error, HTTP 503, Custom"));

    it("draws Parallel branches and Map item processors inside their state, with ids that never clash", () => {
        const inner = (prefix: string): StateMachineDefinition => ({
            StartAt: `${prefix} A`,
            States: { [`${prefix} A`]: { Type: "Pass", Next: `${prefix} B` }, [`${prefix} B`]: { Type: "Pass", End: true } },
        });
        const definition: StateMachineDefinition = {
            StartAt: "Fan",
            States: {
                Fan: { Type: "Parallel", Branches: [inner("left"), inner("right")], Next: "Each" },
                Each: {
                    Type: "Map",
                    ItemProcessor: { ...inner("item"), ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" } },
                    Label: "each",
                    End: true,
                },
            },
        };
        const chart = toMermaid(definition);
        assert.match(chart, /subgraph s0 \["Fan \(Parallel\)"\]\n {4}direction TB\n {4}subgraph s0_0 \["branch 1"\]\n {6}s0_0_s0\["left A"\]/);
        assert.match(chart, /subgraph s1 \["Each \(Distributed Map\)"\]/);
        for (const edge of ["s0_0_s0 --> s0_0_s1", "s0_1_s0 --> s0_1_s1", "s1_0_s0 --> s1_0_s1", "s0 --> s1", "s1 --> done", "start --> s0"])
            assert.ok(chart.includes(`  ${edge}\n`), edge);
        const ids = [...chart.matchAll(/^\s+(s[0-9_s]+)[[({]/gm)].map((m) => m[1]);
        assert.equal(new Set(ids).size, ids.length);
        assert.equal((chart.match(/^\s*subgraph /gm) ?? []).length, (chart.match(/^\s*end$/gm) ?? []).length);
    });
});
