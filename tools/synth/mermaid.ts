/**
 * Renders a definition as a Mermaid flowchart: Task states as boxes (HTTP Tasks with method and
 * path), Choice states as diamonds, Fail states in red, `Catch` transitions dashed and labelled
 * with the errors they catch. Nested branches (Parallel, Map) are drawn as one box.
 */
import { formatTemplate, jsonataEndpointParts, jsonataExpression, requestFieldsOf } from "../../deploy/asl/endpoint";
import { HTTP_INVOKE } from "../../deploy/asl/http-task";
import { unescapeIntrinsicText } from "../../deploy/asl/payload";
import { SNS_PUBLISH } from "../../deploy/asl/sns-task";
import { EVENTS_PUT_EVENTS, S3_PUT_OBJECT } from "../../deploy/asl/data-tasks";
import { State, StateMachineDefinition } from "../../deploy/asl/types";

function label(text: string): string {
    return `"${text.replace(/"/g, "#quot;")}"`;
}

/** A short, readable name for an error list: `HTTP 402`, `any error`. */
export function errorLabel(errors: readonly string[]): string {
    return errors
        .map((e) => (e === "States.ALL" ? "any error" : e.replace(/^States\.Http\.StatusCode\./, "HTTP ").replace(/^States\.Http\.Socket$/, "socket error")))
        .join(", ");
}

function httpSummary(state: State): string | undefined {
    if (state.Type !== "Task") return undefined;
    // `Parameters` (JSONPath) or `Arguments` (JSONata).
    const p = requestFieldsOf(state) ?? {};
    if (state.Resource === SNS_PUBLISH) return "SNS publish";
    if (state.Resource === S3_PUT_OBJECT) return `S3 PutObject ${String(p.Bucket)}`;
    if (state.Resource === EVENTS_PUT_EVENTS) return "EventBridge PutEvents";
    if (state.Resource !== HTTP_INVOKE) return state.Resource;
    const dynamic = String(p["ApiEndpoint.$"] ?? "");
    const template = formatTemplate(dynamic);
    const jsonata = jsonataExpression(p.ApiEndpoint);
    const parts = jsonata === undefined ? undefined : jsonataEndpointParts(jsonata);
    const endpoint =
        jsonata !== undefined
            ? (parts?.join("{}") ?? jsonata)
            : typeof p.ApiEndpoint === "string"
              ? p.ApiEndpoint
              : template !== undefined
                ? unescapeIntrinsicText(template)
                : dynamic;
    let pathname = endpoint;
    try {
        pathname = decodeURI(new URL(endpoint.replace(/\{\}/g, "__ID__")).pathname).replace(/__ID__/g, "{}");
    } catch {
        // A non-URL endpoint is shown as written.
    }
    return `${String(jsonataExpression(p.Method) ?? p.Method ?? p["Method.$"])} ${pathname}`;
}

function node(id: string, name: string, state: State): string {
    const detail = httpSummary(state);
    const text = label(detail ? `${name}<br/>${detail}` : name);
    switch (state.Type) {
        case "Choice":
            return `  ${id}{${text}}`;
        case "Fail":
            return `  ${id}([${label(`${name}<br/>error: ${state.Error}`)}]):::fail`;
        case "Succeed":
            return `  ${id}([${text}]):::succeed`;
        default:
            return `  ${id}[${text}]`;
    }
}

/** Nodes and edges of one (possibly nested) state machine; ids are prefixed so nested names never clash. */
function render(definition: StateMachineDefinition, prefix: string, indent: string): { lines: string[]; edges: string[]; ends: boolean } {
    const names = Object.keys(definition.States);
    const id = (name: string) => `${prefix}s${names.indexOf(name)}`;
    const lines: string[] = [];
    const edges: string[] = [];
    let ends = false;
    for (const [name, state] of Object.entries(definition.States)) {
        if (state.Type === "Parallel" || state.Type === "Map") {
            // A nested state machine is drawn inside its state, as a subgraph edges attach to.
            const mode = state.Type === "Map" ? (state.ItemProcessor.ProcessorConfig?.Mode === "DISTRIBUTED" ? "Distributed Map" : "Map") : "Parallel";
            lines.push(`${indent}subgraph ${id(name)} [${label(`${name} (${mode})`)}]`, `${indent}  direction TB`);
            const nested = state.Type === "Map" ? [state.ItemProcessor] : state.Branches;
            nested.forEach((machine, i) => {
                const inner = render(machine, `${id(name)}_${i}_`, `${indent}    `);
                if (state.Type === "Parallel")
                    lines.push(`${indent}  subgraph ${id(name)}_${i} [${label(`branch ${i + 1}`)}]`, ...inner.lines, `${indent}  end`);
                else lines.push(...inner.lines);
                edges.push(...inner.edges);
            });
            lines.push(`${indent}end`);
        } else lines.push(`${indent}${node(id(name), name, state).trimStart()}`);
        if ("Next" in state && typeof state.Next === "string") edges.push(`  ${id(name)} --> ${id(state.Next)}`);
        if (("End" in state && state.End === true) || state.Type === "Succeed") ends = true;
        if (prefix === "" && ends && (("End" in state && state.End === true) || state.Type === "Succeed")) edges.push(`  ${id(name)} --> done`);
        if (state.Type === "Choice") {
            const byTarget = new Map<string, number[]>();
            state.Choices.forEach((c, i) => byTarget.set(c.Next, [...(byTarget.get(c.Next) ?? []), i + 1]));
            for (const [target, rules] of byTarget)
                edges.push(`  ${id(name)} -->|${label(`rule${rules.length > 1 ? "s" : ""} ${rules.join(", ")}`)}| ${id(target)}`);
            if (state.Default) edges.push(`  ${id(name)} -->|default| ${id(state.Default)}`);
        }
        if ("Catch" in state && state.Catch) {
            for (const c of state.Catch) edges.push(`  ${id(name)} -.->|${label(errorLabel(c.ErrorEquals))}| ${id(c.Next)}`);
        }
    }
    return { lines, edges, ends };
}

/**
 * The flowchart for `definition`, as Mermaid source. Parallel branches and Map item processors are
 * drawn inside their state (subgraphs), so a nested workflow such as the collection shows whole.
 */
export function toMermaid(definition: StateMachineDefinition): string {
    const { lines, edges, ends } = render(definition, "", "  ");
    return [
        "flowchart TD",
        "  start((Start))",
        ...lines,
        ...(ends ? ["  done((End))"] : []),
        `  start --> s${Object.keys(definition.States).indexOf(definition.StartAt)}`,
        ...edges,
        "  classDef fail fill:#fde2e1,stroke:#c0392b,color:#7b241c",
        "  classDef succeed fill:#e3f5e1,stroke:#2e7d32",
        "",
    ].join("\n");
}
