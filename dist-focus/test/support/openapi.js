import assert from 'node:assert/strict';
/** Every `METHOD /path` under /api/v1 in the served OpenAPI document, sorted. */
export async function documentedRoutes(server) {
    const res = await server.inject({ method: 'GET', url: '/api/docs/json' });
    assert.equal(res.statusCode, 200);
    const doc = JSON.parse(res.body);
    const methods = new Set(['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace']);
    const out = [];
    for (const [path, item] of Object.entries(doc.paths)) {
        if (!path.startsWith('/api/v1/'))
            continue;
        for (const m of Object.keys(item))
            if (methods.has(m))
                out.push(`${m.toUpperCase()} ${path}`);
    }
    return out.sort();
}
//# sourceMappingURL=openapi.js.map