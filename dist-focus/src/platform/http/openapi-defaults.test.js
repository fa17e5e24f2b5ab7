import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { defaultsNotRequired } from './openapi-defaults.js';
describe('defaultsNotRequired', () => {
    it('drops fields with a default from required, at every depth, and leaves the rest', () => {
        const schema = Type.Object({
            personId: Type.String(),
            suppress: Type.Boolean({ default: false }),
            paging: Type.Object({ limit: Type.Integer({ default: 50 }), cursor: Type.String() }),
            only: Type.Object({ format: Type.String({ default: 'json' }) }),
        });
        const out = defaultsNotRequired(JSON.parse(JSON.stringify(schema)));
        assert.deepEqual(out.required, ['personId', 'paging', 'only']);
        assert.deepEqual(out.properties.paging.required, ['cursor']);
        assert.equal('required' in out.properties.only, false);
        assert.equal(out.properties.suppress.default, false, 'the default itself stays documented');
        assert.deepEqual(schema.required, ['personId', 'suppress', 'paging', 'only'], 'the route schema itself is not changed');
    });
});
//# sourceMappingURL=openapi-defaults.test.js.map