import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitStatements } from './migrations.js';
describe('splitStatements', () => {
    it('splits on semicolons outside quotes, dollar quotes and comments', () => {
        const sql = `
      CREATE TABLE a (x text DEFAULT 'a;b'); -- a comment; with a semicolon
      CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $f$ SELECT 1; $f$;
      DO $$ BEGIN PERFORM 1; END $$;
      SELECT 'it''s; fine'`;
        assert.deepEqual(splitStatements(sql), [
            `CREATE TABLE a (x text DEFAULT 'a;b')`,
            `CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $f$ SELECT 1; $f$`,
            `DO $$ BEGIN PERFORM 1; END $$`,
            `SELECT 'it''s; fine'`,
        ]);
    });
    it('returns nothing for blank input', () => {
        assert.deepEqual(splitStatements('  -- only a comment\n '), []);
    });
});
//# sourceMappingURL=migrations.test.js.map