/**
 * Request fields with a `default` are optional to the caller: the server fills them in (Ajv's
 * `useDefaults`). TypeBox lists every non-`Optional` property as required, so the published
 * OpenAPI document would make clients generated from it send them. This drops such fields from
 * `required` in a copy of a request schema (body, query), at every depth; validation is unchanged.
 */
export function defaultsNotRequired(schema) {
    if (Array.isArray(schema))
        return schema.map(defaultsNotRequired);
    if (schema === null || typeof schema !== 'object')
        return schema;
    const out = {};
    for (const [key, value] of Object.entries(schema))
        out[key] = defaultsNotRequired(value);
    const properties = out.properties;
    if (Array.isArray(out.required) && properties && typeof properties === 'object') {
        const required = out.required.filter((name) => properties[name]?.default === undefined);
        if (required.length > 0)
            out.required = required;
        else
            delete out.required;
    }
    return out;
}
//# sourceMappingURL=openapi-defaults.js.map