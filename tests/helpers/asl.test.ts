/**
 * The path helpers of `tests/helpers/asl.ts` cannot be fooled: a path that skips a state, or a choice
 * that jumps past the states in between, fails. Pure: no Pulumi, no HTTP.
 */
import * as assert from "node:assert/strict";
import { StateMachineDefinition } from "../../deploy/asl/types";
import { assertPath, pathThrough, transitionsFrom } from "./asl";

const pass = (Next: string) => ({ Type: "Pass" as const, Next });
/** Start → Check (Choice) → Extra1 → Extra2 → Work → Done, with a Catch from Work to Oops. */
const definition: StateMachineDefinition = {
    StartAt: "Start",
    States: {
        Start: pass("Check"),
        Check: { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Extra1" }], Default: "Oops" },
        Extra1: pass("Extra2"),
        Extra2: pass("Work"),
        Work: { Type: "Task", Resource: "arn:aws:states:::http:invoke", Next: "Done", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Oops" }] },
        Done: { Type: "Succeed" },
        Oops: { Type: "Fail", Error: "Oops" },
    },
};

describe("path helpers (tests/helpers/asl.ts)", () => {
    it("lists a state's transitions: Next, every Choice rule and Default, every Catch", () => {
        assert.deepEqual(
            ["Start", "Check", "Work", "Done", "Oops"].map((s) => transitionsFrom(definition, s)),
            [["Check"], ["Extra1", "Oops"], ["Done", "Oops"], [], []],
        );
        assert.throws(() => transitionsFrom(definition, "Nope"), /No state `Nope`/);
    });

    it("follows every state in between: a choice that names a later state fails instead of skipping (a 4-state claim cannot pass on a 6-state path)", () => {
        assert.deepEqual(
            pathThrough(definition, (c) => ({ Check: "Extra1" })[c]),
            ["Start", "Check", "Extra1", "Extra2", "Work", "Done"],
        );
        assert.deepEqual(pathThrough(definition), ["Start", "Check", "Oops"]);
        // The old helper accepted this choice and answered Start, Check, Work, Done.
        assert.throws(
            () => pathThrough(definition, (c) => ({ Check: "Work" })[c]),
            /^Error: Choice `Check` has no rule or Default going to `Work` \(its targets: Extra1, Oops\)\.$/,
        );
    });

    it("refuses a written path with a jump, a wrong start or no end", () => {
        assert.doesNotThrow(() => assertPath(definition, ["Start", "Check", "Extra1", "Extra2", "Work", "Oops"]));
        assert.throws(
            () => assertPath(definition, ["Start", "Check", "Work", "Done"]),
            /^Error: `Check` cannot go to `Work` \(its transitions: Extra1, Oops\)\.$/,
        );
        assert.throws(() => assertPath(definition, ["Check", "Oops"]), /not at StartAt `Start`/);
        assert.throws(() => assertPath(definition, ["Start", "Check", "Extra1"]), /stops at `Extra1`, which does not end/);
        assert.doesNotThrow(() => assertPath(definition, ["Start", "Check", "Extra1"], false));
    });
});
