import { decodeMasterKey } from '../provider.js';
/** `HAVEN_MASTER_KEY`: base64 of 32 random bytes, supplied by the operator's secret store. */
export function envMasterKey(value) {
    return {
        source: 'HAVEN_MASTER_KEY',
        async load() {
            return decodeMasterKey(value, 'HAVEN_MASTER_KEY');
        },
    };
}
//# sourceMappingURL=env-master-key.js.map