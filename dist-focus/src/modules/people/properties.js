import { HavenError, echoableName } from '../../platform/http/errors.js';
/** Limits on a person's free-form properties. */
export const PROPERTY_LIMITS = { maxKeys: 100, maxKeyLength: 64, maxValueBytes: 2_048, maxDepth: 4 };
function depthOf(value) {
    if (value === null || typeof value !== 'object')
        return 0;
    const children = Array.isArray(value) ? value : Object.values(value);
    return 1 + children.reduce((max, child) => Math.max(max, depthOf(child)), 0);
}
/** A number JSON cannot carry (`1e400` parses as Infinity, and would be stored as null). */
function holdsNonFinite(value) {
    if (typeof value === 'number')
        return !Number.isFinite(value);
    if (value === null || typeof value !== 'object')
        return false;
    return (Array.isArray(value) ? value : Object.values(value)).some(holdsNonFinite);
}
/** Check a set of properties against the limits; errors name the offending property. */
export function checkProperties(properties, field = 'properties') {
    if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
        throw new HavenError('invalid_type', 400, 'Properties must be a JSON object.', field);
    }
    const entries = Object.entries(properties);
    if (entries.length > PROPERTY_LIMITS.maxKeys) {
        throw new HavenError('too_many_properties', 400, `At most ${PROPERTY_LIMITS.maxKeys} properties.`, field);
    }
    for (const [key, value] of entries) {
        const at = `${field}.${echoableName(key)}`;
        if (key.length === 0 || key.length > PROPERTY_LIMITS.maxKeyLength) {
            throw new HavenError('invalid_property_name', 400, `Property names are 1–${PROPERTY_LIMITS.maxKeyLength} characters.`, at);
        }
        if (Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8') > PROPERTY_LIMITS.maxValueBytes) {
            throw new HavenError('property_too_large', 400, `A property value is at most ${PROPERTY_LIMITS.maxValueBytes} bytes as JSON.`, at);
        }
        if (depthOf(value) > PROPERTY_LIMITS.maxDepth) {
            throw new HavenError('property_too_deep', 400, `Property values nest at most ${PROPERTY_LIMITS.maxDepth} levels.`, at);
        }
        if (holdsNonFinite(value))
            throw new HavenError('invalid_number', 400, 'A number is too large to store (JSON numbers must fit a double).', at);
    }
    return properties;
}
//# sourceMappingURL=properties.js.map