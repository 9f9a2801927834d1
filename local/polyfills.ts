/**
 * The one place where the local runner patches Node.js. `aws-local-stepfunctions@3` declares
 * `engines: node >=22` and calls `Promise.withResolvers` (Node 22+) for every Task state; this
 * project supports Node 20, 22 and 24, so the runner installs a spec-shaped fallback before the
 * library runs. Import this module first in every entry point (`import "./polyfills"`).
 */

interface Resolvers<T> {
    promise: Promise<T>;
    resolve: (value: T | PromiseLike<T>) => void;
    reject: (reason?: unknown) => void;
}

const promiseCtor = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };

if (typeof promiseCtor.withResolvers !== "function") {
    Object.defineProperty(Promise, "withResolvers", {
        configurable: true,
        writable: true,
        value: function withResolvers<T>(): Resolvers<T> {
            let resolve!: Resolvers<T>["resolve"];
            let reject!: Resolvers<T>["reject"];
            const promise = new Promise<T>((res, rej) => {
                resolve = res;
                reject = rej;
            });
            return { promise, resolve, reject };
        },
    });
}

/** True once the polyfills are in place (lets tests assert the module did its job). */
export const polyfilled = typeof (Promise as unknown as { withResolvers?: unknown }).withResolvers === "function";
