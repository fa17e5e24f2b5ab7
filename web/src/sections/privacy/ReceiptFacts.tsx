import type { PrivacyRequest } from '../../api/types';
import { receiptLines } from './receipt';

/** The receipt of a privacy request as facts (in the order things happened), then its id. */
export function ReceiptFacts({ request, names }: { request: PrivacyRequest; names?: ReadonlyMap<string, string> }) {
  return (
    <>
      {receiptLines(request.receipt, names).map((line) => (
        <div className="fact-group" key={line.key}>
          <dt>{line.label}</dt>
          <dd>{line.value}</dd>
        </div>
      ))}
      <div className="fact-group">
        <dt>Request id</dt>
        <dd>
          <code>{request.id}</code>
        </dd>
      </div>
    </>
  );
}
