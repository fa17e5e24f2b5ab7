import { Type } from '@sinclair/typebox';
export const RoleSchema = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member'), Type.Literal('viewer')], {
    description: 'owner > admin > member > viewer',
});
//# sourceMappingURL=schemas.js.map