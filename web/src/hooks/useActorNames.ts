import { accounts } from '../api/accounts';
import { useLoad } from './useLoad';

/**
 * Who an id is, for reading the audit log and receipts: members by email, API keys by name (the
 * ids stay on screen). Needs a manager's rights to list keys; without them, members only.
 */
export function useActorNames(withKeys = true): Map<string, string> {
  const names = useLoad(async () => {
    const [members, keys] = await Promise.all([accounts.members(), withKeys ? accounts.apiKeys(true) : Promise.resolve({ apiKeys: [] })]);
    return new Map<string, string>([...members.members.map((m) => [m.userId, m.email] as const), ...keys.apiKeys.map((k) => [k.id, `${k.name} (${k.prefix}…)`] as const)]);
  }, [withKeys]);
  return names.data ?? new Map();
}
