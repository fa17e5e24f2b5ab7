/** Reading query plans in tests: which statements a request sends, and how the database reads a table. */
import type { Engine, Tx } from '../../src/platform/db/engine.js';
import { withTeam } from '../../src/platform/db/with-team.js';

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

export interface SentStatement {
  text: string;
  params: readonly unknown[];
}

/** Every plan node that reads `table`. */
export function nodesReading(plan: PlanNode, table: string): PlanNode[] {
  const own = plan['Relation Name'] === table ? [plan] : [];
  return [...own, ...(plan.Plans ?? []).flatMap((child) => nodesReading(child, table))];
}

/** How a plan node reads its table: `Seq Scan`, `Index Scan using events_pkey`… */
export const readOf = (node: PlanNode) => `${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''}`;

/** Record the statements of transactions run through `engine` while `fn` runs. */
export async function recording(engine: Engine, fn: () => Promise<void>): Promise<SentStatement[]> {
  const seen: SentStatement[] = [];
  const original = engine.transaction;
  engine.transaction = <T>(body: (tx: Tx) => Promise<T>, settings?: Readonly<Record<string, string>>) =>
    original.call(
      engine,
      (tx: Tx) =>
        body({
          query: (text, params) => {
            seen.push({ text, params: params ?? [] });
            return tx.query(text, params);
          },
          announce: (change) => tx.announce(change),
          whenDone: (fn) => tx.whenDone(fn),
        }),
      settings,
    ) as Promise<T>;
  try {
    await fn();
  } finally {
    engine.transaction = original;
  }
  return seen;
}

/**
 * The plan of a statement as the team's scoped transaction would run it. `seqScan: false` asks
 * for the best plan that uses an index, for a test whose team is too small for the planner to
 * choose one on its own.
 */
export async function planOf(engine: Engine, teamId: string, statement: SentStatement, options: { seqScan?: boolean } = {}): Promise<PlanNode> {
  const explained = await withTeam(engine, teamId, async (tx) => {
    if (options.seqScan === false) await tx.query(`SET LOCAL enable_seqscan = off`);
    return tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.params);
  });
  const raw = explained.rows[0]!['QUERY PLAN'];
  return ((typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[])[0]!.Plan;
}
