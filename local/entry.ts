/**
 * How every local command ends: the exit code `main` returns, or 1 with a one-line reason when it
 * throws. `process.exitCode` (not `process.exit`) lets open sockets close and output flush first.
 */
export function runMain(main: () => Promise<number>, what: string): void {
    main().then(
        (code) => {
            process.exitCode = code;
        },
        (e: Error) => {
            console.error(`${what} failed: ${e.message}`);
            process.exitCode = 1;
        },
    );
}
