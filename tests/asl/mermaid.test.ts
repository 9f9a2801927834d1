import * as assert from "node:assert/strict";
import { errorLabel, toMermaid } from "../../asl/mermaid";
import { httpTask } from "../../asl/http-task";
import { StateMachineDefinition } from "../../asl/types";

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
});
