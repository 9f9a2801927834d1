/**
 * Ready-to-use strings for stack outputs: the console URL of a state machine and the
 * `aws stepfunctions start-execution` command for a sample input.
 */
/** Quotes `text` for a POSIX shell (single quotes; embedded single quotes closed and escaped). */
export function shellQuote(text: string): string {
    return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The Step Functions console page of a state machine, in its own region. */
export function consoleUrlFor(stateMachineArn: string): string {
    const region = stateMachineArn.split(":")[3];
    return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/statemachines/view/${encodeURIComponent(stateMachineArn)}`;
}

/**
 * The `aws stepfunctions start-execution` command for an order in `order.json`: named by its order id,
 * so the same order started twice starts once (Standard workflows refuse a second execution with a
 * name), and with no sample order inlined, so pasting it can never charge a card by accident.
 */
export function startOrderExecutionCommandFor(stateMachineArn: string, orderFile = "order.json"): string {
    const region = stateMachineArn.split(":")[3];
    return `aws stepfunctions start-execution --region ${region} --state-machine-arn ${stateMachineArn} --name "$(jq -r .orderId ${orderFile})" --input file://${orderFile}`;
}

/** The `aws stepfunctions start-execution` command for `input`. */
export function startExecutionCommandFor(stateMachineArn: string, input: unknown): string {
    const region = stateMachineArn.split(":")[3];
    return `aws stepfunctions start-execution --region ${region} --state-machine-arn ${stateMachineArn} --input ${shellQuote(JSON.stringify(input))}`;
}
