/**
 * The AWS-recorded conformance suite: every vendored execution (recorded on AWS by LocalStack's
 * Step Functions tests, see NOTICE) runs on the local runner and must match what AWS recorded.
 * A case in expected-failures.json is pending with its reason, and fails the suite once it passes,
 * so the list never goes stale. What it cannot prove: behaviour LocalStack never recorded, and
 * cases the import left out (each listed with its reason in the data's `skipped`).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { renderReport } from "../../tools/conformance/report";
import { problemsOf } from "./compare";
import { expectedFailures, families, runCase } from "./cases";

const failures = expectedFailures();
const all = families();

describe("AWS-recorded conformance (LocalStack snapshots)", () => {
    for (const data of all) {
        describe(data.family, () => {
            for (const c of data.cases) {
                it(c.id, async function () {
                    const result = await runCase(c.definition, c.input);
                    const problems = problemsOf(c, result);
                    if (c.id in failures) {
                        assert.notDeepEqual(problems, [], `listed in expected-failures.json but now agrees with AWS: remove it (${failures[c.id]})`);
                        return this.skip();
                    }
                    assert.deepEqual(problems, [], `recorded on AWS ${c.recordedDate}`);
                });
            }
        });
    }

    it("lists in expected-failures.json only cases that exist and run", () => {
        const runnable = new Set(all.flatMap((d) => d.cases.map((c) => c.id)));
        assert.deepEqual(
            Object.keys(failures).filter((id) => !runnable.has(id)),
            [],
        );
    });

    it("has docs/conformance.md current (`npm run conformance:report`)", () => {
        const doc = fs.readFileSync(path.join(__dirname, "../../docs/conformance.md"), "utf8");
        assert.equal(doc, renderReport(all, failures));
    });
});
