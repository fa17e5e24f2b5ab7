const steps = new Set();
/** Register a module's step (once per process: registering the same function again is a no-op). */
export function onIdentityEdit(step) {
    steps.add(step);
}
export async function afterIdentityEdit(tx, ctx, edit) {
    for (const step of steps)
        await step(tx, ctx, edit);
}
//# sourceMappingURL=identity-edits.js.map