/**
 * The JSONata `Output` of every page fetch (`collect-fetch.ts`): it keeps only the configured fields
 * of each item, counts them, and works out the next request from the pagination style (a body
 * cursor, a page number, or an RFC 8288 `Link: <…>; rel="next"` header). It reads the loop's state
 * from `$states.input` and the HTTP answer from `$states.result`.
 *
 * The expression is total: whatever the API answered (not JSON, no items array, a cursor of the
 * wrong type, a `Link` to another host, malformed escapes), it evaluates without error and names
 * the problem in `problem`, and the source ends with `UnexpectedResponse`. Whether the fetch's own
 * `Catch` would catch a failing `Output` (`States.QueryEvaluationError`) is UNKNOWN
 * (docs/aws-facts.md §15), so nothing relies on it. There is no `ResultSelector`-style field
 * picking either: in JSONPath, a path that is absent is `States.Runtime`, which nothing catches
 * (docs/aws-facts.md §4.1, §5.1).
 *
 * A next request equal to one already made (a repeated cursor, a `Link` to the page just fetched)
 * is a loop: `next` is `loop`, and the source ends with `PaginationLoop` instead of storing the
 * same pages again until `maxPages`. Requests are compared by their query, keys sorted.
 *
 * Nothing from an answer reaches a URL: a next cursor or a `Link` query becomes query parameters,
 * which the HTTP Task encodes, and a `Link` is followed only when it points at the very endpoint
 * being paged.
 */
import { SourceSettings } from "../../stack-config/types";

/** Longest cursor or query value passed on to the next request. */
export const MAX_CURSOR_LENGTH = 2048;

/**
 * Requests a page loop remembers to find a loop: the latest this many (each at most a few KiB, so
 * the state stays far below the 256 KiB payload quota, docs/aws-facts.md §9). A loop longer than
 * this is not seen and ends at `maxPages` like an endless source.
 */
export const SEEN_REQUESTS = 32;

/** The error a source ends with when the API sends it back to a page it already fetched. */
export const PAGINATION_LOOP = "PaginationLoop";

/**
 * A JSONata state field, `{% … %}` on one line: asl-validator's schema (like the console's
 * linter) reads the expression with `.`, which stops at a line break, so newlines are folded.
 */
export function jsonataField(expression: string): string {
    return `{% ${expression.trim().replace(/\s*\n\s*/g, " ")} %}`;
}

/** A JSONata string literal. */
export function jsonataString(text: string): string {
    return JSON.stringify(text);
}

/** `$lookup` along a dotted path (`data.items`), undefined as soon as a step is not an object. */
function lookupPath(root: string, dotted: string): string {
    return dotted.split(".").reduce((expr, key) => `$lookup(${expr}, ${jsonataString(key)})`, root);
}

/** The static query parameters as a JSONata object constructor. */
function objectLiteral(record: Readonly<Record<string, string>>): string {
    return `{${Object.entries(record)
        .map(([k, v]) => `${jsonataString(k)}: ${jsonataString(v)}`)
        .join(", ")}}`;
}

/** `{ more, query, problem }` for the source's pagination style, as JSONata bindings. */
function nextRequest(source: SourceSettings, endpoint: string, origin: string): string {
    const staticQuery = objectLiteral(source.query);
    const p = source.pagination;
    if (p.style === "page") {
        // Every style binds `$stepProblem` (here to nothing, `()`): an unbound `$name` would be read by
        // Step Functions as a workflow-variable reference (docs/aws-facts.md §15).
        return `$more := $count($list) > 0;
            $stepProblem := ();
            $query := $merge([${staticQuery}, {${jsonataString(p.pageParam)}: $string(${p.firstPage} + $in.page + 1)}]);`;
    }
    if (p.style === "cursor") {
        return `$cursor := ${lookupPath("$body", p.cursorField)};
            $cursorType := $exists($cursor) ? $type($cursor) : 'undefined';
            $more := ($cursorType = 'string' and $length($cursor) > 0) or $cursorType = 'number';
            $stepProblem := ($cursorType = 'string' and $length($cursor) > ${MAX_CURSOR_LENGTH}) ? 'The cursor is longer than ${MAX_CURSOR_LENGTH} characters'
                : ($cursorType in ['string', 'number', 'null', 'undefined'] ? () : 'The cursor ' & ${jsonataString(`\`${p.cursorField}\``)} & ' is a ' & $cursorType);
            $query := $more ? $merge([${staticQuery}, {${jsonataString(p.cursorParam)}: $string($cursor)}]) : {};`;
    }
    // RFC 8288: every `Link` header value, joined; the target of the first `rel` that lists `next`.
    // Only ASCII escapes are decoded (`%00`–`%7F` are always valid UTF-8), so decoding cannot fail;
    // `%` is written `\x25` because a literal `%` inside `{% %}` is refused by asl-validator's schema.
    return `$headers := $response.Headers;
            $linkKeys := $type($headers) = 'object' ? $filter($keys($headers), function($k) { $lowercase($k) = 'link' }) : [];
            $linkValues := $count($linkKeys) > 0 ? [$lookup($headers, $linkKeys[0])] : [];
            $linkText := $join($filter($linkValues, function($v) { $type($v) = 'string' }), ', ');
            $target := $match($linkText, /<([^>]*)>[^,<]*\\brel\\s*=\\s*"?(?:[^"<,]*\\s)?next(?=["\\s,;]|$)/)[0].groups[0];
            $url := $type($target) = 'string' and $substring($target, 0, 1) = '/' ? ${jsonataString(origin)} & $target : $target;
            $more := $type($url) = 'string';
            $endpoint := ${endpoint};
            $sameEndpoint := $more and $substring($url, 0, $length($endpoint) + 1) = $endpoint & '?';
            $rawQuery := $sameEndpoint ? $substring($url, $length($endpoint) + 1) : '';
            $safe := $contains($rawQuery, /^(?:[A-Za-z0-9._~!$'()*,;:@\\/?+=&-]|\\x25[0-7][0-9A-Fa-f])*$/) and $length($rawQuery) <= ${MAX_CURSOR_LENGTH};
            $stepProblem := $not($more) ? () : ($not($sameEndpoint) ? 'The next link is not this endpoint: ' & $substring($url, 0, 200) : ($not($safe) ? 'The next link has characters this workflow does not forward' : ()));
            $pairs := $filter($split($rawQuery, '&'), function($pair) { $pair != '' });
            $query := $safe ? $merge([{}, $map($pairs, function($pair) {
                {$decodeUrlComponent($substringBefore($pair, '=')): $contains($pair, '=') ? $decodeUrlComponent($substringAfter($pair, '=')) : ''}
            })]) : {};`;
}

/**
 * The `Output` of the page fetch of `source`. `endpoint` is a JSONata expression for the URL
 * being paged (a string literal, or built from `$in.item` for a fan-out source); `origin` is the
 * API's scheme and host, against which a path-only `Link` target is resolved.
 */
export function pageTransformExpression(source: SourceSettings, endpoint: string, origin: string): string {
    const fields = `[${source.fields.map(jsonataString).join(", ")}]`;
    return jsonataField(`(
            $in := $states.input;
            $response := $states.result;
            $body := $response.ResponseBody;
            $list := ${lookupPath("$body", source.itemsField)};
            $isList := $type($list) = 'array';
            $allObjects := $isList and $count($filter($list, function($i) { $type($i) != 'object' })) = 0;
            $kept := $allObjects ? [$map($list, function($i) { $merge([{}, $map(${fields}, function($f) { {$f: $lookup($i, $f)} })]) })] : [];
            ${nextRequest(source, endpoint, origin)}
            $problem := $type($body) != 'object' ? 'The page is not a JSON object'
                : ($not($isList) ? ${jsonataString(`The page has no \`${source.itemsField}\` array`)}
                : ($not($allObjects) ? ${jsonataString(`An item of \`${source.itemsField}\` is not an object`)} : $stepProblem));
            $key := function($q) { $string($merge([{}, $map($sort($keys($q)), function($k) { {$k: $lookup($q, $k)} })])) };
            $seen := $append($type($in.seen) = 'array' ? $in.seen : [], [$key($type($in.request.query) = 'object' ? $in.request.query : {})]);
            $loop := $more and ($key($query) in $seen);
            $next := $problem ? 'invalid' : ($more ? ($loop ? 'loop' : ($in.page + 1 >= ${source.maxPages} ? 'cap' : 'fetch')) : 'done');
            {
                "source": $in.source,
                "item": $in.item,
                "run": $in.run,
                "page": $in.page + 1,
                "items": $in.items + $count($kept),
                "data": $kept,
                "request": {"query": $next = 'fetch' ? $query : {}},
                "next": $next,
                "capped": $next = 'cap',
                "problem": $problem,
                "loop": $next = 'loop' ? $substring('The next page repeats a request already made: ' & $key($query), 0, 300) : undefined,
                "seen": $count($seen) > ${SEEN_REQUESTS} ? [$seen[[($count($seen) - ${SEEN_REQUESTS})..($count($seen) - 1)]]] : $seen
            }
        )`);
}
