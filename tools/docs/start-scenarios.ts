/**
 * The `start-scenarios` section of docs/local.md: the orders `npm start` runs and the outcome each must reach,
 * read from `SCENARIOS` (tools/local/scenarios.ts), so the page lists what the command really runs.
 */
import { SCENARIOS } from "../local/scenarios";

/** A Markdown table of `npm start`'s scenarios, in the order it runs them. */
export function startScenariosMarkdown(): string {
    const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
    const rows = SCENARIOS.map(
        (s) => `| ${cell(s.name)} | ${cell(s.description)} | ${s.expected.status}${s.expected.error ? ` \`${s.expected.error}\`` : ""} |`,
    );
    return ["| Scenario | What happens | Expected end |", "| --- | --- | --- |", ...rows].join("\n");
}
